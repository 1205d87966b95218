using System.Globalization;
using ReleaseGates.Metrics;

namespace ReleaseGates;

/// <summary>
/// A distribution a gate measured, as its percentile curve: the value at each of a fixed ladder of percentiles, from the
/// smallest sample to the largest. A latency gate gives one from the histogram its source had, so that a report shows where
/// latency went and not only its p95. Points beyond what the sample count can resolve (p99.99 of 500 requests) are left out.
/// </summary>
/// <param name="Name">What the curve is of, such as <c>latency</c>.</param>
/// <param name="Unit">The unit of every point's value.</param>
/// <param name="Points">The points, in ascending percentile order.</param>
public sealed record PercentileCurve(string Name, MetricUnit Unit, IReadOnlyList<PercentilePoint> Points)
{
    /// <summary>The percentiles a curve is drawn at, as far as its sample count resolves them.</summary>
    internal static readonly double[] Ladder = [0, 10, 25, 50, 75, 90, 95, 97.5, 99, 99.5, 99.9, 99.95, 99.99, 99.999, 100];

    /// <summary>Where the samples came from (the source's description), or <see langword="null"/>.</summary>
    public string? Target { get; init; }

    /// <summary>How many samples the distribution holds.</summary>
    public long Count { get; init; }

    /// <summary>
    /// How exact the points are, in words: a histogram's relative bound, buckets interpolated between their bounds, or a
    /// tool's own precomputed statistics.
    /// </summary>
    public string? Resolution { get; init; }

    /// <summary>The curve of a latency histogram, in milliseconds, exact to the histogram's bound.</summary>
    internal static PercentileCurve FromHistogram(string name, LatencyHistogram histogram, string? target)
    {
        var percentiles = Resolvable(histogram.Count);
        var values = new long[percentiles.Length];
        histogram.ValuesAtPercentiles(percentiles, values);
        var points = new PercentilePoint[percentiles.Length];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = new PercentilePoint(percentiles[i], values[i] / 1e6);
        }

        return new PercentileCurve(name, MetricUnit.Milliseconds, points)
        {
            Target = target,
            Count = histogram.Count,
            Resolution = "histogram of every sample, each value within 0.05 % (minimum and maximum exact)",
        };
    }

    /// <summary>The curve of cumulative buckets, in milliseconds, interpolated inside each bucket as <c>histogram_quantile</c> does.</summary>
    internal static PercentileCurve? FromBuckets(string name, LatencyBuckets buckets, string? target)
    {
        var count = (long)Math.Round(buckets.Count);
        var points = Resolvable(count).Where(p => p is > 0 and < 100)
            .Select(p => new PercentilePoint(p, buckets.ValueAtPercentile(p)))
            .Where(p => double.IsFinite(p.Value))
            .ToArray();
        return points.Length == 0 ? null : new PercentileCurve(name, MetricUnit.Milliseconds, points)
        {
            Target = target,
            Count = count,
            Resolution = $"interpolated inside {buckets.UpperBoundsMilliseconds.Count} histogram buckets: each value lies somewhere in its bucket",
        };
    }

    /// <summary>The curve of a tool's precomputed statistics (<c>p(90)</c>, <c>med</c>, <c>min</c>, <c>max</c>), in milliseconds.</summary>
    internal static PercentileCurve? FromStatistics(string name, IReadOnlyDictionary<string, double> statistics, long count, string? target)
    {
        var points = new SortedDictionary<double, double>();
        foreach (var (key, value) in statistics)
        {
            var p = key switch
            {
                "min" => 0,
                "max" => 100,
                _ => PercentileOf(key),
            };
            if (p is { } percentile && double.IsFinite(value))
            {
                points[percentile] = value;
            }
        }

        return points.Count < 2 ? null : new PercentileCurve(name, MetricUnit.Milliseconds,
            [.. points.Select(p => new PercentilePoint(p.Key, p.Value))])
        {
            Target = target,
            Count = count,
            Resolution = "the tool's own summary statistics: only the percentiles it computed",
        };
    }

    /// <summary>The percentile a statistic or measurement is named for (<c>p(95)</c>, <c>med</c>), 0 to 100, or <see langword="null"/>.</summary>
    internal static double? PercentileOf(string name)
        => name == "med" ? 50
            : name.StartsWith("p(", StringComparison.Ordinal) && name.EndsWith(')')
              && double.TryParse(name.AsSpan(2, name.Length - 3), NumberStyles.Float, CultureInfo.InvariantCulture, out var p)
              && p is >= 0 and <= 100 ? p : null;

    /// <summary>The ladder's percentiles that <paramref name="count"/> samples resolve: p is kept when 1 / (1 − p/100) ≤ count.</summary>
    private static double[] Resolvable(long count)
        => [.. Ladder.Where(p => p is 0 or 100 || (count > 0 && 100 / (100 - p) <= count))];
}
