using System.Diagnostics.Metrics;

namespace ReleaseGates.Tests.Gates.Metric;

public class MetricGateTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<ReleaseReport> Evaluate(Action<MetricGateOptions> configure)
        => ReleaseGate.CreateBuilder().AddMetric("metric", configure).EvaluateAsync(Ct);

    [Fact]
    public async Task Fails_when_the_value_is_below_the_threshold_in_the_given_unit()
    {
        var report = await Evaluate(o => { o.Source = MetricSource.FromDelegate("hit rate", _ => ValueTask.FromResult<double?>(0.87)); o.Unit = MetricUnit.Ratio; o.Conditions.Add("value >= 90%"); });

        var gate = report.Gates[0];
        Assert.Equal(GateStatus.Failed, gate.Status);
        Assert.Equal(0.87, gate.Measurements.Single().Value);
        Assert.Contains("hit rate", gate.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Passes_and_warns_by_the_conditions_warning_threshold()
    {
        var report = await Evaluate(o => { o.Source = MetricSource.FromDelegate("queue", _ => ValueTask.FromResult<double?>(0.25)); o.Unit = MetricUnit.Seconds; o.Conditions.Add("value < 300ms warn 200ms"); });

        Assert.Equal(GateStatus.Warning, report.Gates[0].Status);
    }

    [Fact]
    public async Task No_value_is_inconclusive_by_default_and_failed_when_told()
    {
        var none = MetricSource.FromDelegate("nothing", _ => ValueTask.FromResult<double?>(null));
        var skipped = await Evaluate(o => { o.Source = none; o.Conditions.Add("value < 5"); });
        var failed = await Evaluate(o => { o.Source = none; o.Conditions.Add("value < 5"); o.NoDataStatus = GateStatus.Failed; });

        Assert.Equal(GateStatus.Skipped, skipped.Gates[0].Status);
        Assert.Equal(GateStatus.Failed, failed.Gates[0].Status);
        Assert.Equal(MetricGateConstants.NoData, failed.Gates[0].Findings.Single().Code);
    }

    [Fact]
    public async Task A_nan_value_is_an_error_not_a_pass()
    {
        var report = await Evaluate(o => { o.Source = MetricSource.FromDelegate("nan", _ => ValueTask.FromResult<double?>(double.NaN)); o.Conditions.Add("value < 5"); });

        Assert.Equal(GateStatus.Error, report.Gates[0].Status);
    }

    [Theory]
    [InlineData("value >= 90%", true, "Unit is required")]
    [InlineData("p(95) < 1", true, "this gate measures value")]
    [InlineData("value < 5", false, "Source is required")]
    public void Misconfigurations_are_named_when_the_gate_is_added(string condition, bool withSource, string problem)
    {
        var ex = Assert.Throws<ReleaseGatesConfigurationException>(() => ReleaseGate.CreateBuilder().AddMetric("m", o =>
        {
            o.Source = withSource ? MetricSource.FromDelegate("x", _ => ValueTask.FromResult<double?>(1)) : null;
            o.Conditions.Add(condition);
        }));

        Assert.Contains(ex.Problems, p => p.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Share_of_two_in_process_counters_is_the_cache_hit_rate()
    {
        using var meter = new Meter("ReleaseGates.Tests.Cache." + Guid.NewGuid().ToString("N"));
        var hitRate = MetricSource.Share(MetricSource.FromInstrument(meter.Name, "cache.hits"), MetricSource.FromInstrument(meter.Name, "cache.misses"));
        var hits = meter.CreateCounter<long>("cache.hits");
        var misses = meter.CreateCounter<int>("cache.misses");
        hits.Add(45, new KeyValuePair<string, object?>("region", "eu"));
        hits.Add(45, new KeyValuePair<string, object?>("region", "us"));
        misses.Add(10);

        var report = await Evaluate(o => { o.Source = hitRate; o.Unit = MetricUnit.Ratio; o.Conditions.Add("value > 90%"); });

        Assert.Equal(0.9, report.Gates[0].Measurements.Single().Value, 1e-12);
        Assert.Equal(GateStatus.Failed, report.Gates[0].Status);   // exactly 90 % is not above 90 %
    }

    [Fact]
    public async Task An_observable_gauge_is_read_at_evaluation_and_an_unpublished_instrument_is_no_data()
    {
        using var meter = new Meter("ReleaseGates.Tests.Queue." + Guid.NewGuid().ToString("N"));
        var depth = 3;
        var gauge = MetricSource.FromInstrument(meter.Name, "queue.depth");
        var missing = MetricSource.FromInstrument(meter.Name, "never.created");
        meter.CreateObservableGauge("queue.depth", () => depth);
        depth = 7;

        var reading = await gauge.ReadAsync(Support.TestGates.Context(), Ct);
        var none = await missing.ReadAsync(Support.TestGates.Context(), Ct);

        Assert.Equal(7, reading.Value);
        Assert.Null(none.Value);
        Assert.Contains("never.created", none.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_histogram_instrument_is_an_error_saying_so()
    {
        using var meter = new Meter("ReleaseGates.Tests.H." + Guid.NewGuid().ToString("N"));
        var source = MetricSource.FromInstrument(meter.Name, "work.duration");
        meter.CreateHistogram<double>("work.duration").Record(1);

        var report = await Evaluate(o => { o.Source = source; o.Conditions.Add("value < 5"); });

        Assert.Equal(GateStatus.Error, report.Gates[0].Status);
        Assert.Contains("histogram", report.Gates[0].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ratio_with_a_zero_denominator_is_no_data()
    {
        var ratio = MetricSource.Ratio(MetricSource.FromDelegate("errors", _ => ValueTask.FromResult<double?>(0)), MetricSource.FromDelegate("requests", _ => ValueTask.FromResult<double?>(0)));

        var reading = await ratio.ReadAsync(Support.TestGates.Context(), Ct);

        Assert.Null(reading.Value);
        Assert.Contains("denominator is 0", reading.Detail, StringComparison.Ordinal);
    }
}
