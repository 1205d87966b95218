using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ReleaseGates.IntegrationTests.Support;

namespace ReleaseGates.IntegrationTests.Sources;

/// <summary>The bounded load probe against a real Kestrel app on 127.0.0.1; traffic only to loopback, capped in count and time.</summary>
public class HttpLoadProbeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Measures_latency_errors_and_throughput_and_excludes_warm_up()
    {
        var served = 0;
        await using var app = await LoopbackApp.StartAsync(a => a.MapGet("/probe/{id}", async (int id) =>
        {
            var n = Interlocked.Increment(ref served);
            await Task.Delay(20);
            return n % 5 == 0 ? Results.StatusCode(503) : Results.Ok(id);
        }), Ct);

        var options = new HttpLoadProbeOptions { Concurrency = 4, Requests = 100, WarmupRequests = 10 };
        options.Targets.Add(new Uri(app.BaseAddress, "probe/1"));
        var result = await HttpLoadProbe.RunAsync(options, cancellationToken: Ct);

        Assert.Equal(100, result.Total);
        Assert.Equal(110, served);
        Assert.Equal(100, result.Latency.Count);
        Assert.InRange(result.Errors, 19, 21);                 // one in five, counted after 10 warm-up requests
        Assert.InRange(result.Latency.ValueAtPercentile(50) / 1e6, 20, 500);
        Assert.InRange(result.RequestsPerSecond, 1, 4 / 0.020 * 1.05);   // at most 4 workers × 50 req/s
        Assert.Equal(0, result.Unanswered);
    }

    [Fact]
    public async Task Warm_up_is_spread_over_the_workers_so_every_connection_is_open_before_the_measurement()
    {
        var connections = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var app = await LoopbackApp.StartAsync(a => a.MapGet("/w", (HttpContext context) =>
        {
            connections.Enqueue(context.Connection.Id);
            return "ok";
        }), Ct);

        var options = new HttpLoadProbeOptions { Concurrency = 4, Requests = 20, WarmupRequests = 8 };
        options.Targets.Add(new Uri(app.BaseAddress, "w"));
        var result = await HttpLoadProbe.RunAsync(options, cancellationToken: Ct);

        // The measurement starts only when every worker has sent its two: the first eight arrive on all four
        // connections, and no connection is opened (and measured) after them.
        var order = connections.ToArray();
        Assert.Equal(28, order.Length);
        Assert.Equal(20, result.Total);
        Assert.Equal(4, order.Take(8).Distinct().Count());
        Assert.Empty(order.Skip(8).Except(order.Take(8)));
    }

    [Fact]
    public async Task Duration_caps_the_run()
    {
        await using var app = await LoopbackApp.StartAsync(a => a.MapGet("/slowish", async () => { await Task.Delay(50); return "ok"; }), Ct);
        var options = new HttpLoadProbeOptions { Concurrency = 2, Requests = 1_000_000, Duration = TimeSpan.FromMilliseconds(500), WarmupRequests = 0 };
        options.Targets.Add(new Uri(app.BaseAddress, "slowish"));
        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = await HttpLoadProbe.RunAsync(options, cancellationToken: Ct);

        // A million requests at 50 ms on 2 workers would take hours: anything near the cap shows the cap held.
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(60), started.Elapsed.ToString());
        Assert.InRange(result.Total, 2, 40);
    }

    [Fact]
    public async Task Latency_gate_on_the_probe_decides_both_ways_and_reports_rps()
    {
        await using var app = await LoopbackApp.StartAsync(a => a.MapGet("/p", async () => { await Task.Delay(30); return "ok"; }), Ct);
        HttpLoadProbeOptions Probe()
        {
            var o = new HttpLoadProbeOptions { Concurrency = 2, Requests = 40, WarmupRequests = 2 };
            o.Targets.Add(new Uri(app.BaseAddress, "p"));
            return o;
        }

        var report = await ReleaseGate.CreateBuilder()
            .AddLatency("fast-enough", o => { o.Source = RequestMetricsSource.FromLoadProbe(Probe()); o.Conditions.Add("p(95) < 5s"); o.Conditions.Add("rps > 1"); })
            .AddLatency("too-slow", o => { o.Source = RequestMetricsSource.FromLoadProbe(Probe()); o.Conditions.Add("p(50) < 10ms"); })
            .AddErrorRate("no-errors", o => { o.Source = RequestMetricsSource.FromLoadProbe(Probe()); o.MaximumRate = 0; })
            .Configure(o => o.MaximumConcurrency = 1)
            .EvaluateAsync(Ct);
        Assert.Equal(GateStatus.Passed, report.FindGate("fast-enough")!.Status);
        Assert.Equal(GateStatus.Failed, report.FindGate("too-slow")!.Status);
        Assert.Equal(GateStatus.Passed, report.FindGate("no-errors")!.Status);
        Assert.InRange(report.FindGate("fast-enough")!.Measurements.Single(m => m.Name == "rps").Value, 1, 2 / 0.030 * 1.05);
    }

    [Fact]
    public async Task A_gate_on_the_probe_tells_its_request_count_while_it_runs()
    {
        await using var app = await LoopbackApp.StartAsync(a => a.MapGet("/tick", async () => { await Task.Delay(10); return "ok"; }), Ct);
        var counted = new System.Collections.Concurrent.ConcurrentQueue<long>();
        var options = new HttpLoadProbeOptions { Concurrency = 1, Duration = TimeSpan.FromMilliseconds(1200), Requests = 10_000, WarmupRequests = 0, Progress = new Counted(counted) };
        options.Targets.Add(new Uri(app.BaseAddress, "tick"));
        var steps = new System.Collections.Concurrent.ConcurrentQueue<GateProgress>();

        await ReleaseGate.CreateBuilder()
            .AddLatency("load", o => { o.Source = RequestMetricsSource.FromLoadProbe(options); o.Conditions.Add("p(95) < 5s"); })
            .EvaluateAsync(new EvaluationRequest { Progress = new Steps(steps) }, Ct);

        var running = steps.Where(s => s.Kind == GateProgressKind.Running).ToList();
        Assert.InRange(running.Count, 2, 1200 / 250 + 1);   // thinned to about four a second over 1.2 s
        Assert.All(running, s => Assert.Matches(@"^[\d,]+ requests?$", s.Detail));
        Assert.NotEmpty(counted);                            // the caller's own progress is still told every request
        Assert.Equal(GateProgressKind.Finished, steps.Last().Kind);
    }

    private sealed class Counted(System.Collections.Concurrent.ConcurrentQueue<long> into) : IProgress<long>
    {
        public void Report(long value) => into.Enqueue(value);
    }

    private sealed class Steps(System.Collections.Concurrent.ConcurrentQueue<GateProgress> into) : IProgress<GateProgress>
    {
        public void Report(GateProgress value) => into.Enqueue(value);
    }

    [Fact]
    public async Task A_target_that_refuses_connections_is_an_error_not_a_failure()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var options = new HttpLoadProbeOptions { Concurrency = 1, Requests = 3, WarmupRequests = 0, RequestTimeout = TimeSpan.FromSeconds(2) };
        options.Targets.Add(new Uri($"http://127.0.0.1:{port}/"));
        var report = await ReleaseGate.CreateBuilder()
            .AddLatency("down", o => { o.Source = RequestMetricsSource.FromLoadProbe(options); o.Conditions.Add("p(95) < 1s"); })
            .EvaluateAsync(Ct);
        var gate = report.Gates[0];
        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.Contains("No request of the load probe got a response", gate.Summary, StringComparison.Ordinal);
        Assert.True(HttpLoadProbe.UsesLoopbackConnections(options));
        Assert.Contains("Connection refused", gate.Summary, StringComparison.Ordinal); // the refusal, named as the socket reports it
    }

    [Fact]
    public void Unbounded_or_invalid_probes_are_rejected_at_registration()
    {
        var options = new HttpLoadProbeOptions { Requests = null, Duration = null, Concurrency = 0 };
        options.Targets.Add(new Uri("ftp://127.0.0.1/"));
        var ex = Assert.Throws<ReleaseGatesConfigurationException>(() => ReleaseGate.CreateBuilder()
            .AddLatency("l", o => { o.Source = RequestMetricsSource.FromLoadProbe(options); o.Conditions.Add("p(95) < 1s"); }));
        Assert.Equal(3, ex.Problems.Count);
    }

    [Fact]
    public async Task Latency_and_error_rate_gates_on_one_probe_share_one_run_per_evaluation()
    {
        var served = 0;
        await using var app = await LoopbackApp.StartAsync(a => a.MapGet("/shared", () => { Interlocked.Increment(ref served); return "ok"; }), Ct);
        var options = new HttpLoadProbeOptions { Concurrency = 2, Requests = 30, WarmupRequests = 0 };
        options.Targets.Add(new Uri(app.BaseAddress, "shared"));
        var probe = RequestMetricsSource.FromLoadProbe(options);
        var evaluator = ReleaseGate.CreateBuilder()
            .AddLatency("latency", o => { o.Source = probe; o.Conditions.Add("p(95) < 10s"); o.MinimumSamples = 10; })
            .AddErrorRate("errors", o => { o.Source = probe; o.MaximumRate = 0; o.MinimumRequests = 10; })
            .Build();

        var first = await evaluator.EvaluateAsync(null, Ct);
        Assert.Equal(30, served);   // one run for both gates
        Assert.Equal(30, first.FindGate("latency")!.Measurements.Single(m => m.Name == "count").Value);
        Assert.Equal(30, first.FindGate("errors")!.Measurements.Single(m => m.Name == "requests").Value);

        await evaluator.EvaluateAsync(null, Ct);
        Assert.Equal(60, served);   // and a new run for the next evaluation
    }

    [Fact]
    public async Task Sends_the_method_headers_and_body_it_is_given()
    {
        var seen = new System.Collections.Concurrent.ConcurrentBag<string>();
        await using var app = await LoopbackApp.StartAsync(a => a.MapPost("/api/screener/filter", async (HttpRequest r) =>
        {
            using var reader = new StreamReader(r.Body);
            seen.Add($"{r.Headers["X-Api-Key"]} {r.ContentType} {await reader.ReadToEndAsync()}");
            return Results.Ok();
        }), Ct);
        var options = new HttpLoadProbeOptions { Concurrency = 1, Requests = 3, WarmupRequests = 0, Method = HttpMethod.Post, Body = "{\"sector\":\"tech\"}" };
        options.Headers["X-Api-Key"] = "k-1";
        options.Targets.Add(new Uri(app.BaseAddress, "api/screener/filter"));
        var result = await HttpLoadProbe.RunAsync(options, cancellationToken: Ct);

        Assert.Equal(0, result.Errors);
        Assert.Equal(3, seen.Count);
        Assert.All(seen, s => Assert.Equal("k-1 application/json; charset=utf-8 {\"sector\":\"tech\"}", s));
    }

    [Fact]
    public async Task An_unexpected_4xx_or_an_unfollowed_redirect_is_an_error_by_default()
    {
        await using var app = await LoopbackApp.StartAsync(a =>
        {
            a.MapGet("/gone", () => Results.NotFound());
            a.MapGet("/loop", () => Results.Redirect("/loop"));
        }, Ct);
        foreach (var path in new[] { "gone", "loop" })
        {
            var options = new HttpLoadProbeOptions { Concurrency = 1, Requests = 4, WarmupRequests = 0 };
            options.Targets.Add(new Uri(app.BaseAddress, path));
            var result = await HttpLoadProbe.RunAsync(options, cancellationToken: Ct);
            Assert.Equal(4, result.Errors);
        }

        var accepting = new HttpLoadProbeOptions { Concurrency = 1, Requests = 4, WarmupRequests = 0, IsError = r => (int)r.StatusCode >= 500 };
        accepting.Targets.Add(new Uri(app.BaseAddress, "gone"));
        Assert.Equal(0, (await HttpLoadProbe.RunAsync(accepting, cancellationToken: Ct)).Errors);
    }
}
