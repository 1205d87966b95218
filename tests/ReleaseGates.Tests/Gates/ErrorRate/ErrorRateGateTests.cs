using ReleaseGates.Metrics;
using ReleaseGates.Tests.Support;

namespace ReleaseGates.Tests.Gates.ErrorRate;

public class ErrorRateGateTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static RequestMetricsSource Counts(long total, long errors, RequestWindows? windows = null) => RequestMetricsSource.FromDelegate(
        RequestMetricsCapabilities.Errors | RequestMetricsCapabilities.Windows, "test counts",
        _ => ValueTask.FromResult(new RequestMetrics { Total = total, Errors = errors, Windows = windows }));

    private static async Task<GateReport> Evaluate(Action<ErrorRateGateOptions> configure)
        => (await ReleaseGate.CreateBuilder().AddErrorRate("errors", configure).EvaluateAsync(Ct)).Gates[0];

    [Theory]
    [InlineData(0, GateStatus.Passed)]
    [InlineData(1, GateStatus.Passed)]     // 0.1 % exactly: at most the maximum
    [InlineData(2, GateStatus.Warning)]    // 0.2 %
    [InlineData(10, GateStatus.Warning)]   // 1 %
    [InlineData(11, GateStatus.Failed)]    // 1.1 %
    public async Task Warns_and_fails_on_either_side_of_the_thresholds(long errors, GateStatus expected)
    {
        var gate = await Evaluate(o => { o.Source = Counts(1000, errors); o.MaximumRate = 0.01; o.WarningRate = 0.001; });
        Assert.Equal(expected, gate.Status);
    }

    [Fact]
    public async Task No_requests_is_never_a_pass()
    {
        var gate = await Evaluate(o => { o.Source = Counts(0, 0); o.MaximumRate = 0.01; });
        Assert.Equal(GateStatus.Skipped, gate.Status);
        var strict = await Evaluate(o => { o.Source = Counts(5, 0); o.MaximumRate = 0.01; o.MinimumRequests = 50; o.NoDataStatus = GateStatus.Failed; });
        Assert.Equal(GateStatus.Failed, strict.Status);
    }

    [Fact]
    public async Task Sustained_breach_fails_only_when_every_interval_breached()
    {
        var clock = new FakeTimeProvider();
        var windows = new RequestWindows(TimeSpan.FromMinutes(1), 30, clock);
        void Minute(double share)
        {
            for (var i = 0; i < 100; i++)
            {
                windows.Record(i < share * 100);
            }

            clock.Advance(TimeSpan.FromMinutes(1));
        }

        Minute(0.2);
        Minute(0.05);
        Minute(0.2);
        Minute(0.2);
        var two = await Evaluate(o => { o.Source = Counts(400, 65, windows); o.SustainedAbove = 0.1; o.SustainedFor = TimeSpan.FromMinutes(3); });
        Assert.Equal(GateStatus.Passed, two.Status);
        Minute(0.2);
        var three = await Evaluate(o => { o.Source = Counts(500, 85, windows); o.SustainedAbove = 0.1; o.SustainedFor = TimeSpan.FromMinutes(3); });
        Assert.Equal(GateStatus.Failed, three.Status);
        Assert.Contains(three.Findings, f => f.Code == "error-rate.sustained");
    }

    [Fact]
    public async Task Burn_rate_fails_when_both_windows_burn_too_fast()
    {
        var clock = new FakeTimeProvider();
        var windows = new RequestWindows(TimeSpan.FromMinutes(1), 90, clock);
        for (var minute = 0; minute < 60; minute++)
        {
            for (var i = 0; i < 100; i++)
            {
                windows.Record(i < 2);   // 2 % errors: burn 20 against a 99.9 % SLO
            }

            clock.Advance(TimeSpan.FromMinutes(1));
        }

        var gate = await Evaluate(o => { o.Source = Counts(6000, 120, windows); o.BurnRate = new BurnRateCondition(); });
        Assert.Equal(GateStatus.Failed, gate.Status);
        Assert.Equal(20, gate.Measurements.Single(m => m.Name == "burn-rate-long").Value, 6);
        Assert.Contains(gate.Findings, f => f.Code == "error-rate.burn-rate");
    }

    [Fact]
    public void Invalid_options_are_all_listed_at_registration()
    {
        var ex = Assert.Throws<ReleaseGatesConfigurationException>(() => ReleaseGate.CreateBuilder().AddErrorRate("e", o =>
        {
            o.Source = RequestMetricsSource.FromRecorder(new ConcurrentLatencyRecorder());   // no error counts, no windows
            o.MaximumRate = 5;                                                                    // a percentage where a ratio is expected
            o.SustainedAbove = 0.1;
            o.BurnRate = new BurnRateCondition { Slo = 99.9 };
        }));
        Assert.Equal(4, ex.Problems.Count);
    }

    [Fact]
    public async Task A_sustained_condition_on_less_traffic_than_its_window_is_inconclusive_not_a_pass()
    {
        // Seed 001's rollback trigger "error rate > 10 % for 3 min", judged after a few seconds of clean traffic.
        var clock = new FakeTimeProvider();
        var windows = new RequestWindows(TimeSpan.FromSeconds(10), 60, clock);
        for (var i = 0; i < 50; i++)
        {
            windows.Record(isError: false);
        }

        clock.Advance(TimeSpan.FromSeconds(11));
        var report = await ReleaseGate.CreateBuilder().AddErrorRate("errors", o =>
        {
            o.Source = Counts(50, 0, windows);
            o.MaximumRate = 0.5;
            o.SustainedAbove = 0.10;
            o.SustainedFor = TimeSpan.FromMinutes(3);
        }).AddGate("other", (_, _) => ValueTask.FromResult(GateResult.Passed("ok"))).EvaluateAsync(Ct);

        var gate = report.Gates[0];
        Assert.Equal(GateStatus.Skipped, gate.Status);
        Assert.StartsWith("Insufficient data: only 1 of the 18 intervals of the last 00:03:00", gate.Summary, StringComparison.Ordinal);
        Assert.Equal(1, gate.Measurements.Single(m => m.Name == "sustained-covered-intervals").Value);
        Assert.Equal(ReleaseDecision.GoWithWarnings, report.Decision);
        Assert.Contains(report.Reasons, r => r.StartsWith("Required gate 'errors' was inconclusive", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_inconclusive_window_never_hides_a_failure_that_was_judged()
    {
        var clock = new FakeTimeProvider();
        var windows = new RequestWindows(TimeSpan.FromSeconds(10), 60, clock);
        windows.Record(isError: true);
        clock.Advance(TimeSpan.FromSeconds(11));
        var gate = (await ReleaseGate.CreateBuilder().AddErrorRate("errors", o =>
        {
            o.Source = Counts(10, 9, windows);
            o.MaximumRate = 0.01;
            o.SustainedAbove = 0.10;
            o.SustainedFor = TimeSpan.FromMinutes(3);
        }).EvaluateAsync(Ct)).Gates[0];
        Assert.Equal(GateStatus.Failed, gate.Status);
    }
}
