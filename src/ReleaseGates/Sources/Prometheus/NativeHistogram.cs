using System.Globalization;
using ReleaseGates.Metrics;

namespace ReleaseGates;

/// <summary>One bucket of a native histogram sample as the Prometheus API sends it.</summary>
/// <param name="BoundaryRule">0: lower bound exclusive, upper inclusive; 1: the reverse; 2: both exclusive; 3: both inclusive.</param>
/// <param name="Lower">The lower bound.</param>
/// <param name="Upper">The upper bound.</param>
/// <param name="Count">How many observations fell in the bucket (fractional after <c>rate</c> or <c>increase</c>).</param>
internal sealed record NativeHistogramBucket(int BoundaryRule, double Lower, double Upper, double Count);

/// <summary>
/// A native (sparse, exponential) histogram sample: Prometheus's own precise form, whose bucket bounds grow by
/// 2^(2^−schema) (schema 3: ×1.0905, about 9 % wide), against the few fixed bounds of a classic histogram.
/// </summary>
/// <param name="Count">Observations.</param>
/// <param name="Sum">Their sum.</param>
/// <param name="Buckets">The populated buckets, any order.</param>
internal sealed record NativeHistogram(double Count, double Sum, IReadOnlyList<NativeHistogramBucket> Buckets)
{
    /// <summary>
    /// The ratio between a positive bucket's upper and lower bound (2^(2^−schema)), read from the buckets since the API does
    /// not send the schema; <see langword="null"/> when no positive bucket tells it.
    /// </summary>
    public double? GrowthFactor
    {
        get
        {
            var ratios = Buckets.Where(b => b.Lower > 0 && b.Upper > b.Lower && double.IsFinite(b.Upper)).Select(b => b.Upper / b.Lower).ToList();
            return ratios.Count == 0 ? null : ratios.Min();
        }
    }

    /// <summary>The schema the growth factor implies (−4 to 8 as Prometheus defines them), or null.</summary>
    public int? Schema => GrowthFactor is { } f ? (int)Math.Round(-Math.Log2(Math.Log2(f))) : null;

    /// <summary>What the evidence says about the resolution: the schema and how wide a bucket is.</summary>
    public string Resolution => GrowthFactor is { } f
        ? $"native histogram, schema {Schema?.ToString(CultureInfo.InvariantCulture)}: each bucket spans "
            + $"×{f.ToString("0.####", CultureInfo.InvariantCulture)} ({((f - 1) * 100).ToString("0.##", CultureInfo.InvariantCulture)} % of its "
                + $"lower bound), a percentile is interpolated within it"
        : "native histogram with no populated positive bucket";

    /// <summary>
    /// The buckets as cumulative latency buckets in milliseconds: each native bucket gives its lower bound (the count
    /// below it) and its upper bound (the count up to it), so an interpolation stays inside the populated bucket instead
    /// of spreading over the empty ones before it.
    /// </summary>
    public LatencyBuckets ToLatencyBuckets(double millisecondsPerUnit)
    {
        var points = new SortedDictionary<double, double>();
        var cumulative = 0.0;
        foreach (var bucket in Buckets.Where(b => b.Count > 0).OrderBy(b => b.Upper))
        {
            var lower = Math.Max(0, bucket.Lower) * millisecondsPerUnit;
            points[lower] = Math.Max(points.GetValueOrDefault(lower), cumulative);
            cumulative += bucket.Count;
            var upper = Math.Max(0, bucket.Upper) * millisecondsPerUnit;
            points[upper] = Math.Max(points.GetValueOrDefault(upper), cumulative);
        }

        points[double.PositiveInfinity] = Math.Max(Count, cumulative);
        return new LatencyBuckets(points.Select(p => (p.Key, p.Value)), double.IsFinite(Sum) && Sum >= 0 ? Sum * millisecondsPerUnit : null);
    }
}
