using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ReleaseGates.IntegrationTests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace ReleaseGates.IntegrationTests.Http;

/// <summary>The HTTP probe both HTTP gates share, against a real Kestrel app on 127.0.0.1.</summary>
public sealed class HttpProbeTests : IAsyncLifetime
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private LoopbackApp _app = null!;
    private int _unavailable;

    public async ValueTask InitializeAsync() => _app = await LoopbackApp.StartAsync(
        app =>
        {
            app.MapGet("/a", () => Results.Redirect("/b"));
            app.MapGet("/b", () => Results.Redirect("/c", permanent: true, preserveMethod: true));
            app.MapGet("/c", (HttpContext ctx) => { ctx.Response.Headers.Append("X-Multi", "one"); ctx.Response.Headers.Append("X-Multi", "two"); return Results.Text("end"); });
            app.MapPost("/submit", () => Results.StatusCode(303)).AddEndpointFilter(async (ctx, next) => { ctx.HttpContext.Response.Headers.Location = "/seen"; return await next(ctx); });
            app.MapGet("/seen", (HttpRequest r) => Results.Text($"{r.Method} {r.ContentLength ?? 0}"));
            app.MapGet("/big", () => Results.Text(new string('x', 5000)));
            app.MapGet("/unavailable", () => Interlocked.Increment(ref _unavailable) <= 2 ? Results.StatusCode(503) : Results.Text("up"));
        },
        _ct);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Follows_redirects_by_hand_and_records_every_hop()
    {
        using var probe = Probe(new HttpProbeOptions());
        var response = await probe.SendAsync(new ProbeRequest(HttpMethod.Get, new Uri(_app.BaseAddress, "a")), _ct);

        Assert.True(response.Succeeded, response.Failure);
        Assert.Equal([302, 308, 200], response.Hops.Select(h => h.Status));
        Assert.Equal(new Uri(_app.BaseAddress, "c"), response.FinalUrl);
        Assert.Equal(["one", "two"], response.All("x-multi"));
        Assert.Equal("end", response.BodyText);
    }

    [Fact]
    public async Task A_post_answered_with_303_is_followed_by_a_get_without_the_body()
    {
        using var probe = Probe(new HttpProbeOptions());
        var response = await probe.SendAsync(new ProbeRequest(HttpMethod.Post, new Uri(_app.BaseAddress, "submit")) { Body = "{\"a\":1}" }, _ct);

        Assert.Equal([303, 200], response.Hops.Select(h => h.Status));
        Assert.Equal("GET 0", response.BodyText);
    }

    [Fact]
    public async Task Reads_the_body_only_up_to_the_cap()
    {
        using var probe = Probe(new HttpProbeOptions { MaximumBodyBytes = 100 });
        var response = await probe.SendAsync(new ProbeRequest(HttpMethod.Get, new Uri(_app.BaseAddress, "big")), _ct);

        Assert.Equal(100, response.Body.Length);
        Assert.True(response.BodyTruncated);
    }

    [Fact]
    public async Task Retries_503_with_backoff_until_the_service_answers()
    {
        using var probe = Probe(new HttpProbeOptions { MaximumRetries = 2, RetryDelay = TimeSpan.FromMilliseconds(10) });
        var response = await probe.SendAsync(new ProbeRequest(HttpMethod.Get, new Uri(_app.BaseAddress, "unavailable")), _ct);

        Assert.Equal(200, response.Status);
        Assert.Equal(3, _unavailable);
    }

    [Fact]
    public async Task A_refused_connection_is_a_failure_that_names_the_url_the_reason_and_the_attempts()
    {
        using var probe = Probe(new HttpProbeOptions { MaximumRetries = 1, RetryDelay = TimeSpan.FromMilliseconds(10) });
        var url = new Uri($"http://127.0.0.1:{Ports.Free()}/health");
        var response = await probe.SendAsync(new ProbeRequest(HttpMethod.Get, url), _ct);

        Assert.False(response.Succeeded);
        Assert.StartsWith($"GET {url}: connection failed (", response.Failure, StringComparison.Ordinal);
        Assert.EndsWith("(2 attempts)", response.Failure, StringComparison.Ordinal);
        Assert.Empty(response.Hops);
    }

    private static HttpProbe Probe(HttpProbeOptions options)
        => new(options, new GateContext("probe", EmptyServices.Instance, TimeProvider.System, NullLogger.Instance));

    private sealed class EmptyServices : IServiceProvider
    {
        public static readonly EmptyServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}
