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
        Assert.Contains("Set MaximumIncrease, MaximumRelativeIncrease, MaximumErrorRateIncrease or Metrics", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Confidence must be between 0.5 and 0.999", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MinimumSamples must be at least 10", ex.Message, StringComparison.Ordinal);
        Assert.Contains("InconclusiveStatus must be Skipped or Failed", ex.Message, StringComparison.Ordinal);
    }

    private static GateResult JudgeErrors(long baselineErrors, long canaryErrors, long total = 1000, Action<CanaryGateOptions>? configure = null)
    {
        var options = new CanaryGateOptions { MaximumErrorRateIncrease = 0.001 };
        configure?.Invoke(options);
        return CanaryGate.JudgeErrors(total, baselineErrors, total, canaryErrors, options);
    }

    [Fact]
    public void Fails_a_canary_with_20_errors_in_1000_against_a_baseline_with_none()
    {
        var result = JudgeErrors(baselineErrors: 0, canaryErrors: 20);

        Assert.Equal(GateStatus.Failed, result.Status);
        Assert.Equal("canary.more-errors", Assert.Single(result.Findings).Code);
        Assert.Equal(2, Value(result, "error-rate-increase"), 9);
        Assert.True(Value(result, "error-rate-increase-lower") > 0.1);
        Assert.Equal(0, Value(result, "baseline-error-rate"));
    }

    [Fact]
    public void Is_inconclusive_with_5_errors_in_1000_against_none_as_the_interval_spans_the_allowance()
    {
        var result = JudgeErrors(baselineErrors: 0, canaryErrors: 5);

        Assert.Equal(GateStatus.Skipped, result.Status);
        Assert.InRange(Value(result, "error-rate-increase-lower"), 0.02, 0.03);
        Assert.InRange(Value(result, "error-rate-increase-upper"), 1.16, 1.17);
        Assert.Contains("cannot tell", result.Summary, StringComparison.Ordinal);
        Assert.All(result.Measurements, m => Assert.True(double.IsFinite(m.Value), m.Name));

        var strict = JudgeErrors(baselineErrors: 0, canaryErrors: 5, configure: o => o.InconclusiveStatus = GateStatus.Failed);
        Assert.Equal(GateStatus.Failed, strict.Status);
        Assert.Equal("canary.inconclusive", Assert.Single(strict.Findings).Code);
    }

    [Fact]
    public void Never_passes_two_sides_without_errors_when_too_few_requests_could_hide_the_allowed_increase()
    {
        // No errors on either side is no evidence at 1,000 requests: the canary's rate could still be 0.38 %.
        var few = JudgeErrors(baselineErrors: 0, canaryErrors: 0);
        Assert.Equal(GateStatus.Skipped, few.Status);

        // At 100,000 requests a side the interval is narrow enough to show the canary within 0.1 percentage points.
        var many = JudgeErrors(baselineErrors: 0, canaryErrors: 0, total: 100_000);
        Assert.Equal(GateStatus.Passed, many.Status);
        Assert.True(Value(many, "error-rate-increase-upper") <= 0.1);
    }

    [Fact]
    public void Passes_equal_error_rates_when_the_interval_lies_within_the_allowance()
    {
        var result = JudgeErrors(baselineErrors: 500, canaryErrors: 520, total: 200_000, configure: o => o.MaximumErrorRateIncrease = 0.002);

        Assert.Equal(GateStatus.Passed, result.Status);
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void Error_rates_need_the_minimum_requests_on_both_sides()
    {
        var result = CanaryGate.JudgeErrors(1000, 0, 20, 20, new CanaryGateOptions { MaximumErrorRateIncrease = 0.001 });

        Assert.Equal(GateStatus.Skipped, result.Status);
        Assert.Contains("Too few requests", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Combines_latency_and_errors_into_the_worse_verdict_with_all_evidence()
    {
        var latency = Judge(Latencies(400, 100, 3), Latencies(400, 100, 4, extraMs: 1), o => o.MaximumIncrease = TimeSpan.FromMilliseconds(10));
        var errors = JudgeErrors(baselineErrors: 0, canaryErrors: 20);

        var both = CanaryGate.Combine(latency, errors);

        Assert.Equal(GateStatus.Passed, latency.Status);
        Assert.Equal(GateStatus.Failed, both.Status);
        Assert.Contains(both.Measurements, m => m.Name == "shift");
        Assert.Contains(both.Measurements, m => m.Name == "error-rate-increase");
        Assert.Equal("canary.more-errors", Assert.Single(both.Findings).Code);
        Assert.Equal(GateStatus.Skipped, CanaryGate.Combine(latency, JudgeErrors(baselineErrors: 0, canaryErrors: 5)).Status);

        // Counts that are no proportion cannot be judged: an error, never turned into a failure or a pass.
        var broken = CanaryGate.JudgeErrors(1000, 0, 1000, 1200, new CanaryGateOptions { MaximumErrorRateIncrease = 0.001 });
        Assert.Equal(GateStatus.Error, broken.Status);
        Assert.Contains("1200 errors in 1000 requests", broken.Summary, StringComparison.Ordinal);
        Assert.Same(broken, CanaryGate.Combine(latency, broken));
    }

    [Fact]
    public void Validates_that_each_allowance_has_what_it_compares()
    {
        var countsOnly = RequestMetricsSource.FromDelegate(RequestMetricsCapabilities.Errors, "counts", _ => ValueTask.FromResult(new RequestMetrics()));
        var options = new CanaryGateOptions { Baseline = countsOnly, Canary = countsOnly, MaximumIncrease = TimeSpan.FromMilliseconds(5) };
        var problems = new List<string>();
        options.Validate(problems);
        Assert.Contains(problems, p => p.Contains("no latency histogram", StringComparison.Ordinal));

        problems.Clear();
        options.MaximumIncrease = null;
        options.MaximumErrorRateIncrease = 0.001;
        options.Validate(problems);
        Assert.DoesNotContain(problems, p => p.Contains("latency", StringComparison.Ordinal) || p.Contains("error counts", StringComparison.Ordinal));

        options.MaximumErrorRateIncrease = 1.5;
        options.Validate(problems);
        Assert.Contains(problems, p => p.Contains("0.001 for 0.1 percentage points", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Judges_error_rates_from_sources_that_have_only_counts()
    {
        // What a Prometheus or k6 source gives: request and error counts, no histogram.
        static RequestMetricsSource Counts(string name, long errors)
            => RequestMetricsSource.FromDelegate(RequestMetricsCapabilities.Errors, name, _ => ValueTask.FromResult(new RequestMetrics { Total = 1000, Errors = errors }));

        var report = await ReleaseGate.CreateBuilder().AddCanary("canary", o =>
        {
            o.Baseline = Counts("stable pods", 0);
            o.Canary = Counts("canary pods", 20);
            o.MaximumErrorRateIncrease = 0.001;
        }).EvaluateAsync(Ct);

        Assert.Equal(GateStatus.Failed, report.Gates[0].Status);
        Assert.Equal(ReleaseDecision.NoGo, report.Decision);
        Assert.Contains("fails more often than allowed", report.Gates[0].Summary, StringComparison.Ordinal);
    }

    /// <summary>
    /// Watches of 30 rounds over 1,000 simulated canaries, each round adding 500 requests a side with the given error
    /// rates, judged on the cumulative counts every round with no allowed increase; returns the share of watches with a
    /// NO-GO round, with the looks adjusted and without, and the mean round of the first NO-GO among the adjusted ones.
    /// </summary>
    private static (double Adjusted, double Unadjusted, double MeanRound) Watch(double baselineRate, double canaryRate, int seed)
    {
        const int Watches = 1000, Rounds = 30, PerRound = 500;
        var rng = new Random(seed);
        var adjusted = new CanaryGateOptions { MaximumErrorRateIncrease = 0, Confidence = 0.95 };
        var unadjusted = new CanaryGateOptions { MaximumErrorRateIncrease = 0, Confidence = 0.95, AdjustForRepeatedLooks = false };
        var adjustedConfidence = CanaryGate.LookConfidence(adjusted, Rounds);
        Assert.Equal(0.95, CanaryGate.LookConfidence(unadjusted, Rounds));
        int adjustedNoGo = 0, unadjustedNoGo = 0;
        double rounds = 0;
        for (var w = 0; w < Watches; w++)
        {
            long baselineErrors = 0, canaryErrors = 0, total = 0;
            bool adjustedFailed = false, unadjustedFailed = false;
            for (var round = 1; round <= Rounds; round++)
            {
                for (var i = 0; i < PerRound; i++)
                {
                    baselineErrors += rng.NextDouble() < baselineRate ? 1 : 0;
                    canaryErrors += rng.NextDouble() < canaryRate ? 1 : 0;
                }

                total += PerRound;
                if (!adjustedFailed && CanaryGate.JudgeErrors(total, baselineErrors, total, canaryErrors, adjusted, adjustedConfidence).Status == GateStatus.Failed)
                {
                    adjustedFailed = true;
                    rounds += round;
                }

                unadjustedFailed |= CanaryGate.JudgeErrors(total, baselineErrors, total, canaryErrors, unadjusted).Status == GateStatus.Failed;
            }

            adjustedNoGo += adjustedFailed ? 1 : 0;
            unadjustedNoGo += unadjustedFailed ? 1 : 0;
        }

        return ((double)adjustedNoGo / Watches, (double)unadjustedNoGo / Watches, adjustedNoGo == 0 ? double.NaN : rounds / adjustedNoGo);
    }

    [Fact]
    public void A_30_round_watch_of_equal_canaries_stays_within_the_nominal_false_no_go_rate()
    {
        var (adjusted, unadjusted, _) = Watch(baselineRate: 0.01, canaryRate: 0.01, seed: 2026_12_06);
        TestContext.Current.TestOutputHelper?.WriteLine($"equal canaries: false NO-GO {adjusted:P1} adjusted, {unadjusted:P1} unadjusted");

        // The nominal rate is 1 − Confidence = 5 % (a one-sided NO-GO spends half of it). Judging every round at 95 %
        // instead raises the chance of a false NO-GO somewhere in the watch well above one look's 2.5 %.
        Assert.True(adjusted <= 0.05, $"adjusted false NO-GO rate {adjusted:P1}");
        Assert.True(unadjusted > 0.05, $"unadjusted false NO-GO rate {unadjusted:P1}");
        Assert.True(unadjusted > 2 * adjusted, $"adjusted {adjusted:P1}, unadjusted {unadjusted:P1}");
    }

    [Fact]
    public void A_30_round_watch_detects_a_doubled_error_rate_in_most_canaries()
    {
        // 2 % errors against 1 %: docs/gates/canary.md states the detection rate and the mean round of the NO-GO.
        var (adjusted, unadjusted, meanRound) = Watch(baselineRate: 0.01, canaryRate: 0.02, seed: 2026_12_07);
        TestContext.Current.TestOutputHelper?.WriteLine($"doubled errors: detected {adjusted:P1} adjusted (mean round {meanRound:0.0}), {unadjusted:P1} unadjusted");

        Assert.True(adjusted >= 0.9, $"detection rate {adjusted:P1}");
        Assert.True(unadjusted >= adjusted);
        Assert.InRange(meanRound, 1, 30);
    }

    [Fact]
    public void Spends_the_error_rate_evenly_over_the_rounds_of_a_watch_only()
    {
        var options = new CanaryGateOptions { Confidence = 0.95 };

        Assert.Equal(0.95, CanaryGate.LookConfidence(options, null));
        Assert.Equal(0.95, CanaryGate.LookConfidence(options, 1));
        Assert.Equal(1 - (0.05 / 30), CanaryGate.LookConfidence(options, 30), 12);
    }

    [Fact]
    public async Task A_watch_judges_each_round_at_the_adjusted_confidence_and_says_so()
    {
        var report = await ReleaseGate.CreateBuilder().AddCanary("canary", o =>
        {
            o.Baseline = RequestMetricsSource.FromDelegate(RequestMetricsCapabilities.Errors, "stable", _ => ValueTask.FromResult(new RequestMetrics { Total = 1000, Errors = 1 }));
            o.Canary = RequestMetricsSource.FromDelegate(RequestMetricsCapabilities.Errors, "canary", _ => ValueTask.FromResult(new RequestMetrics { Total = 1000, Errors = 2 }));
            o.MaximumErrorRateIncrease = 0.05;
        }).Build().WatchAsync(new WatchOptions { Interval = TimeSpan.FromMilliseconds(10), Count = 4 }, Ct);

        var gate = Assert.Single(report.Gates);
        var look = Assert.Single(gate.Measurements, m => m.Name == "look-confidence");
        Assert.Equal(1 - (0.05 / 4), look.Value, 12);
        Assert.Equal("round 4 of at most 4", look.Target);
        Assert.Contains("98.75 % interval", gate.Summary, StringComparison.Ordinal);
    }
}
