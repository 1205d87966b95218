using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ReleaseGates.IntegrationTests.Support;

namespace ReleaseGates.IntegrationTests.Sources;

/// <summary>
/// The open-model load probe against a Kestrel app on 127.0.0.1 that stalls at a known moment for a known time: each
/// request's latency counts from when it came due, so the stall is charged to every request it delayed, where the closed
/// loop sees one slow request. Traffic only to loopback, capped in count and time.
/// </summary>
public class OpenModelLoadProbeTests
{
    private const double Rate = 200;
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan StallAt = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StallFor = TimeSpan.FromMilliseconds(500);

    /// <summary>Warm-up requests: the connection and the sending code are ready when the measured run starts.</summary>
    private const int WarmUp = 3;

    /// <summary>How far a measured percentile may lie from the one computed from the schedule: the machine is shared.</summary>
    private const double ToleranceMs = 60;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Open_model_percentiles_equal_those_computed_from_the_stall_schedule()
    {
        await using var app = await StallingApp.StartAsync(Ct);
        var result = await HttpLoadProbe.RunAsync(OpenModel(app.Target), cancellationToken: Ct);

        // Request n comes due at n / rate; one due inside the stall is answered when the stall ends.
        var expected = Enumerable.Range(0, (int)(Rate * Run.TotalSeconds)).Select(n => ExpectedLatencyMs(n / Rate)).Order().ToArray();
        Assert.Equal(HttpLoadProbeModel.OpenModel, result.Model);
        Assert.Equal(expected.Length, result.Scheduled);
        Assert.Equal(expected.Length, result.Total);
        Assert.Equal(0, result.Dropped);
        Assert.Equal(0, result.Errors);
        Assert.Equal(Rate, result.IntendedRequestsPerSecond);
        foreach (var percentile in new[] { 50.0, 90, 99, 100 })
        {
            var want = NearestRank(expected, percentile);
            var got = result.Latency.ValueAtPercentile(percentile) / 1e6;
            Assert.True(Math.Abs(got - want) <= ToleranceMs, $"p({percentile}): {got:0.#} ms measured, {want:0.#} ms from the schedule");
        }

        // Enough connections for every request the stall held: each was sent when it came due, none waited in the probe.
        Assert.True(result.StartDelays!.ValueAtPercentile(50) / 1e6 < ToleranceMs, $"{result.StartDelays.ValueAtPercentile(50) / 1e6} ms");
    }

    [Fact]
    public async Task A_stalled_server_fails_the_latency_gate_through_the_open_model_where_the_closed_loop_passes_it()
    {
        await using var closedApp = await StallingApp.StartAsync(Ct);
        await using var openApp = await StallingApp.StartAsync(Ct);
        var closed = new HttpLoadProbeOptions { Concurrency = 1, Requests = 200_000, Duration = Run, WarmupRequests = WarmUp };
        closed.Targets.Add(closedApp.Target);

        var report = await ReleaseGate.CreateBuilder()
            .AddLatency("closed-loop", o => { o.Source = RequestMetricsSource.FromLoadProbe(closed); o.Conditions.Add("p(99) < 100ms"); })
            .AddLatency("open-model", o => { o.Source = RequestMetricsSource.FromLoadProbe(OpenModel(openApp.Target)); o.Conditions.Add("p(99) < 100ms"); })
            .Configure(o => o.MaximumConcurrency = 1)
            .EvaluateAsync(Ct);

        var closedGate = report.FindGate("closed-loop")!;
        var openGate = report.FindGate("open-model")!;
        Assert.True(closedApp.Stalled > 0, "the closed loop's run reached the stall");
        Assert.Equal(GateStatus.Passed, closedGate.Status);
        Assert.Contains(closedGate.Findings, f => f.Code == "load.model" && f.Message.StartsWith("Closed loop", StringComparison.Ordinal));
        Assert.Equal(GateStatus.Failed, openGate.Status);
        Assert.Contains(openGate.Findings, f => f.Code == "load.model" && f.Message.StartsWith("Open model", StringComparison.Ordinal));
        Assert.Equal(Rate, openGate.Measurements.Single(m => m.Name == "intended-rps").Value);
        Assert.Equal(0, openGate.Measurements.Single(m => m.Name == "dropped").Value);
    }

    [Fact]
    public async Task A_probe_that_drops_requests_is_inconclusive_never_a_pass_and_a_failure_stands()
    {
        // One connection against 100 ms answers cannot carry 50 requests a second: those due while it is busy are dropped.
        await using var app = await LoopbackApp.StartAsync(a => a.MapGet("/slow", async () => { await Task.Delay(100); return "ok"; }), Ct);
        HttpLoadProbeOptions Probe()
        {
            var o = new HttpLoadProbeOptions
            {
                RequestsPerSecond = 50, Concurrency = 1, Duration = TimeSpan.FromSeconds(1), Requests = 1000, WarmupRequests = 0,
            };
            o.Targets.Add(new Uri(app.BaseAddress, "slow"));
            return o;
        }

        var result = await HttpLoadProbe.RunAsync(Probe(), cancellationToken: Ct);
        Assert.True(result.Dropped > 0, $"{result.Dropped} dropped, {result.Total} sent, {result.Scheduled} scheduled, {result.LateStarts} late, {result.Errors} errors, {result.Duration}");
        Assert.Equal(result.Scheduled, result.Total + result.Dropped);
        Assert.Equal(50, result.Scheduled);
        // One request per 100 ms answer fits in the second (and DropAfter after it): about 11 of the 50, with room to spare
        // here. Fewer on a busy machine, where the answers come later, but never none: the first finds the connection free.
        Assert.InRange(result.Total, 1, 15);

        var report = await ReleaseGate.CreateBuilder()
            .AddLatency("lenient", o => { o.Source = RequestMetricsSource.FromLoadProbe(Probe()); o.Conditions.Add("p(99) < 10s"); })
            .AddErrorRate("errors", o => { o.Source = RequestMetricsSource.FromLoadProbe(Probe()); o.MaximumRate = 1; })
            .AddLatency("strict", o => { o.Source = RequestMetricsSource.FromLoadProbe(Probe()); o.Conditions.Add("p(50) < 1ms"); })
            .Configure(o => o.MaximumConcurrency = 1)
            .EvaluateAsync(Ct);
        foreach (var name in new[] { "lenient", "errors" })
        {
            var gate = report.FindGate(name)!;
            Assert.Equal(GateStatus.Skipped, gate.Status);
            Assert.StartsWith("Inconclusive: the load probe did not generate its rate", gate.Summary, StringComparison.Ordinal);
            Assert.Contains(gate.Findings, f => f.Code == "load.rate-not-generated");
        }

        Assert.Equal(GateStatus.Failed, report.FindGate("strict")!.Status);
        Assert.NotEqual(ReleaseDecision.Go, report.Decision);
    }

    [Fact]
    public async Task A_ramp_sends_fewer_requests_early_and_the_full_rate_after()
    {
        await using var app = await StallingApp.StartAsync(Ct, stall: false);
        var options = new HttpLoadProbeOptions
        {
            RequestsPerSecond = 100, RampUp = TimeSpan.FromSeconds(1), Duration = TimeSpan.FromSeconds(2), Requests = 10_000, WarmupRequests = WarmUp,
            Concurrency = 16,
        };
        options.Targets.Add(app.Target);
        var result = await HttpLoadProbe.RunAsync(options, cancellationToken: Ct);

        // 50 due over the ramp (the area under the rising rate) and 100 in the second after it.
        Assert.Equal(150, result.Scheduled);
        Assert.Equal(150, result.Total + result.Dropped);
        Assert.InRange(result.Total, 145, 150); // a machine busy enough to starve every free worker for 10 ms drops one
        // 100·t²/2 due by t over the ramp: 12.5 in its first half second, 37.5 in its second. (The first arrival is the
        // server's zero, a little after the probe's, so the windows slide by the time a first connection takes.)
        var first = app.ArrivalsBefore(TimeSpan.FromSeconds(0.5));
        var second = app.ArrivalsBefore(TimeSpan.FromSeconds(1)) - first;
        Assert.InRange(first, 8, 25);
        Assert.InRange(second, 28, 45);
    }

    [Fact]
    public void Open_model_options_are_validated()
    {
        var options = new HttpLoadProbeOptions { RequestsPerSecond = 0, Requests = 10 };
        options.Targets.Add(new Uri("http://127.0.0.1:1/"));
        var problems = new List<string>();
        options.Validate(problems);
        Assert.Contains(problems, p => p.Contains("RequestsPerSecond must be greater than 0", StringComparison.Ordinal));

        options = new HttpLoadProbeOptions { RampUp = TimeSpan.FromSeconds(1) };
        options.Targets.Add(new Uri("http://127.0.0.1:1/"));
        problems.Clear();
        options.Validate(problems);
        Assert.Contains(problems, p => p.Contains("RampUp needs RequestsPerSecond", StringComparison.Ordinal));

        options = new HttpLoadProbeOptions { RequestsPerSecond = 1, Requests = 1_000, Duration = null };
        options.Targets.Add(new Uri("http://127.0.0.1:1/"));
        problems.Clear();
        options.Validate(problems);
        Assert.Contains(problems, p => p.Contains("would take longer than", StringComparison.Ordinal));
    }

    private static HttpLoadProbeOptions OpenModel(Uri target)
    {
        var options = new HttpLoadProbeOptions
        {
            RequestsPerSecond = Rate, Concurrency = 128, Duration = Run, Requests = 100_000, WarmupRequests = WarmUp,
        };
        options.Targets.Add(target);
        return options;
    }

    private static double ExpectedLatencyMs(double dueSeconds)
    {
        var end = (StallAt + StallFor).TotalSeconds;
        return dueSeconds >= StallAt.TotalSeconds && dueSeconds < end ? (end - dueSeconds) * 1000 : 0;
    }

    private static double NearestRank(double[] sorted, double percentile) =>
        sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>
    /// Answers at once, except that from <see cref="StallAt"/> after its first measured request (the first after the
    /// warm-up) to <see cref="StallAt"/> + <see cref="StallFor"/> every response is held until the stall ends.
    /// </summary>
    private sealed class StallingApp : IAsyncDisposable
    {
        private readonly LoopbackApp _app;
        private readonly System.Collections.Concurrent.ConcurrentQueue<long> _arrivals = new();
        private long _zero;
        private int _stalled, _seen;

        private StallingApp(LoopbackApp app) => _app = app;

        public Uri Target => new(_app.BaseAddress, "work");

        public int Stalled => _stalled;

        public static async Task<StallingApp> StartAsync(CancellationToken cancellationToken, bool stall = true)
        {
            StallingApp? self = null;
            var app = await LoopbackApp.StartAsync(a => a.MapGet("/work", async () =>
            {
                var now = Stopwatch.GetTimestamp();
                if (Interlocked.Increment(ref self!._seen) <= WarmUp)
                {
                    return Results.Ok();
                }

                Interlocked.CompareExchange(ref self._zero, now, 0);
                self._arrivals.Enqueue(now);
                var since = Stopwatch.GetElapsedTime(self._zero, now);
                if (stall && since >= StallAt && since < StallAt + StallFor)
                {
                    Interlocked.Increment(ref self._stalled);
                    await Task.Delay(StallAt + StallFor - since);
                }

                return Results.Ok();
            }), cancellationToken);
            self = new StallingApp(app);
            return self;
        }

        public int ArrivalsBefore(TimeSpan after) => _arrivals.Count(a => Stopwatch.GetElapsedTime(_zero, a) < after);

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }
}
