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

    [Fact]
    public async Task With_the_system_clock_its_own_thread_ends_each_interval_and_requests_land_in_theirs()
    {
        var interval = TimeSpan.FromSeconds(2);
        using var collector = new HttpMetricsCollector(new HttpMetricsCollectorOptions { CaptureServer = false, WindowInterval = interval, WindowIntervalCount = 10 });
        var observation = new HttpRequestObservation(HttpMetricSource.Server, "GET", "/ticker", 200, null, TimeSpan.FromMilliseconds(3));

        // A quarter into an interval, five requests; a quarter into the next, three: half a second from every boundary.
        var first = await QuarterIntoAnIntervalAsync(interval);
        for (var i = 0; i < 5; i++)
        {
            collector.Record(i == 0 ? observation with { StatusCode = 503 } : observation);
        }

        Assert.True(DateTimeOffset.UtcNow < first + interval, "the first requests were recorded too late to test the boundary");
        await Task.Delay(first + interval + (interval / 4) - DateTimeOffset.UtcNow, Ct);
        for (var i = 0; i < 3; i++)
        {
            collector.Record(observation);
        }

        var windows = collector.GetEndpoint(new HttpEndpoint(HttpMetricSource.Server, "GET", "/ticker"))!.Windows;
        var intervals = windows.GetIntervals(interval * 2).Where(i => i.Start >= first).ToArray();
        Assert.Equal([(first, 5L, 1L), (first + interval, 3L, 0L)], intervals.Select(i => (i.Start, i.Total, i.Errors)));
        var all = collector.GetTotal().Windows.GetIntervals(interval * 4);
        Assert.True(
            all.Where(i => i.Start >= first).Select(i => i.Total).SequenceEqual([5L, 3L]),
            $"first {first:HH:mm:ss.fff}; total's intervals: {string.Join(", ", all.Select(i => $"{i.Start:HH:mm:ss.fff} {i.Total}/{i.Errors}"))}");

        // Disposing stops the thread (twice is harmless) and leaves what was captured readable.
        collector.Dispose();
        collector.Dispose();
        Assert.Equal(8, collector.GetTotal().Total);
        Assert.Equal(8, windows.GetTotals(interval * 2).Total);
    }

    /// <summary>Waits until a quarter of the way into an epoch-aligned interval and returns that interval's start.</summary>
    private static async Task<DateTimeOffset> QuarterIntoAnIntervalAsync(TimeSpan interval)
    {
        var now = DateTimeOffset.UtcNow;
        var start = DateTimeOffset.UnixEpoch.AddTicks((now - DateTimeOffset.UnixEpoch).Ticks / interval.Ticks * interval.Ticks);
        var target = start + (interval / 4);
        if (now > target)
        {
            start += interval;
            target += interval;
        }

        await Task.Delay(target - now, Ct);
        return start;
    }
}
