namespace ReleaseGates.Tests.Gates.ErrorRate;

/// <summary>The error-rate verdict as a pure function: counts, options and baseline in, a result out.</summary>
public class ErrorRateJudgeTests
{
    private static GateResult Judge(long total, long errors, Action<ErrorRateGateOptions> configure, GateBaseline? baseline = null)
    {
        var options = new ErrorRateGateOptions { Source = RequestMetricsSource.FromDelegate(RequestMetricsCapabilities.Errors, "test source", _ => ValueTask.FromResult(new RequestMetrics())) };
        configure(options);
        return ErrorRateGate.Judge(new RequestMetrics { Total = total, Errors = errors, Duration = TimeSpan.FromMinutes(1) }, options, baseline);
    }

    [Theory]
    [InlineData(0, GateStatus.Passed)]
    [InlineData(5, GateStatus.Warning)]
    [InlineData(20, GateStatus.Failed)]
    public void Fails_above_the_maximum_rate_and_warns_above_the_warning_rate(long errors, GateStatus expected)
        => Assert.Equal(expected, Judge(1000, errors, o => { o.MaximumRate = 0.01; o.WarningRate = 0.001; }).Status);

    [Fact]
    public void Holds_a_relative_condition_to_the_baseline_rate()
    {
        var baseline = new GateBaseline([new Measurement("rate", 0.01, MetricUnit.Ratio)]);
        Assert.Equal(GateStatus.Passed, Judge(1000, 10, o => o.Conditions.Add("rate <= +50%"), baseline).Status);
        Assert.Equal(GateStatus.Failed, Judge(1000, 30, o => o.Conditions.Add("rate <= +50%"), baseline).Status);
    }

    [Fact]
    public void No_requests_is_no_data_never_a_pass()
        => Assert.NotEqual(GateStatus.Passed, Judge(0, 0, o => o.MaximumRate = 0.01).Status);
}
