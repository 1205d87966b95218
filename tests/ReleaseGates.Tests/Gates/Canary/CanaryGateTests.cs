using ReleaseGates.Metrics;

namespace ReleaseGates.Tests.Gates.Canary;

public class CanaryGateTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Log-normal-ish latencies around <paramref name="medianMs"/>, in nanoseconds, from a fixed seed.</summary>
    private static double[] Latencies(int count, double medianMs, int seed, double extraMs = 0)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => ((medianMs * Math.Exp((random.NextDouble() - 0.5) * 0.8)) + extraMs) * 1e6).ToArray();
    }

    private static CanaryGateOptions Options(Action<CanaryGateOptions>? configure = null)
    {
        var options = new CanaryGateOptions { MaximumIncrease = TimeSpan.FromMilliseconds(5) };
        configure?.Invoke(options);
        return options;
    }

    private static GateResult Judge(double[] baseline, double[] canary, Action<CanaryGateOptions>? configure = null)
        => CanaryGate.Judge(WeightedSample.FromValues(baseline), WeightedSample.FromValues(canary), Options(configure));

    private static double Value(GateResult result, string name) => result.Measurements.Single(m => m.Name == name).Value;

    [Fact]
    public void Fails_when_the_canary_is_slower_than_allowed_with_confidence()
    {
        var result = Judge(Latencies(400, 100, 1), Latencies(400, 100, 2, extraMs: 20));
        Assert.Equal(GateStatus.Failed, result.Status);
        Assert.Equal("canary.slower", Assert.Single(result.Findings).Code);
        Assert.InRange(Value(result, "shift"), 15, 25);
        Assert.True(Value(result, "shift-lower") > 5);
        Assert.True(Value(result, "p-value") < 1e-6);
    }

    [Fact]
    public void Passes_when_the_whole_interval_lies_within_the_allowed_increase()
    {
        var result = Judge(Latencies(400, 100, 3), Latencies(400, 100, 4, extraMs: 1), o => o.MaximumIncrease = TimeSpan.FromMilliseconds(10));
        Assert.Equal(GateStatus.Passed, result.Status);
        Assert.True(Value(result, "shift-upper") <= 10);
        Assert.Equal(10, Value(result, "allowed-increase"));
    }

    [Fact]
    public void Is_inconclusive_when_the_interval_reaches_across_the_allowance()
    {
        // A 4 ms shift against a 5 ms allowance, with 60 requests a side: the interval is far wider than the gap.
        var result = Judge(Latencies(60, 100, 5), Latencies(60, 100, 6, extraMs: 4));
        Assert.Equal(GateStatus.Skipped, result.Status);
        Assert.True(Value(result, "shift-lower") <= 5 && Value(result, "shift-upper") > 5);
        Assert.Contains("cannot tell", result.Summary, StringComparison.Ordinal);

        var strict = Judge(Latencies(60, 100, 5), Latencies(60, 100, 6, extraMs: 4), o => o.InconclusiveStatus = GateStatus.Failed);
        Assert.Equal(GateStatus.Failed, strict.Status);
        Assert.Equal("canary.inconclusive", Assert.Single(strict.Findings).Code);
    }

    [Fact]
    public void Too_few_requests_is_inconclusive_not_a_pass()
    {
        var result = Judge(Latencies(49, 100, 7), Latencies(400, 100, 8));
        Assert.Equal(GateStatus.Skipped, result.Status);
        Assert.Contains("baseline 49", result.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Measurements, m => m.Name == "shift");
    }

    [Fact]
    public void The_stricter_of_an_absolute_and_a_relative_allowance_applies()
    {
        var result = Judge(Latencies(400, 100, 9), Latencies(400, 100, 10, extraMs: 15), o =>
        {
            o.MaximumIncrease = TimeSpan.FromMilliseconds(50);
            o.MaximumRelativeIncrease = 0.02; // 2 % of a ~100 ms median
        });
        Assert.InRange(Value(result, "allowed-increase"), 1.8, 2.2);
        Assert.Equal(GateStatus.Failed, result.Status);
    }

    [Fact]
    public async Task A_source_without_a_histogram_is_an_error_naming_it()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(TimeSpan.FromMilliseconds(1));
        var report = await ReleaseGate.CreateBuilder().AddCanary("canary", o =>
        {
            o.Baseline = RequestMetricsSource.FromDelegate(RequestMetricsCapabilities.Latency, "baseline pods", _ => ValueTask.FromResult(new RequestMetrics { Latency = histogram, Total = 1 }));
            o.Canary = RequestMetricsSource.FromDelegate(RequestMetricsCapabilities.Latency, "k6 summary", _ => ValueTask.FromResult(new RequestMetrics { Total = 1 }));
            o.MaximumIncrease = TimeSpan.FromMilliseconds(5);
        }).EvaluateAsync(Ct);
        Assert.Equal(GateStatus.Error, report.Gates[0].Status);
        Assert.Contains("canary (k6 summary) gives no latency histogram", report.Gates[0].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_options_are_all_reported()
    {
        var ex = Assert.Throws<ReleaseGatesConfigurationException>(() => ReleaseGate.CreateBuilder().AddCanary("c", o =>
        {
            o.Confidence = 1;
            o.MinimumSamples = 3;
            o.InconclusiveStatus = GateStatus.Warning;
        }));
        Assert.Contains("Baseline is required", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Canary is required", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Set MaximumIncrease, MaximumRelativeIncrease or both", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Confidence must be between 0.5 and 0.999", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MinimumSamples must be at least 10", ex.Message, StringComparison.Ordinal);
        Assert.Contains("InconclusiveStatus must be Skipped or Failed", ex.Message, StringComparison.Ordinal);
    }
}
