using ReleaseGates.Metrics;

namespace ReleaseGates.Tests.Gates.Latency;

/// <summary>The latency verdict as a pure function: metrics, conditions, options and baseline in, a result out.</summary>
public class LatencyJudgeTests
{
    private static RequestMetrics Metrics(int count, TimeSpan each)
    {
        var histogram = new LatencyHistogram();
        histogram.Record(each.Ticks * 100, count);
        return new RequestMetrics { Latency = histogram, Total = count, Duration = TimeSpan.FromSeconds(10) };
    }

    private static GateResult Judge(RequestMetrics metrics, GateBaseline? baseline, params string[] conditions)
    {
        var options = new LatencyGateOptions { Source = RequestMetricsSource.FromRecorder(new ConcurrentLatencyRecorder(), "test source") };
        return LatencyGate.Judge(metrics, [.. conditions.Select(GateCondition.Parse)], options, baseline);
    }

    [Fact]
    public void Fails_when_p95_exceeds_threshold()
        => Assert.Equal(GateStatus.Failed, Judge(Metrics(100, TimeSpan.FromMilliseconds(120)), null, "p(95) < 100ms").Status);

    [Fact]
    public void Warns_between_the_warning_and_the_failing_threshold()
        => Assert.Equal(GateStatus.Warning, Judge(Metrics(100, TimeSpan.FromMilliseconds(80)), null, "p(95) < 100ms warn 50ms").Status);

    [Fact]
    public void Holds_a_relative_condition_to_the_baseline_measurement_of_the_same_name()
    {
        var baseline = new GateBaseline([new Measurement("p(95)", 100, MetricUnit.Milliseconds)]);
        Assert.Equal(GateStatus.Passed, Judge(Metrics(100, TimeSpan.FromMilliseconds(105)), baseline, "p(95) <= +10%").Status);
        Assert.Equal(GateStatus.Failed, Judge(Metrics(100, TimeSpan.FromMilliseconds(130)), baseline, "p(95) <= +10%").Status);
    }

    [Fact]
    public void Without_a_baseline_a_relative_condition_is_not_a_pass()
        => Assert.NotEqual(GateStatus.Passed, Judge(Metrics(100, TimeSpan.FromMilliseconds(105)), null, "p(95) <= +10%").Status);

    [Fact]
    public void Too_few_samples_is_no_data_never_a_pass()
        => Assert.Equal(GateStatus.Skipped, Judge(Metrics(0, TimeSpan.FromMilliseconds(1)), null, "p(95) < 100ms").Status);
}
