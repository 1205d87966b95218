using System.Globalization;
using ReleaseGates.Metrics;

namespace ReleaseGates;

/// <summary>The multi-metric judge, Kayenta's way: every metric by rank and direction, together by a weighted score.</summary>
internal sealed partial class CanaryGate
{
    /// <summary>How one metric came out.</summary>
    internal enum MetricVerdict
    {
        Pass,
        High,
        Low,
        Inconclusive,
        NoData,
        MissingData,
    }

    /// <summary>Reads every metric for both sides at once.</summary>
    private static async Task<List<(CanaryMetric Metric, IReadOnlyList<double> Baseline, IReadOnlyList<double> Canary)>> ReadMetricsAsync(
        CanaryGateOptions options, GateContext context, CancellationToken cancellationToken)
    {
        var reads = options.Metrics.Select(async metric =>
        {
            var baseline = options.MetricSeries!.ReadAsync(metric, CanarySide.Baseline, context, cancellationToken).AsTask();
            var canary = options.MetricSeries!.ReadAsync(metric, CanarySide.Canary, context, cancellationToken).AsTask();
            await Task.WhenAll(baseline, canary).ConfigureAwait(false);
            return (metric, await baseline.ConfigureAwait(false), await canary.ConfigureAwait(false));
        });
        return [.. await Task.WhenAll(reads).ConfigureAwait(false)];
    }

    /// <summary>
    /// The metrics' verdict as a pure function of their samples: each metric passes, rises or falls beyond its allowance
    /// (counting only in its direction), cannot tell, or has no data; the score is the weight that passed over the weight
    /// judged. A critical metric that fails, or a change beyond a critical allowance, fails the canary whatever the score;
    /// a score that only the inconclusive metrics keep from passing (or from failing) is inconclusive, never a pass.
    /// </summary>
    internal static GateResult JudgeMetrics(IReadOnlyList<(CanaryMetric Metric, IReadOnlyList<double> Baseline, IReadOnlyList<double> Canary)> samples,
        CanaryGateOptions options, double confidence)
    {
        var measurements = new List<Measurement>();
        var judged = new List<(CanaryMetric Metric, MetricVerdict Verdict, bool Critical, string Text)>();
        foreach (var (metric, baseline, canary) in samples)
        {
            judged.Add(JudgeMetric(metric, WeightedSample.FromValues(baseline), WeightedSample.FromValues(canary), confidence, measurements));
        }

        double Weight(Func<MetricVerdict, bool> which) => judged.Where(j => which(j.Verdict)).Sum(j => j.Metric.Weight);
        var total = Weight(v => v is not MetricVerdict.NoData);
        var passed = Weight(v => v is MetricVerdict.Pass);
        var open = Weight(v => v is MetricVerdict.Inconclusive);
        var critical = judged.Where(j => j.Critical).ToList();
        var score = total > 0 ? 100 * passed / total : double.NaN;
        var best = total > 0 ? 100 * (passed + open) / total : double.NaN;
        var status = critical.Count > 0 ? GateStatus.Failed
            : total == 0 ? options.InconclusiveStatus
            : score >= options.PassScore ? GateStatus.Passed
            : best < options.MarginalScore ? GateStatus.Failed
            : open > 0 ? options.InconclusiveStatus
            : GateStatus.Warning;

        var scoreCondition = GateCondition.AtLeast("canary-score", options.MarginalScore, MetricUnit.None).WithWarning(options.PassScore, MetricUnit.None);
        if (total > 0)
        {
            measurements.Add(status == GateStatus.Failed && critical.Count == 0 || status is GateStatus.Passed or GateStatus.Warning
                ? Measurement.Evaluate("canary-score", score, MetricUnit.None, scoreCondition)
                : new Measurement("canary-score", score, MetricUnit.None) { Target = $"pass {options.PassScore:0.##}, marginal {options.MarginalScore:0.##}" });
        }

        var findings = MetricFindings(judged, status);
        var summary = total == 0 ? "No canary metric had data on both sides"
            : $"Canary score {score:0.#} of 100 (pass {options.PassScore:0.##}, marginal {options.MarginalScore:0.##})"
                + (open > 0 ? $", {best:0.#} if every inconclusive metric passed" : "") + ": "
                + string.Join("; ", judged.Select(j => $"{j.Metric.Name} {j.Text}"));
        return status switch
        {
            GateStatus.Passed => GateResult.Passed(summary, measurements, findings),
            GateStatus.Warning => GateResult.Warning(summary, measurements, findings),
            GateStatus.Failed => GateResult.Failed(summary, measurements, findings),
            _ => new GateResult(status, "Inconclusive: " + summary, measurements, findings),
        };
    }

    /// <summary>One metric: its medians, the Hodges–Lehmann shift with its interval, and the verdict in its direction.</summary>
    private static (CanaryMetric Metric, MetricVerdict Verdict, bool Critical, string Text) JudgeMetric(CanaryMetric metric, WeightedSample baseline,
        WeightedSample canary, double confidence, List<Measurement> measurements)
    {
        if (baseline.Count == 0 || canary.Count == 0)
        {
            var side = baseline.Count == 0 ? (canary.Count == 0 ? "either side" : "the baseline") : "the canary";
            return metric.MustHaveData
                ? (metric, MetricVerdict.MissingData, metric.Critical, $"has no data for {side}, which it must have")
                : (metric, MetricVerdict.NoData, false, $"has no data for {side}: left out");
        }

        var (median, canaryMedian) = (baseline.Median(), canary.Median());
        measurements.Add(new Measurement($"{metric.Name}-baseline-median", median, MetricUnit.None) { Target = $"{baseline.Count} samples" });
        measurements.Add(new Measurement($"{metric.Name}-canary-median", canaryMedian, MetricUnit.None) { Target = $"{canary.Count} samples" });
        if (baseline.Count < metric.MinimumSamples || canary.Count < metric.MinimumSamples)
        {
            return (metric, MetricVerdict.Inconclusive, false,
                $"inconclusive: {baseline.Count} and {canary.Count} samples, at least {metric.MinimumSamples} each needed");
        }

        var result = ShiftComparison.Compare(baseline, canary, confidence);
        var (up, down) = (metric.AllowedIncrease * Math.Abs(median), metric.AllowedDecrease * Math.Abs(median));
        var (rises, falls) = (metric.Direction is CanaryDirection.Either or CanaryDirection.Increase,
            metric.Direction is CanaryDirection.Either or CanaryDirection.Decrease);
        var verdict = rises && result.Lower > up ? MetricVerdict.High
            : falls && result.Upper < -down ? MetricVerdict.Low
            : (!rises || result.Upper <= up) && (!falls || result.Lower >= -down) ? MetricVerdict.Pass
            : MetricVerdict.Inconclusive;
        var beyondCritical = (verdict == MetricVerdict.High && metric.CriticalIncrease is { } ci && result.Lower > ci * Math.Abs(median))
            || (verdict == MetricVerdict.Low && metric.CriticalDecrease is { } cd && result.Upper < -cd * Math.Abs(median));
        measurements.Add(new Measurement($"{metric.Name}-shift", result.Shift, MetricUnit.None)
        {
            Target = $"{Percent(result.Confidence)} interval {Number(result.Lower)} to {Number(result.Upper)}; allowed +{Number(up)} / −{Number(down)}",
        });
        var text = verdict switch
        {
            MetricVerdict.High => "rose beyond its allowance",
            MetricVerdict.Low => "fell beyond its allowance",
            MetricVerdict.Pass => "passed",
            _ => "inconclusive",
        } + $" (median {Number(median)} → {Number(canaryMedian)}, shift {Number(result.Shift)}, interval {Number(result.Lower)} to {Number(result.Upper)})";
        return (metric, verdict, beyondCritical || (metric.Critical && verdict is MetricVerdict.High or MetricVerdict.Low), text);
    }

    /// <summary>A finding for each metric that rose, fell or lacked data it must have: as severe as the gate's verdict, an error when critical.</summary>
    private static List<Finding> MetricFindings(List<(CanaryMetric Metric, MetricVerdict Verdict, bool Critical, string Text)> judged, GateStatus status)
    {
        var severity = status switch
        {
            GateStatus.Failed => FindingSeverity.Error,
            GateStatus.Warning => FindingSeverity.Warning,
            _ => FindingSeverity.Info,
        };
        var findings = new List<Finding>();
        foreach (var (metric, verdict, critical, text) in judged)
        {
            var code = verdict switch
            {
                MetricVerdict.High or MetricVerdict.Low => CanaryGateConstants.MetricChanged,
                MetricVerdict.MissingData => CanaryGateConstants.MetricMissing,
                _ => null,
            };
            if (code is not null)
            {
                findings.Add(new Finding(code, critical ? FindingSeverity.Error : severity,
                    $"{(critical ? "Critical metric " : "Metric ")}{metric.Name} {text}.") { Target = metric.Name });
            }
        }

        return findings;
    }

    private static string Number(double value) => double.IsInfinity(value) ? (value > 0 ? "+∞" : "−∞")
        : value.ToString("0.####", CultureInfo.InvariantCulture);
}
