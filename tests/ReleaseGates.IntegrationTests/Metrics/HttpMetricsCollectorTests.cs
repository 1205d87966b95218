using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ReleaseGates.IntegrationTests.Support;
using ReleaseGates.Metrics;

namespace ReleaseGates.IntegrationTests.Metrics;

[Collection(ProcessWideMetricsTests.Name)]
public class HttpMetricsCollectorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The hosting layer records the metric as the request ends, a moment after the client has the response.</summary>
    private static async Task WaitForAsync(Func<bool> condition)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition() && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(20, Ct);
        }
    }

    [Fact]
    public async Task Captures_server_latency_routes_and_errors_from_an_unmodified_kestrel_app()
    {
        using var collector = new HttpMetricsCollector();
        var calls = 0;
        await using var app = await LoopbackApp.StartAsync(a =>
        {
            a.MapGet("/capture/fast", () => "ok");
            a.MapGet("/capture/slow/{id}", async (int id) => { await Task.Delay(60); return id; });
            a.MapGet("/capture/flaky", () => Interlocked.Increment(ref calls) % 4 == 0 ? Results.StatusCode(503) : Results.Ok());
        }, Ct);
        using var client = app.CreateClient();

        for (var i = 0; i < 20; i++)
        {
            (await client.GetAsync("capture/fast", Ct)).Dispose();
            (await client.GetAsync("capture/flaky", Ct)).Dispose();
        }

        for (var i = 0; i < 5; i++)
        {
            (await client.GetAsync($"capture/slow/{i}", Ct)).Dispose();
        }

        var slowKey = new HttpEndpoint(HttpMetricSource.Server, "GET", "/capture/slow/{id}");
        var flakyKey = new HttpEndpoint(HttpMetricSource.Server, "GET", "/capture/flaky");
        await WaitForAsync(() => collector.GetEndpoint(slowKey)?.Total == 5 && collector.GetEndpoint(flakyKey)?.Total == 20);

        var slow = collector.GetEndpoint(slowKey)!;
        Assert.Equal(5, slow.Total);
        var latency = slow.LatencyRecorder.GetCumulativeSnapshot();
        Assert.InRange(latency.Min, 55_000_000, 2_000_000_000);

        var flaky = collector.GetEndpoint(flakyKey)!;
        Assert.Equal(20, flaky.Total);
        Assert.Equal(5, flaky.Errors);
        Assert.Equal(0.25, flaky.ErrorRate);
        Assert.Equal(5, flaky.Windows.GetTotals(TimeSpan.FromMinutes(1)).Errors);

        Assert.Contains(new HttpEndpoint(HttpMetricSource.Server, "GET", "/capture/fast"), collector.Endpoints);
        Assert.True(collector.GetTotal().Total >= 45);
    }

    [Fact]
    public async Task Captures_client_requests_and_a_custom_error_classification()
    {
        using var collector = new HttpMetricsCollector(new HttpMetricsCollectorOptions
        {
            CaptureServer = false,
            CaptureClient = true,
            IsError = r => r.StatusCode >= 400,
        });
        await using var app = await LoopbackApp.StartAsync(a => a.MapGet("/client/missing", () => Results.NotFound()), Ct);
        using var client = app.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            (await client.GetAsync("client/missing", Ct)).Dispose();
        }

        var key = new HttpEndpoint(HttpMetricSource.Client, "GET", "127.0.0.1");
        await WaitForAsync(() => collector.GetEndpoint(key)?.Total >= 3);
        var stats = collector.GetEndpoint(key)!;
        Assert.Equal(3, stats.Total);
        Assert.Equal(3, stats.Errors);
        Assert.DoesNotContain(collector.Endpoints, e => e.Source == HttpMetricSource.Server);
    }

    [Fact]
    public async Task Connection_errors_count_as_errors_by_default()
    {
        using var collector = new HttpMetricsCollector(new HttpMetricsCollectorOptions { CaptureServer = false, CaptureClient = true });
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri($"http://127.0.0.1:{port}/"), Ct));
        var key = new HttpEndpoint(HttpMetricSource.Client, "GET", "127.0.0.1");
        await WaitForAsync(() => collector.GetEndpoint(key)?.Errors >= 1);
        Assert.Equal(1, collector.GetEndpoint(key)!.Errors);
    }
}
