using System.Globalization;
using ReleaseGates.Metrics;

namespace ReleaseGates;

/// <summary>
/// The canary judge: reads the baseline and the canary at the same time and compares their latency distributions by
/// rank. The verdict is an equivalence test on the Hodges–Lehmann shift: its whole confidence interval within the allowed
/// increase passes, wholly above it fails, anything else (or too few requests) is inconclusive.
/// </summary>
internal sealed class CanaryGate(CanaryGateOptions options) : IReleaseGate
{
    public async ValueTask<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        // At the same time, so both sides see the same load, the same dependencies and the same hour.
        var baselineRead = options.Baseline!.ReadAsync(context, cancellationToken).AsTask();
        var canaryRead = options.Canary!.ReadAsync(context, cancellationToken).AsTask();
        await Task.WhenAll(baselineRead, canaryRead).ConfigureAwait(false);
        var (baseline, canary) = (await baselineRead.ConfigureAwait(false), await canaryRead.ConfigureAwait(false));
        if (baseline.Latency is null || canary.Latency is null)
        {
            var side = baseline.Latency is null ? $"baseline ({options.Baseline.Description})" : $"canary ({options.Canary.Description})";
            return GateResult.Error($"The {side} gives no latency histogram; the canary judge compares whole distributions, which summaries and bucket counts do not hold.");
        }

        return Judge(WeightedSample.FromHistogram(baseline.Latency), WeightedSample.FromHistogram(canary.Latency), options)
            .WithSourceEvidence(baseline.SourceMeasurements, baseline.SourceFindings, "baseline")
            .WithSourceEvidence(canary.SourceMeasurements, canary.SourceFindings, "canary");
    }

    /// <summary>The verdict as a pure function of the two samples (in nanoseconds) and the options.</summary>
    internal static GateResult Judge(WeightedSample baseline, WeightedSample canary, CanaryGateOptions options)
    {
        var measurements = new List<Measurement>
        {
            new("baseline-samples", baseline.Count, MetricUnit.Count),
            new("canary-samples", canary.Count, MetricUnit.Count),
        };
        if (baseline.Count < options.MinimumSamples || canary.Count < options.MinimumSamples)
        {
            var finding = new Finding(CanaryGateConstants.TooFewSamples,
                options.InconclusiveStatus == GateStatus.Failed ? FindingSeverity.Error : FindingSeverity.Info,
                $"The baseline has {baseline.Count} requests and the canary {canary.Count}; each needs at least {options.MinimumSamples} before the comparison can tell anything.");
            return Inconclusive($"Too few requests to compare: baseline {baseline.Count}, canary {canary.Count}, at least {options.MinimumSamples} each",
                measurements, finding, options);
        }

        var baselineMedian = baseline.Median();
        var allowed = Math.Min(options.MaximumIncrease is { } a ? a.Ticks * 100.0 : double.PositiveInfinity,
            options.MaximumRelativeIncrease is { } r ? r * baselineMedian : double.PositiveInfinity);
        var result = ShiftComparison.Compare(baseline, canary, options.Confidence);
        var status = result.Lower > allowed ? GateStatus.Failed : result.Upper <= allowed ? GateStatus.Passed : options.InconclusiveStatus;
        measurements.AddRange(
        [
            new Measurement("baseline-p50", Milliseconds(baselineMedian), MetricUnit.Milliseconds),
            new Measurement("canary-p50", Milliseconds(canary.Median()), MetricUnit.Milliseconds),
            new Measurement("shift", Milliseconds(result.Shift), MetricUnit.Milliseconds) { Status = status },
            new Measurement("allowed-increase", Milliseconds(allowed), MetricUnit.Milliseconds),
            new Measurement("p-value", result.PValue, MetricUnit.None),
        ]);

        // An interval that the ranks cannot bound on one side (very small samples at a high confidence) has no number there.
        measurements.AddRange(new[] { ("shift-lower", result.Lower), ("shift-upper", result.Upper) }
            .Where(b => double.IsFinite(b.Item2))
            .Select(b => new Measurement(b.Item1, Milliseconds(b.Item2), MetricUnit.Milliseconds)));

        var interval = $"shift {Ms(result.Shift)} ({result.Confidence:P0} interval {Ms(result.Lower)} to {Ms(result.Upper)}), allowed +{Ms(allowed)}, p = {result.PValue.ToString("0.####", CultureInfo.InvariantCulture)}";
        return status switch
        {
            GateStatus.Passed => GateResult.Passed($"The canary is no slower than allowed: {interval}", measurements),
            GateStatus.Failed when result.Lower > allowed => GateResult.Failed(
                $"The canary is slower than allowed: {interval}",
                measurements,
                [new Finding(CanaryGateConstants.Slower, FindingSeverity.Error,
                    $"With {result.Confidence:P0} confidence the canary's latency is at least {Ms(result.Lower)} above the baseline's (median {Ms(baselineMedian)}), more than the allowed {Ms(allowed)}.")]),
            _ => Inconclusive(
                $"The data cannot tell whether the canary is within the allowed increase: {interval}",
                measurements,
                new Finding(CanaryGateConstants.Inconclusive,
                    options.InconclusiveStatus == GateStatus.Failed ? FindingSeverity.Error : FindingSeverity.Info,
                    $"The interval {Ms(result.Lower)} to {Ms(result.Upper)} reaches across the allowed increase of {Ms(allowed)}: more requests, or a wider allowance, would decide it."),
                options),
        };
    }

    private static GateResult Inconclusive(string summary, List<Measurement> measurements, Finding finding, CanaryGateOptions options)
        => options.InconclusiveStatus == GateStatus.Failed ? GateResult.Failed(summary, measurements, [finding]) : GateResult.Skipped(summary, measurements);

    private static double Milliseconds(double nanoseconds) => nanoseconds / 1e6;

    private static string Ms(double nanoseconds) => double.IsInfinity(nanoseconds)
        ? (nanoseconds > 0 ? "+∞" : "−∞")
        : MetricUnitFormat.Format(Milliseconds(nanoseconds), MetricUnit.Milliseconds);
}
