namespace ReleaseGates.Tests.Gates.Canary;

/// <summary>
/// The multi-metric canary, Kayenta's way: each metric judged by rank in its direction against its allowances, the
/// metrics together by a weighted score, critical metrics and metrics that must have data failing the canary outright,
/// and nothing passing on no data or on a NaN.
/// </summary>
public class CanaryMetricsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>30 samples around <paramref name="center"/>, spread ±2 % in a fixed pattern.</summary>
    private static double[] Around(double center) => [.. Enumerable.Range(0, 30).Select(i => center * (1 + ((i % 5) - 2) / 100.0))];

    private static GateResult Judge(CanaryGateOptions options, params (CanaryMetric Metric, double[] Baseline, double[] Canary)[] samples)
        => CanaryGate.JudgeMetrics([.. samples.Select(s => (s.Metric, (IReadOnlyList<double>)s.Baseline, (IReadOnlyList<double>)s.Canary))], options, 0.95);

    private static CanaryMetric Metric(string name, CanaryDirection direction = CanaryDirection.Either, Action<CanaryMetric>? configure = null)
    {
        var metric = new CanaryMetric { Name = name, Direction = direction };
        configure?.Invoke(metric);
        return metric;
    }

    [Fact]
    public void Each_metric_counts_only_in_its_direction_and_within_its_allowance()
    {
        var options = new CanaryGateOptions();

        // CPU 25 % higher: a regression when rises count, welcome when only falls do.
        var cpuUp = Judge(options, (Metric("cpu", CanaryDirection.Increase), Around(40), Around(50)));
        Assert.Equal(GateStatus.Failed, cpuUp.Status);
        Assert.Contains(cpuUp.Findings, f => f.Code == "canary.metric-changed" && f.Message.StartsWith("Metric cpu rose beyond its allowance", StringComparison.Ordinal));
        Assert.Equal(0, cpuUp.Measurements.Single(m => m.Name == "canary-score").Value);
        Assert.Equal(GateStatus.Passed, Judge(options, (Metric("cpu", CanaryDirection.Decrease), Around(40), Around(50))).Status);

        // Throughput 25 % lower fails when falls count; 5 % higher is within the default 10 % either way.
        Assert.Equal(GateStatus.Failed, Judge(options, (Metric("rps", CanaryDirection.Decrease), Around(200), Around(150))).Status);
        Assert.Equal(GateStatus.Passed, Judge(options, (Metric("rps"), Around(200), Around(210))).Status);
        Assert.Equal(GateStatus.Passed, Judge(options, (Metric("rps", configure: m => m.AllowedIncrease = 0.3), Around(40), Around(50))).Status);
    }

    [Fact]
    public void The_score_weighs_the_metrics_and_decides_pass_marginal_and_fail()
    {
        var options = new CanaryGateOptions { PassScore = 90, MarginalScore = 60 };
        var good = (Metric("memory", CanaryDirection.Increase, m => m.Weight = 3), Around(100), Around(101));
        var bad = (Metric("cpu", CanaryDirection.Increase), Around(40), Around(50));

        // 3 of 4 by weight: 75, between marginal and pass: GO WITH WARNINGS, the regression a warning.
        var marginal = Judge(options, good, bad);
        Assert.Equal(GateStatus.Warning, marginal.Status);
        Assert.Equal(75, marginal.Measurements.Single(m => m.Name == "canary-score").Value, 9);
        Assert.Equal(FindingSeverity.Warning, Assert.Single(marginal.Findings).Severity);

        // With the regressing metric weighing 3 and the good one 1: 25, below marginal.
        good.Item1.Weight = 1;
        bad.Item1.Weight = 3;
        Assert.Equal(GateStatus.Failed, Judge(options, good, bad).Status);

        // A critical metric that regresses fails the canary whatever the score.
        var critical = Judge(new CanaryGateOptions { PassScore = 10, MarginalScore = 0 }, (Metric("memory", CanaryDirection.Increase, m => m.Weight = 99), Around(100), Around(100)),
            (Metric("errors", CanaryDirection.Increase, m => m.Critical = true), Around(1), Around(2)));
        Assert.Equal(GateStatus.Failed, critical.Status);
        Assert.Equal(FindingSeverity.Error, Assert.Single(critical.Findings).Severity);
        Assert.StartsWith("Critical metric errors rose", critical.Findings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_change_beyond_a_critical_allowance_fails_the_canary_whatever_the_score()
    {
        var options = new CanaryGateOptions { PassScore = 50, MarginalScore = 0 };
        var latency = Metric("p99", CanaryDirection.Increase, m => m.CriticalIncrease = 0.5);

        // +25 %: beyond the 10 % allowance, within the 50 % critical one: one of two metrics, a score of 50, a pass.
        Assert.Equal(GateStatus.Passed, Judge(options, (latency, Around(100), Around(125)), (Metric("cpu"), Around(40), Around(40))).Status);
        // +100 %: beyond the critical allowance.
        var doubled = Judge(options, (latency, Around(100), Around(200)), (Metric("cpu"), Around(40), Around(40)));
        Assert.Equal(GateStatus.Failed, doubled.Status);
        Assert.Contains(doubled.Findings, f => f.Severity == FindingSeverity.Error && f.Target == "p99");
    }

    [Fact]
    public void No_data_is_left_out_unless_the_metric_must_have_it_and_nothing_passes_on_no_data()
    {
        var options = new CanaryGateOptions();
        var optional = Judge(options, (Metric("queue"), [], Around(5)), (Metric("cpu"), Around(40), Around(40)));
        Assert.Equal(GateStatus.Passed, optional.Status);
        Assert.Contains("queue has no data for the baseline: left out", optional.Summary, StringComparison.Ordinal);

        var required = Judge(options, (Metric("queue", configure: m => m.MustHaveData = true), Around(5), []), (Metric("cpu"), Around(40), Around(40)));
        Assert.Equal(GateStatus.Failed, required.Status);
        Assert.Contains(required.Findings, f => f.Code == "canary.metric-missing" && f.Message.Contains("no data for the canary", StringComparison.Ordinal));

        var nothing = Judge(options, (Metric("queue"), [], []), (Metric("cpu"), [double.NaN], [double.NaN]));
        Assert.Equal(GateStatus.Skipped, nothing.Status);
        Assert.Contains("No canary metric had data on both sides", nothing.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zero_baseline_is_no_special_case_and_never_a_nan()
    {
        // Kayenta's most reported miss: errors on the canary against none on the baseline. Here the baseline's median is 0,
        // so any certain rise is beyond a relative allowance: the metric fails; zero against zero passes.
        double[] zeros = [.. Enumerable.Repeat(0.0, 30)];
        var errors = Judge(new CanaryGateOptions(), (Metric("errors", CanaryDirection.Increase), zeros, Around(3)));
        Assert.Equal(GateStatus.Failed, errors.Status);
        Assert.All(errors.Measurements, m => Assert.False(double.IsNaN(m.Value), m.Name));
        Assert.Equal(GateStatus.Passed, Judge(new CanaryGateOptions(), (Metric("errors", CanaryDirection.Increase), zeros, zeros)).Status);
    }

    [Fact]
    public void Too_few_samples_or_an_interval_across_the_allowance_is_inconclusive()
    {
        var options = new CanaryGateOptions();
        var few = Judge(options, (Metric("cpu"), Around(40)[..5], Around(60)[..5]));
        Assert.Equal(GateStatus.Skipped, few.Status);
        Assert.Contains("5 and 5 samples, at least 10 each needed", few.Summary, StringComparison.Ordinal);

        // Widely spread samples (50 to 149, median 95) and a canary 10 higher, about the 9.5 allowed: the interval spans it.
        double[] noisy = [.. Enumerable.Range(0, 12).Select(i => 50.0 + (9 * i))];
        double[] noisier = [.. noisy.Select(v => v + 10)];
        Assert.Equal(GateStatus.Skipped, Judge(options, (Metric("cpu"), noisy, noisier)).Status);
        Assert.Equal(GateStatus.Failed, Judge(new CanaryGateOptions { InconclusiveStatus = GateStatus.Failed }, (Metric("cpu"), noisy, noisier)).Status);
    }

    [Fact]
    public async Task A_metrics_only_canary_reads_each_side_from_its_series_and_needs_no_request_sources()
    {
        var read = new List<(string, CanarySide)>();
        var series = CanaryMetricSeries.FromDelegate("test series", (metric, side, _) =>
        {
            lock (read)
            {
                read.Add((metric.Name!, side));
            }

            return ValueTask.FromResult<IReadOnlyList<double>>(side == CanarySide.Baseline ? Around(40) : Around(metric.Name == "cpu" ? 60 : 40));
        });

        var report = await ReleaseGate.CreateBuilder().AddCanary("canary", o =>
        {
            o.MetricSeries = series;
            o.Metrics.Add(new CanaryMetric { Name = "cpu", Direction = CanaryDirection.Increase });
            o.Metrics.Add(new CanaryMetric { Name = "memory", Direction = CanaryDirection.Increase });
        }).EvaluateAsync(Ct);

        Assert.Equal(GateStatus.Failed, report.Gates[0].Status);   // a score of 50
        Assert.Equal(4, read.Count);
        Assert.Equal(50, report.Gates[0].Measurements.Single(m => m.Name == "canary-score").Value, 9);
    }

    [Fact]
    public void Validation_names_every_problem_of_the_metrics()
    {
        var options = new CanaryGateOptions { PassScore = 50, MarginalScore = 80 };
        options.Metrics.Add(new CanaryMetric { Name = "cpu load", AllowedIncrease = -1, Weight = 0, CriticalIncrease = 0.05, MinimumSamples = 2 });
        options.Metrics.Add(new CanaryMetric { Name = "mem" });
        options.Metrics.Add(new CanaryMetric { Name = "mem" });
        var problems = new List<string>();

        options.Validate(problems);

        Assert.Contains(problems, p => p.StartsWith("Metrics[0] 'cpu load': Name is required: letters, digits", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Metrics[0] 'cpu load': AllowedIncrease is a non-negative share", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Metrics[0] 'cpu load': Weight must be a positive number", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Metrics[0] 'cpu load': MinimumSamples must be at least 3", StringComparison.Ordinal));
        Assert.Contains("Two metrics are named 'mem'.", problems);
        Assert.Contains(problems, p => p.StartsWith("MetricSeries is required with Metrics", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("MarginalScore and PassScore are scores from 0 to 100", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.StartsWith("Baseline is required", StringComparison.Ordinal));
    }
}
