using ReleaseGates.Metrics;

namespace ReleaseGates.Tests.Gates.Latency;

public class LatencyGateTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>1 000 latencies of 1..1000 ms: p(95) is 950 ms, avg 500.5 ms.</summary>
    private static ConcurrentLatencyRecorder Recorder(int count = 1000)
    {
        var recorder = new ConcurrentLatencyRecorder();
        for (var i = 1; i <= count; i++)
        {
            recorder.Record(TimeSpan.FromMilliseconds(i));
        }

        return recorder;
    }

    private static async Task<GateReport> Evaluate(Action<LatencyGateOptions> configure, ReleaseReport? baseline = null)
    {
        var evaluator = ReleaseGate.CreateBuilder().AddLatency("latency", configure).Build();
        return (await evaluator.EvaluateAsync(new EvaluationRequest { Baseline = baseline }, Ct)).Gates[0];
    }

    [Theory]
    [InlineData("p(95) < 951ms", GateStatus.Passed)]
    [InlineData("p(95) < 949ms", GateStatus.Failed)]
    [InlineData("p(95) < 1s warn 900ms", GateStatus.Warning)]
    [InlineData("avg < 501ms", GateStatus.Passed)]
    [InlineData("avg < 500ms", GateStatus.Failed)]
    [InlineData("max <= 1s", GateStatus.Passed)]
    [InlineData("min >= 2ms", GateStatus.Failed)]
    [InlineData("med < 0.5s", GateStatus.Failed)]
    [InlineData("count >= 1000", GateStatus.Passed)]
    public async Task Holds_each_metric_on_both_sides_of_its_threshold(string condition, GateStatus expected)
    {
        var gate = await Evaluate(o => { o.Source = RequestMetricsSource.FromRecorder(Recorder()); o.Conditions.Add(condition); });
        Assert.Equal(expected, gate.Status);
    }

    [Fact]
    public async Task Fails_when_p95_exceeds_threshold_and_reports_value_and_threshold()
    {
        var gate = await Evaluate(o => o.Percentile(95).Below(TimeSpan.FromMilliseconds(300), warning: TimeSpan.FromMilliseconds(200)).Source = RequestMetricsSource.FromRecorder(Recorder()));
        Assert.Equal(GateStatus.Failed, gate.Status);
        var p95 = gate.Measurements.Single(m => m.Name == "p(95)");
        Assert.Equal(950, p95.Value, 950 * 0.001);
        Assert.Equal(MetricUnit.Milliseconds, p95.Unit);
        Assert.Equal("p(95) < 300ms warn 200ms", p95.Condition!.ToString());
    }

    [Theory]
    [InlineData(GateStatus.Skipped)]
    [InlineData(GateStatus.Failed)]
    public async Task Too_few_samples_is_never_a_pass(GateStatus noData)
    {
        var gate = await Evaluate(o =>
        {
            o.Source = RequestMetricsSource.FromRecorder(Recorder(10));
            o.Conditions.Add("p(95) < 10s");
            o.MinimumSamples = 100;
            o.NoDataStatus = noData;
        });
        Assert.Equal(noData, gate.Status);
        Assert.Contains("10 samples", gate.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relative_condition_uses_the_baseline_with_its_noise_floor()
    {
        var baseline = await ReleaseGate.CreateBuilder()
            .AddGate("latency", (_, _) => ValueTask.FromResult(GateResult.Passed("old", [new Measurement("p(95)", 900, MetricUnit.Milliseconds)])))
            .EvaluateAsync(Ct);
        var within = await Evaluate(o => { o.Source = RequestMetricsSource.FromRecorder(Recorder()); o.Conditions.Add("p(95) <= +10%"); }, baseline);
        Assert.Equal(GateStatus.Passed, within.Status);       // 950 <= 990
        var beyond = await Evaluate(o => { o.Source = RequestMetricsSource.FromRecorder(Recorder()); o.Conditions.Add("p(95) <= +5%"); }, baseline);
        Assert.Equal(GateStatus.Failed, beyond.Status);       // 950 > 945
        var floor = await Evaluate(o => { o.Source = RequestMetricsSource.FromRecorder(Recorder()); o.Conditions.Add("p(95) <= +5% floor 1s"); }, baseline);
        Assert.Equal(GateStatus.Passed, floor.Status);
    }

    [Fact]
    public async Task Throughput_is_requests_over_the_measured_window()
    {
        // The seed that reports 5 req/s against a goal of 100 must fail.
        RequestMetricsSource Source(long requests) => RequestMetricsSource.FromDelegate(
            RequestMetricsCapabilities.Latency | RequestMetricsCapabilities.Duration, "load test",
            _ => ValueTask.FromResult(new RequestMetrics { Total = requests, Duration = TimeSpan.FromSeconds(60), Latency = Recorder().GetCumulativeSnapshot() }));
        Assert.Equal(GateStatus.Failed, (await Evaluate(o => { o.Source = Source(300); o.Conditions.Add("rps >= 100"); })).Status);
        Assert.Equal(GateStatus.Passed, (await Evaluate(o => { o.Source = Source(6000); o.Conditions.Add("rps >= 100"); })).Status);
    }

    [Fact]
    public void Conditions_the_source_cannot_answer_are_rejected_at_registration()
    {
        var ex = Assert.Throws<ReleaseGatesConfigurationException>(() => ReleaseGate.CreateBuilder().AddLatency("l", o =>
        {
            o.Source = RequestMetricsSource.FromRecorder(new ConcurrentLatencyRecorder());
            o.Conditions.Add("rps > 100");          // a recorder has no window
            o.Conditions.Add("p(95) < 85%");        // wrong dimension
            o.Conditions.Add("p(95 < 3ms");         // does not parse
            o.Conditions.Add("apdex > 0.9");        // unknown metric
            o.NoDataStatus = GateStatus.Passed;
        }));
        Assert.Equal(5, ex.Problems.Count);
    }

    [Fact]
    public void A_source_is_required()
        => Assert.Throws<ReleaseGatesConfigurationException>(() => ReleaseGate.CreateBuilder().AddLatency("l", o => o.Conditions.Add("p(95) < 1s")));

    [Theory]
    [InlineData(4000, 6, GateStatus.Failed)]    // every minute of the last five above 3 s: seed 001's rollback trigger fires
    [InlineData(1000, 6, GateStatus.Passed)]    // five judged minutes, none above
    [InlineData(4000, 2, GateStatus.Skipped)]   // two minutes of traffic cannot show five: inconclusive, never a pass
    public async Task A_sustained_latency_condition_needs_every_interval_of_its_window(int milliseconds, int minutes, GateStatus expected)
    {
        var clock = new FakeTimeProvider();
        var windows = new RequestWindows(TimeSpan.FromMinutes(1), 30, clock, trackLatency: true);
        var histogram = new LatencyHistogram();
        for (var minute = 0; minute < minutes; minute++)
        {
            for (var i = 0; i < 20; i++)
            {
                windows.Record(isError: false, TimeSpan.FromMilliseconds(milliseconds - i));
                histogram.Record(TimeSpan.FromMilliseconds(milliseconds - i));
            }

            clock.Advance(TimeSpan.FromMinutes(1));
        }

        var source = RequestMetricsSource.FromDelegate(RequestMetricsCapabilities.Latency | RequestMetricsCapabilities.Windows, "windowed",
            _ => ValueTask.FromResult(new RequestMetrics { Latency = histogram, Total = histogram.Count, Windows = windows }));
        var gate = await Evaluate(o =>
        {
            o.Source = source;
            o.SustainedAbove = TimeSpan.FromSeconds(3);
            o.SustainedPercentile = 95;
            o.SustainedFor = TimeSpan.FromMinutes(5);
        });

        Assert.Equal(expected, gate.Status);
        if (expected == GateStatus.Failed)
        {
            Assert.Contains(gate.Findings, f => f.Code == "latency.sustained");
            Assert.StartsWith("p(95) above 3000 ms for 00:05:00: sustained in all 5 intervals", gate.Summary, StringComparison.Ordinal);
        }
        else if (expected == GateStatus.Skipped)
        {
            Assert.Contains("only 2 of the 5 intervals", gate.Summary, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_sustained_condition_on_a_source_without_latency_windows_is_an_error()
    {
        var windows = new RequestWindows(TimeSpan.FromMinutes(1), 30);
        var source = RequestMetricsSource.FromDelegate(RequestMetricsCapabilities.Latency | RequestMetricsCapabilities.Windows, "counts only",
            _ => ValueTask.FromResult(new RequestMetrics { Latency = Recorder().GetCumulativeSnapshot(), Total = 1000, Windows = windows }));
        var gate = await Evaluate(o => { o.Source = source; o.SustainedAbove = TimeSpan.FromSeconds(3); });
        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.Contains("keeps no per-interval latency", gate.Summary, StringComparison.Ordinal);
    }
}
