using Microsoft.Extensions.Time.Testing;
using ReleaseGates.Metrics;

namespace ReleaseGates.Tests.Gates.Slo;

/// <summary>
/// The SLO gate over 5-minute windows of a fake clock that stands at an interval boundary: the last N minutes then hold
/// exactly N / 5 complete intervals (and the current, empty one), so every expected value is counted by hand.
/// </summary>
public class SloGateTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(5);
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>29 days of 5-minute intervals, each with <paramref name="requests"/> requests of which <paramref name="errors"/> failed, the last hour as given.</summary>
    private static RequestWindows Windows(long requests, long errors, long lastHourErrors = -1, int days = 29)
    {
        var windows = new RequestWindows(Step, days * 288, new FakeTimeProvider(Now));
        for (var start = Now - TimeSpan.FromDays(days) + Step; start < Now; start += Step)
        {
            windows.AddInterval(start, requests, start >= Now - TimeSpan.FromHours(1) && lastHourErrors >= 0 ? lastHourErrors : errors, null);
        }

        return windows;
    }

    private static SloGateOptions Options(Action<SloGateOptions>? configure = null)
    {
        var options = new SloGateOptions { Objective = 0.999, Window = TimeSpan.FromDays(28) };
        configure?.Invoke(options);
        return options;
    }

    private static GateResult Judge(RequestWindows windows, Action<SloGateOptions>? configure = null) => SloGate.Judge(windows, Options(configure), "test windows");

    private static double Value(GateResult result, string name) => result.Measurements.First(m => m.Name == name).Value;

    [Fact]
    public void Counts_the_sli_and_the_budget_left_over_the_window()
    {
        // 28 days = 8,064 intervals of 10,000 requests with 5 errors: 0.05 % against a 0.1 % budget, half of it spent.
        var result = Judge(Windows(10_000, 5));

        Assert.Equal(GateStatus.Passed, result.Status);
        Assert.Equal(80_640_000, Value(result, "requests"));
        Assert.Equal(40_320, Value(result, "errors"));
        Assert.Equal(99.95, Value(result, "sli"), 9);
        Assert.Equal(50, Value(result, "budget-remaining"), 9);
        Assert.Equal(40_320, Value(result, "budget-remaining-requests"), 6);   // 80,640 failures allowed, 40,320 used
        Assert.Equal(0.5, Value(result, "burn-rate-1h"), 9);
        Assert.Equal(0.5, Value(result, "burn-rate-3d"), 9);
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void Fails_on_a_fast_burn_that_has_not_yet_spent_the_budget()
    {
        // The last hour fails 2 % of requests: a burn of 20× over 1 h and over 5 min, above 14.4; over 6 h it is
        // (5 × 0.05 % + 2 %) / 6 = 0.375 % or 3.75×, below 6.
        var result = Judge(Windows(10_000, 5, lastHourErrors: 200));

        Assert.Equal(GateStatus.Failed, result.Status);
        Assert.Equal(20, Value(result, "burn-rate-1h"), 9);
        Assert.Equal(20, Value(result, "burn-rate-5m"), 9);
        Assert.Equal(3.75, Value(result, "burn-rate-6h"), 9);
        var finding = Assert.Single(result.Findings);
        Assert.Equal("slo.burn-rate", finding.Code);
        Assert.Contains("20× over 1h and 20× over 5m, both above 14.4×", finding.Message, StringComparison.Ordinal);
        Assert.True(Value(result, "budget-remaining") > 0);
    }

    [Fact]
    public void Fails_when_the_budget_is_spent_and_warns_before()
    {
        // 0.12 % failures against a 0.1 % budget: 120 % spent, 20 % overdrawn; and a 1.2× burn over 3 days breaches the 1× rule.
        var spent = Judge(Windows(10_000, 12));
        Assert.Equal(GateStatus.Failed, spent.Status);
        Assert.Equal(-20, Value(spent, "budget-remaining"), 9);
        Assert.Contains(spent.Findings, f => f.Code == "slo.budget-spent");
        Assert.Contains(spent.Findings, f => f.Code == "slo.burn-rate");

        // 0.08 % failures: 20 % left, under a 25 % warning, above a 10 % minimum; the burn rates (0.8×) are fine.
        var low = Judge(Windows(10_000, 8), o => { o.MinimumBudgetRemaining = 0.10; o.WarningBudgetRemaining = 0.25; });
        Assert.Equal(GateStatus.Warning, low.Status);
        Assert.Equal(20, Value(low, "budget-remaining"), 9);
    }

    [Fact]
    public void A_window_the_source_does_not_keep_is_inconclusive_never_a_pass()
    {
        var result = Judge(Windows(10_000, 0, days: 2));

        Assert.Equal(GateStatus.Skipped, result.Status);
        Assert.Contains("keeps 2d of intervals; the SLO's window is 28d", result.Summary, StringComparison.Ordinal);
        Assert.Equal(100.0 * 2 / 28, Value(result, "window-covered"), 9);
    }

    [Fact]
    public void No_requests_is_inconclusive_and_a_burn_rate_window_without_requests_too()
    {
        Assert.Equal(GateStatus.Skipped, Judge(Windows(0, 0)).Status);

        // Requests only until an hour ago: the SLO is met, but the 5-minute and 1-hour windows hold nothing to judge.
        var windows = new RequestWindows(Step, 29 * 288, new FakeTimeProvider(Now));
        for (var start = Now - TimeSpan.FromDays(29) + Step; start < Now - TimeSpan.FromHours(1); start += Step)
        {
            windows.AddInterval(start, 10_000, 1, null);
        }

        var quiet = SloGate.Judge(windows, Options(), "test windows");
        Assert.Equal(GateStatus.Skipped, quiet.Status);
        Assert.Contains("Insufficient data: the 1h/5m burn-rate windows had 0 and 0 requests", quiet.Summary, StringComparison.Ordinal);
        Assert.Contains(quiet.Findings, f => f.Code == "slo.burn-rate-inconclusive");
    }

    [Fact]
    public void Conditions_hold_the_sli_the_budget_and_any_rules_burn_rate()
    {
        var result = Judge(Windows(10_000, 5), o =>
        {
            o.Conditions.Add("budget-remaining >= 60% warn 70%");
            o.Conditions.Add("burn-rate-6h < 1");
            o.Conditions.Add("sli >= 99.9%");
        });

        Assert.Equal(GateStatus.Failed, result.Status);
        Assert.Contains("budget-remaining 50 % against budget-remaining >= 60%", result.Summary, StringComparison.Ordinal);
        Assert.Equal(GateStatus.Passed, result.Measurements.Single(m => m.Condition?.ToString() == "burn-rate-6h < 1").Status);
    }

    [Fact]
    public void Validation_names_every_problem()
    {
        var counts = RequestMetricsSource.FromDelegate(RequestMetricsCapabilities.Errors, "counts only", _ => ValueTask.FromResult(new RequestMetrics()));
        var options = new SloGateOptions { Source = counts, Objective = 1, Window = TimeSpan.Zero, MinimumBudgetRemaining = 2, MinimumRequests = 0 };
        options.BurnRates.Add(new SloBurnRateRule { LongWindow = TimeSpan.FromMinutes(5), ShortWindow = TimeSpan.FromHours(1), Threshold = 0 });
        options.Conditions.Add("burn-rate-2h < 3");
        var problems = new List<string>();

        options.Validate(problems);

        Assert.Contains(problems, p => p.Contains("does not keep error counts per interval", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Objective lies strictly between 0 and 1", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Window must be positive", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("MinimumBudgetRemaining is a share", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("MinimumRequests must be at least 1", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("BurnRates[3]: the short window", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("BurnRates[3].Threshold must be a positive number", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'burn-rate-2h < 3' is about 'burn-rate-2h'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_source_without_windows_is_an_error_naming_it()
    {
        var report = await ReleaseGate.CreateBuilder().AddSlo("slo", o =>
            o.Source = RequestMetricsSource.FromDelegate(RequestMetricsCapabilities.Errors | RequestMetricsCapabilities.Windows, "no windows after all",
                _ => ValueTask.FromResult(new RequestMetrics { Total = 10, Errors = 0 }))).EvaluateAsync(Ct);

        Assert.Equal(GateStatus.Error, report.Gates[0].Status);
        Assert.Contains("no windows after all gave no per-interval counts", report.Gates[0].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_latency_sli_counts_the_requests_slower_than_the_threshold_as_bad()
    {
        // Each 5-minute interval: 99 requests at 10 ms and one at 500 ms; against 200 ms that is 1 % slow, half a 2 % budget.
        var windows = new RequestWindows(Step, 2 * 288, new FakeTimeProvider(Now), trackLatency: true);
        for (var start = Now - TimeSpan.FromDays(2) + Step; start < Now; start += Step)
        {
            var latency = new LatencyHistogram();
            latency.Record(10_000_000, 99);
            latency.Record(TimeSpan.FromMilliseconds(500));
            windows.AddInterval(start, 100, 0, latency);
        }

        var options = new SloGateOptions { Objective = 0.98, Window = TimeSpan.FromDays(1), LatencyThreshold = TimeSpan.FromMilliseconds(200) };
        options.BurnRates.RemoveAt(2);   // the 3-day rule needs more than the 2 days these windows keep
        var result = SloGate.Judge(windows, options, "test windows");

        Assert.Equal(GateStatus.Passed, result.Status);
        Assert.Equal(99, Value(result, "sli"), 9);
        Assert.Equal(50, Value(result, "budget-remaining"), 9);
        Assert.Equal(288, Value(result, "slow-requests"));
        Assert.Equal(0.5, Value(result, "burn-rate-1h"), 9);

        // A threshold inside the 10 ms bucket counts its requests as slow: the resolution never flatters the SLI.
        options.LatencyThreshold = TimeSpan.FromMilliseconds(10);
        var strict = SloGate.Judge(windows, options, "test windows");
        Assert.Equal(GateStatus.Failed, strict.Status);
        Assert.Equal(0, Value(strict, "sli"), 9);
    }

    [Fact]
    public void A_latency_sli_needs_windows_that_keep_latency()
    {
        var result = SloGate.Judge(Windows(100, 0), Options(o => o.LatencyThreshold = TimeSpan.FromMilliseconds(200)), "Prometheus counts");
        Assert.Equal(GateStatus.Error, result.Status);
        Assert.Contains("Prometheus counts keeps no latency per interval", result.Summary, StringComparison.Ordinal);

        var counts = RequestMetricsSource.FromDelegate(RequestMetricsCapabilities.Errors | RequestMetricsCapabilities.Windows, "counts only",
            _ => ValueTask.FromResult(new RequestMetrics()));
        var problems = new List<string>();
        new SloGateOptions { Source = counts, LatencyThreshold = TimeSpan.FromMilliseconds(200) }.Validate(problems);
        Assert.Contains(problems, p => p.StartsWith("LatencyThreshold must be positive and needs a source with latency", StringComparison.Ordinal));
    }
}
