using System.Globalization;
using ReleaseGates.Metrics;

namespace ReleaseGates;

/// <summary>
/// The canary judge: reads the baseline and the canary at the same time and compares their latency distributions by
/// rank, their error rates, or both. Each verdict is an equivalence test: on the Hodges–Lehmann shift for latency, on
/// the Newcombe interval of the difference of error rates for errors. The whole confidence interval within the allowed
/// increase passes, wholly above it fails, anything else (or too few requests) is inconclusive; the worst verdict counts.
/// </summary>
internal sealed partial class CanaryGate(CanaryGateOptions options) : IReleaseGate
{
    public async ValueTask<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        var confidence = LookConfidence(options, context.WatchRounds);
        var judgesRequests = options.MaximumIncrease is not null || options.MaximumRelativeIncrease is not null || options.MaximumErrorRateIncrease is not null;
        var requestsJudged = judgesRequests ? JudgeRequestsAsync(context, confidence, cancellationToken) : Task.FromResult<GateResult?>(null);
        var metricsRead = options.Metrics.Count > 0 ? ReadMetricsAsync(options, context, cancellationToken) : null;
        await Task.WhenAll(metricsRead is null ? [requestsJudged] : [requestsJudged, metricsRead]).ConfigureAwait(false);
        var requests = await requestsJudged.ConfigureAwait(false);
        var metrics = metricsRead is null ? null : JudgeMetrics(await metricsRead.ConfigureAwait(false), options, confidence);
        var result = Combine(requests, metrics, "Requests", "Metrics");
        if (context.WatchRound is { } round && confidence != options.Confidence)
        {
            result = result.WithSourceEvidence(
                [new Measurement("look-confidence", confidence, MetricUnit.Ratio) { Target = $"round {round} of at most {context.WatchRounds}" }], []);
        }

        return result;
    }

    /// <summary>Reads both request sources at once and judges latency, error rates or both, with each source's evidence.</summary>
    private async Task<GateResult?> JudgeRequestsAsync(GateContext context, double confidence, CancellationToken cancellationToken)
    {
        // At the same time, so both sides see the same load, the same dependencies and the same hour.
        var baselineRead = options.Baseline!.ReadAsync(context, cancellationToken).AsTask();
        var canaryRead = options.Canary!.ReadAsync(context, cancellationToken).AsTask();
        await Task.WhenAll(baselineRead, canaryRead).ConfigureAwait(false);
        var (baseline, canary) = (await baselineRead.ConfigureAwait(false), await canaryRead.ConfigureAwait(false));
        GateResult? latency = null, errors = null;
        if (options.MaximumIncrease is not null || options.MaximumRelativeIncrease is not null)
        {
            if (baseline.Latency is null || canary.Latency is null)
            {
                var side = baseline.Latency is null ? $"baseline ({options.Baseline.Description})" : $"canary ({options.Canary.Description})";
                return GateResult.Error($"The {side} gives no latency histogram; the canary judge compares whole distributions, which summaries and bucket counts do not hold.");
            }

            latency = Judge(WeightedSample.FromHistogram(baseline.Latency), WeightedSample.FromHistogram(canary.Latency), options, confidence);
        }

        if (options.MaximumErrorRateIncrease is not null)
        {
            if (baseline.Errors is not { } baselineErrors || canary.Errors is not { } canaryErrors)
            {
                var side = baseline.Errors is null ? $"baseline ({options.Baseline.Description})" : $"canary ({options.Canary.Description})";
                return GateResult.Error($"The {side} gives no error count, which comparing error rates needs.");
            }

            errors = JudgeErrors(baseline.Total, baselineErrors, canary.Total, canaryErrors, options, confidence);
        }

        return Combine(latency, errors)
            .WithSourceEvidence(baseline, "baseline")
            .WithSourceEvidence(canary, "canary");
    }

    /// <summary>
    /// The error-rate verdict as a pure function of the counts: the canary's rate minus the baseline's, with its Newcombe
    /// interval, against <see cref="CanaryGateOptions.MaximumErrorRateIncrease"/>.
    /// </summary>
    internal static GateResult JudgeErrors(long baselineTotal, long baselineErrors, long canaryTotal, long canaryErrors, CanaryGateOptions options,
        double? confidence = null)
    {
        var level = confidence ?? options.Confidence;
        var allowed = options.MaximumErrorRateIncrease ?? throw new ArgumentException("No error-rate allowance is set.", nameof(options));
        foreach (var (side, total, failed) in new[] { ("baseline", baselineTotal, baselineErrors), ("canary", canaryTotal, canaryErrors) })
        {
            if (failed < 0 || total < 0 || failed > total)
            {
                return GateResult.Error($"The {side} counts {failed} errors in {total} requests, which is not a proportion.");
            }
        }

        var measurements = new List<Measurement>
        {
            new("baseline-requests", baselineTotal, MetricUnit.Count),
            new("canary-requests", canaryTotal, MetricUnit.Count),
            new("baseline-errors", baselineErrors, MetricUnit.Count),
            new("canary-errors", canaryErrors, MetricUnit.Count),
        };
        if (baselineTotal < options.MinimumSamples || canaryTotal < options.MinimumSamples)
        {
            var finding = new Finding(CanaryGateConstants.TooFewSamples,
                options.InconclusiveStatus == GateStatus.Failed ? FindingSeverity.Error : FindingSeverity.Info,
                $"The baseline has {baselineTotal} requests and the canary {canaryTotal}; each needs at least {options.MinimumSamples} before their error rates can be compared.");
            return Inconclusive($"Too few requests to compare error rates: baseline {baselineTotal}, canary {canaryTotal}, at least {options.MinimumSamples} each",
                measurements, finding, options);
        }

        var (difference, lower, upper) = ProportionDifference.Newcombe(canaryErrors, canaryTotal, baselineErrors, baselineTotal, level);
        var status = lower > allowed ? GateStatus.Failed : upper <= allowed ? GateStatus.Passed : options.InconclusiveStatus;
        measurements.AddRange(
        [
            new Measurement("baseline-error-rate", 100.0 * baselineErrors / baselineTotal, MetricUnit.Percent),
            new Measurement("canary-error-rate", 100.0 * canaryErrors / canaryTotal, MetricUnit.Percent),
            new Measurement("error-rate-increase", 100 * difference, MetricUnit.Percent) { Status = status },
            new Measurement("error-rate-increase-lower", 100 * lower, MetricUnit.Percent),
            new Measurement("error-rate-increase-upper", 100 * upper, MetricUnit.Percent),
            new Measurement("allowed-error-rate-increase", 100 * allowed, MetricUnit.Percent),
        ]);
        var interval = $"error rate {Pp(difference)} ({Percent(level)} interval {Pp(lower)} to {Pp(upper)}), allowed +{Pp(allowed)}; "
            + $"canary {canaryErrors} of {canaryTotal}, baseline {baselineErrors} of {baselineTotal}";
        return status switch
        {
            GateStatus.Passed => GateResult.Passed($"The canary fails no more often than allowed: {interval}", measurements),
            GateStatus.Failed when lower > allowed => GateResult.Failed(
                $"The canary fails more often than allowed: {interval}",
                measurements,
                [new Finding(CanaryGateConstants.MoreErrors, FindingSeverity.Error,
                    $"With {Percent(level)} confidence the canary's error rate is at least {Pp(lower)} above the baseline's, more than the allowed {Pp(allowed)}.")]),
            _ => Inconclusive(
                $"The data cannot tell whether the canary's error rate is within the allowed increase: {interval}",
                measurements,
                new Finding(CanaryGateConstants.Inconclusive,
                    options.InconclusiveStatus == GateStatus.Failed ? FindingSeverity.Error : FindingSeverity.Info,
                    $"The error-rate interval {Pp(lower)} to {Pp(upper)} reaches across the allowed increase of {Pp(allowed)}: more requests, or a wider allowance, would decide it."),
                options),
        };
    }

    /// <summary>
    /// Both verdicts as one: the worse status (failed, then inconclusive, then passed), every measurement and finding; a
    /// side that could not be judged at all (<see cref="GateStatus.Error"/>) makes the gate that error.
    /// </summary>
    internal static GateResult Combine(GateResult? latency, GateResult? errors, string firstLabel = "Latency", string secondLabel = "Errors")
    {
        if (latency is null || errors is null)
        {
            return latency ?? errors ?? throw new ArgumentException("Neither latency nor errors were judged.");
        }

        if (latency.Status == GateStatus.Error || errors.Status == GateStatus.Error)
        {
            return latency.Status == GateStatus.Error ? latency : errors;
        }

        var status = GateVerdict.Worst(latency.Status, errors.Status);
        var summary = $"{firstLabel}: {latency.Summary}. {secondLabel}: {errors.Summary}";
        IReadOnlyList<Measurement> measurements = [.. latency.Measurements, .. errors.Measurements];
        IReadOnlyList<Finding> findings = [.. latency.Findings, .. errors.Findings];
        return status switch
        {
            GateStatus.Passed => GateResult.Passed(summary, measurements, findings),
            GateStatus.Skipped => GateResult.Skipped(summary, measurements),
            GateStatus.Warning => GateResult.Warning(summary, measurements, findings),
            _ => GateResult.Failed(summary, measurements, findings),
        };
    }

    private static string Percent(double confidence) => (100 * confidence).ToString("0.##", CultureInfo.InvariantCulture) + " %";

    private static string Pp(double share) => (100 * share).ToString("0.###", CultureInfo.InvariantCulture) + " pp";

    /// <summary>
    /// The confidence of each look: in a watch of at most <paramref name="rounds"/> rounds, the error rate 1 − confidence
    /// is spent evenly over them (Bonferroni), so that the chance of any false verdict in the whole watch stays within it
    /// whatever the looks' dependence; outside a watch, or with <see cref="CanaryGateOptions.AdjustForRepeatedLooks"/>
    /// off, the stated confidence.
    /// </summary>
    internal static double LookConfidence(CanaryGateOptions options, int? rounds)
        => options.AdjustForRepeatedLooks && rounds is > 1 ? 1 - ((1 - options.Confidence) / rounds.Value) : options.Confidence;

    /// <summary>The verdict as a pure function of the two samples (in nanoseconds), the options and the confidence of this look.</summary>
    internal static GateResult Judge(WeightedSample baseline, WeightedSample canary, CanaryGateOptions options, double? confidence = null)
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
        var result = ShiftComparison.Compare(baseline, canary, confidence ?? options.Confidence);
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

        var interval = $"shift {Ms(result.Shift)} ({Percent(result.Confidence)} interval {Ms(result.Lower)} to {Ms(result.Upper)}), allowed +{Ms(allowed)}, p = {result.PValue.ToString("0.####", CultureInfo.InvariantCulture)}";
        return status switch
        {
            GateStatus.Passed => GateResult.Passed($"The canary is no slower than allowed: {interval}", measurements),
            GateStatus.Failed when result.Lower > allowed => GateResult.Failed(
                $"The canary is slower than allowed: {interval}",
                measurements,
                [new Finding(CanaryGateConstants.Slower, FindingSeverity.Error,
                    $"With {Percent(result.Confidence)} confidence the canary's latency is at least {Ms(result.Lower)} above the baseline's (median {Ms(baselineMedian)}), more than the allowed {Ms(allowed)}.")]),
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
