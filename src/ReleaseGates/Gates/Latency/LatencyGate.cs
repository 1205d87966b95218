using System.Globalization;

namespace ReleaseGates;

/// <summary>Holds latency percentiles, mean, extremes and throughput from a request-metrics source to conditions.</summary>
internal sealed class LatencyGate(LatencyGateOptions options) : IReleaseGate
{
    private readonly GateCondition[] _conditions = [.. options.Conditions.Select(GateCondition.Parse)];

    public async ValueTask<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        var metrics = await options.Source!.ReadAsync(context, cancellationToken).ConfigureAwait(false);
        var result = Judge(metrics, _conditions, options, context.Baseline);
        return (result.Status == GateStatus.Error ? result : result.WithDistributions(Distribution(metrics, options.Source!.Description)))
            .WithSourceEvidence(metrics);
    }

    /// <summary>The verdict as a pure function of the metrics, conditions and options.</summary>
    internal static GateResult Judge(RequestMetrics metrics, IReadOnlyList<GateCondition> conditions, LatencyGateOptions options, GateBaseline? baseline)
    {
        var samples = metrics.Latency?.Count ?? metrics.Total;
        if (metrics.Latency is null && metrics.LatencyStatistics is { } statistics)
        {
            var missing = conditions.Select(c => c.Metric).Where(m => m is not ("count" or "rps") && !TryStatistic(statistics, m, out _)).Distinct().ToArray();
            if (missing.Length > 0)
            {
                var hint = options.Source!.Description.StartsWith("k6 ", StringComparison.Ordinal) ? " Add them to k6's --summary-trend-stats." : "";
                throw new InvalidDataException(
                    $"{options.Source!.Description} has no {string.Join(", ", missing)}; it has {string.Join(", ", statistics.Keys)}.{hint}");
            }
        }

        if (metrics.Latency is null && metrics.LatencyStatistics is null && metrics.LatencyBuckets is { } buckets)
        {
            var unsupported = conditions.Select(c => c.Metric).Where(m => m is "min" or "max"
                || (m == "avg" && buckets.SumMilliseconds is null)).Distinct().ToArray();
            if (unsupported.Length > 0)
            {
                throw new InvalidDataException(
                    $"{options.Source!.Description} keeps latencies as histogram buckets, which have no {string.Join(", ", unsupported)}: hold percentiles{(buckets.SumMilliseconds is null ? "" : " or avg")} instead.");
            }
        }

        var source = options.Source!.Description;
        if (samples < Math.Max(1, options.MinimumSamples))
        {
            var reason = $"{samples} samples from {source}; at least {Math.Max(1, options.MinimumSamples)} are needed to judge latency";
            var evidence = new[] { new Measurement("count", samples, MetricUnit.Count) { Target = source } };
            return options.NoDataStatus == GateStatus.Failed
                ? GateResult.Failed(reason, evidence, [new Finding(LatencyGateConstants.LatencyNoData, FindingSeverity.Error, reason) { Target = source }])
                : GateResult.Skipped(reason, evidence);
        }

        var measurements = new List<Measurement>();
        foreach (var condition in conditions)
        {
            var (value, unit) = Value(condition.Metric, metrics);
            var baselineValue = baseline?.Find(condition.Metric)?.Value;
            measurements.Add(Measurement.Evaluate(condition.Metric, value, unit, condition,
                baselineValue) with { Target = BucketTarget(condition.Metric, metrics, source) });
        }

        if (!conditions.Any(c => c.Metric == "count"))
        {
            measurements.Add(new Measurement("count", samples, MetricUnit.Count) { Target = source });
        }

        var p95 = metrics.Latency is { } h ? $"p95 {h.ValueAtPercentile(95) / 1e6:0.###} ms, "
            : metrics.LatencyStatistics?.TryGetValue("p(95)", out var s95) == true ? $"p95 {s95:0.###} ms, "
            : metrics.LatencyBuckets is { Count: > 0 } b95 ? $"p95 {b95.ValueAtPercentile(95):0.###} ms (interpolated in buckets), " : "";
        var findings = new List<Finding>();
        var summary = GateResult.LeadWithShortfalls(measurements, $"{p95}{samples} requests from {source}");
        if (options.SustainedAbove is { } above)
        {
            var what = $"p({options.SustainedPercentile.ToString(CultureInfo.InvariantCulture)}) above {above.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms for {options.SustainedFor}";
            if (metrics.Windows is not { TracksLatency: true } windows)
            {
                return GateResult.Error($"{source} keeps no per-interval latency, so '{what}' cannot be judged: use the in-process HTTP metrics, the fleet source or the load probe.");
            }

            var sustained = windows.CheckLatencySustainedAbove(options.SustainedPercentile, above, options.SustainedFor, options.MinimumRequestsPerInterval);
            measurements.Add(new Measurement("sustained-breached-intervals", sustained.BreachedIntervals,
                MetricUnit.Count) { Target = $"of {sustained.Intervals}: {what}" });
            measurements.Add(new Measurement("sustained-covered-intervals", sustained.JudgedIntervals,
                MetricUnit.Count) { Target = $"of {sustained.Intervals} with at least {options.MinimumRequestsPerInterval} requests" });
            if (sustained.Sustained)
            {
                findings.Add(new Finding(LatencyGateConstants.LatencySustained, FindingSeverity.Error,
                    $"Latency stayed {what}: every one of the {sustained.Intervals} intervals breached.") { Target = source });
                summary = $"{what}: sustained in all {sustained.Intervals} intervals ({summary})";
            }
            else if (sustained.JudgedIntervals < sustained.Intervals)
            {
                var reason = $"only {sustained.JudgedIntervals} of the {sustained.Intervals} intervals of the last {options.SustainedFor} had at least {options.MinimumRequestsPerInterval} requests ({windows.Interval * sustained.JudgedIntervals} covered), so '{what}' cannot be judged";
                findings.Add(new Finding(LatencyGateConstants.LatencySustainedInsufficientData, FindingSeverity.Info,
                    char.ToUpperInvariant(reason[0]) + reason[1..] + ".") { Target = source });
                return new GateResult(GateStatus.Skipped, $"Insufficient data: {reason} ({summary})", measurements, findings);
            }
        }

        return GateResult.FromEvidence(summary, measurements, findings);
    }

    /// <summary>The latency distribution the source had, as a percentile curve: exact from a histogram, interpolated from buckets, or the tool's own statistics.</summary>
    internal static IReadOnlyList<PercentileCurve> Distribution(RequestMetrics metrics, string source)
    {
        var curve = metrics.Latency is { Count: > 0 } histogram ? PercentileCurve.FromHistogram("latency", histogram, source)
            : metrics.LatencyStatistics is { } statistics ? PercentileCurve.FromStatistics("latency", statistics, metrics.Total, source)
            : metrics.LatencyBuckets is { Count: > 0 } buckets ? PercentileCurve.FromBuckets("latency", buckets, source)
            : null;
        return curve is null ? [] : [curve];
    }

    /// <summary>
    /// Where a measurement came from; for a percentile interpolated in histogram buckets, also the bucket bounds the true
    /// value lies between, so nobody reads an interpolation as exact.
    /// </summary>
    private static string BucketTarget(string metric, RequestMetrics metrics, string source)
    {
        if (metrics.Latency is not null || metrics.LatencyStatistics is not null || metrics.LatencyBuckets is not { } buckets || Percentile(metric) is not { } p
            || buckets.BucketOf(p) is not var (lower, upper))
        {
            return source;
        }

        var bounds = double.IsPositiveInfinity(upper)
            ? $"above the highest bucket bound {MetricUnitFormat.Format(lower, MetricUnit.Milliseconds)}, reported as that bound"
            : $"in the bucket {MetricUnitFormat.Format(lower, MetricUnit.Milliseconds)} to {MetricUnitFormat.Format(upper, MetricUnit.Milliseconds)}, interpolated";
        return $"{source}; {bounds}";
    }

    private static double? Percentile(string metric)
        => metric == "med" ? 50
            : metric.StartsWith("p(", StringComparison.Ordinal) && metric.EndsWith(')')
              && double.TryParse(metric.AsSpan(2, metric.Length - 3), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) ? p : null;

    /// <summary>A precomputed statistic by name; <c>med</c> and <c>p(50)</c> are one statistic (the median) under two names.</summary>
    internal static bool TryStatistic(IReadOnlyDictionary<string, double> statistics, string metric, out double value)
    {
        if (statistics.TryGetValue(metric, out value))
        {
            return true;
        }

        if (IsMedian(metric))
        {
            foreach (var (name, statistic) in statistics)
            {
                if (IsMedian(name))
                {
                    value = statistic;
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsMedian(string metric)
        => metric == "med" || (metric.StartsWith("p(", StringComparison.Ordinal) && metric.EndsWith(')')
            && double.TryParse(metric.AsSpan(2, metric.Length - 3), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && p == 50);

    private static (double Value, MetricUnit Unit) Value(string metric, RequestMetrics metrics)
    {
        var h = metrics.Latency;
        if (h is null && metrics.LatencyStatistics is { } statistics && TryStatistic(statistics, metric, out var fromSummary))
        {
            return (fromSummary, MetricUnit.Milliseconds);
        }

        if (h is null && metrics.LatencyBuckets is { } buckets && metric is not ("count" or "rps"))
        {
            return (metric switch
            {
                "avg" => buckets.MeanMilliseconds,
                "min" or "max" => double.NaN,
                _ => buckets.ValueAtPercentile(Percentile(metric)!.Value),
            }, MetricUnit.Milliseconds);
        }

        double Ms(long ns) => ns / 1e6;
        return metric switch
        {
            "count" => (h?.Count ?? metrics.Total, MetricUnit.Count),
            "rps" => (metrics.Duration is { TotalSeconds: > 0 } d ? metrics.Total / d.TotalSeconds : double.NaN, MetricUnit.PerSecond),
            "avg" => (h is null ? double.NaN : h.Mean / 1e6, MetricUnit.Milliseconds),
            "min" => (h is null ? double.NaN : Ms(h.Min), MetricUnit.Milliseconds),
            "max" => (h is null ? double.NaN : Ms(h.Max), MetricUnit.Milliseconds),
            "med" => (h is null ? double.NaN : Ms(h.ValueAtPercentile(50)), MetricUnit.Milliseconds),
            _ => (h is null ? double.NaN : Ms(h.ValueAtPercentile(double.Parse(metric.AsSpan(2, metric.Length - 3), NumberStyles.Float,
                CultureInfo.InvariantCulture))), MetricUnit.Milliseconds),
        };
    }
}
