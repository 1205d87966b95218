namespace ReleaseGates.Metrics;

/// <summary>
/// Latencies as a metrics system keeps them: cumulative counts of classic histogram buckets (Prometheus <c>le</c>
/// buckets), without the individual values. A percentile is then an interpolation inside the bucket it falls in, as
/// PromQL's <c>histogram_quantile</c> computes it: exact only at bucket bounds, and off by up to the bucket's width
/// between them. <see cref="BucketOf"/> says which bounds a percentile fell between.
/// </summary>
public sealed class LatencyBuckets
{
    private readonly double[] _upper;
    private readonly double[] _cumulative;

    /// <summary>Creates the buckets from their upper bounds and cumulative counts, in any order.</summary>
    /// <param name="buckets">
    /// Each bucket's upper bound in milliseconds (inclusive; <see cref="double.PositiveInfinity"/> for the last, which
    /// counts every request) and how many requests took at most that long. Counts may be fractional (a rate or an
    /// extrapolated increase); counts that fall with a rising bound, as scrapes taken at slightly different moments can
    /// give, are raised to the count below them.
    /// </param>
    /// <param name="sumMilliseconds">The sum of all latencies, when the metrics system keeps it (a <c>_sum</c> series).</param>
    /// <exception cref="ArgumentException">No bucket, a bound that is not a number, or no +Inf bucket.</exception>
    public LatencyBuckets(IEnumerable<(double UpperBoundMilliseconds, double CumulativeCount)> buckets, double? sumMilliseconds = null)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        var sorted = buckets.OrderBy(b => b.UpperBoundMilliseconds).ToArray();
        if (sorted.Length == 0 || sorted.Any(b => double.IsNaN(b.UpperBoundMilliseconds) || double.IsNaN(b.CumulativeCount)))
        {
            throw new ArgumentException("Buckets need at least one bucket, with bounds and counts that are numbers.", nameof(buckets));
        }

        if (!double.IsPositiveInfinity(sorted[^1].UpperBoundMilliseconds))
        {
            throw new ArgumentException("The last bucket must be +Inf: without it the number of requests is unknown.", nameof(buckets));
        }

        _upper = [.. sorted.Select(b => b.UpperBoundMilliseconds)];
        _cumulative = [.. sorted.Select(b => Math.Max(0, b.CumulativeCount))];
        for (var i = 1; i < _cumulative.Length; i++)
        {
            _cumulative[i] = Math.Max(_cumulative[i], _cumulative[i - 1]);
        }

        SumMilliseconds = sumMilliseconds;
    }

    /// <summary>How many requests the buckets count (the +Inf bucket).</summary>
    public double Count => _cumulative[^1];

    /// <summary>The sum of all latencies in milliseconds, or <see langword="null"/> when it was not given.</summary>
    public double? SumMilliseconds { get; }

    /// <summary>The mean latency in milliseconds, or <see cref="double.NaN"/> without a sum or requests.</summary>
    public double MeanMilliseconds => SumMilliseconds is { } sum && Count > 0 ? sum / Count : double.NaN;

    /// <summary>The upper bounds in milliseconds, ascending, the last +Inf.</summary>
    public IReadOnlyList<double> UpperBoundsMilliseconds => _upper;

    /// <summary>
    /// The latency at <paramref name="percentile"/> in milliseconds, as <c>histogram_quantile</c> gives it: linear inside
    /// the first bucket whose count reaches the rank (the first bucket starting at 0); the highest finite bound when the
    /// rank falls in the +Inf bucket. <see cref="double.NaN"/> when nothing was counted or there is no finite bucket.
    /// </summary>
    /// <param name="percentile">0 to 100.</param>
    /// <returns>Milliseconds.</returns>
    public double ValueAtPercentile(double percentile)
    {
        var (index, rank) = Locate(percentile);
        if (index < 0)
        {
            return double.NaN;
        }

        if (index == _upper.Length - 1)
        {
            return _upper[^2];
        }

        var lower = index == 0 ? 0 : _upper[index - 1];
        var below = index == 0 ? 0 : _cumulative[index - 1];
        if (index == 0 && _upper[0] <= 0)
        {
            return _upper[0];
        }

        var inBucket = _cumulative[index] - below;
        if (inBucket <= 0)
        {
            return lower; // p(0) with an empty first bucket
        }

        return lower + ((_upper[index] - lower) * ((rank - below) / inBucket));
    }

    /// <summary>
    /// The bounds of the bucket <paramref name="percentile"/> fell in, in milliseconds: the true value lies between them
    /// (the lower bound exclusive, the upper inclusive); the upper is +Inf when it fell above the highest finite bound.
    /// </summary>
    /// <param name="percentile">0 to 100.</param>
    /// <returns>The bounds, or <see langword="null"/> when nothing was counted.</returns>
    public (double Lower, double Upper)? BucketOf(double percentile)
    {
        var (index, _) = Locate(percentile);
        return index < 0 ? null : (index == 0 ? Math.Min(0, _upper[0]) : _upper[index - 1], _upper[index]);
    }

    private (int Index, double Rank) Locate(double percentile)
    {
        if (!(percentile >= 0 && percentile <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "A percentile is from 0 to 100.");
        }

        if (Count <= 0 || _upper.Length < 2)
        {
            return (-1, 0);
        }

        var rank = percentile / 100 * Count;
        for (var i = 0; i < _upper.Length - 1; i++)
        {
            if (_cumulative[i] >= rank)
            {
                return (i, rank);
            }
        }

        return (_upper.Length - 1, rank);
    }
}
