namespace ReleaseGates.Metrics;

/// <summary>A sample as distinct ascending values with their counts: exact samples, or a histogram's buckets at their midpoints.</summary>
internal sealed class WeightedSample
{
    private WeightedSample(double[] values, long[] counts)
    {
        Values = values;
        Counts = counts;
        Count = counts.Sum();
    }

    public double[] Values { get; }

    public long[] Counts { get; }

    public long Count { get; }

    public static WeightedSample FromValues(IEnumerable<double> values)
    {
        var groups = values.Where(double.IsFinite).GroupBy(v => v).OrderBy(g => g.Key).ToArray();
        return new WeightedSample(groups.Select(g => g.Key).ToArray(), groups.Select(g => (long)g.Count()).ToArray());
    }

    /// <summary>The histogram's buckets at their midpoints, in nanoseconds; values above its range at its max.</summary>
    public static WeightedSample FromHistogram(LatencyHistogram histogram)
    {
        var buckets = histogram.Buckets().GroupBy(b => b.Value).Select(g => (Value: (double)g.Key, Count: g.Sum(b => b.Count))).OrderBy(b => b.Value).ToArray();
        return new WeightedSample(buckets.Select(b => b.Value).ToArray(), buckets.Select(b => b.Count).ToArray());
    }

    /// <summary>The value at the middle (the lower one of the two middle values for an even count).</summary>
    public double Median()
    {
        var half = (Count + 1) / 2;
        long seen = 0;
        for (var i = 0; i < Values.Length; i++)
        {
            seen += Counts[i];
            if (seen >= half)
            {
                return Values[i];
            }
        }

        return double.NaN;
    }
}

/// <summary>
/// What the rank comparison of a canary with its baseline found: the Mann–Whitney U of the canary (pairs in which the
/// canary is larger, ties counting half), its one-sided p-value for "the canary is larger", and the Hodges–Lehmann
/// shift (the median of all canary − baseline differences) with its distribution-free confidence interval.
/// </summary>
internal sealed record ShiftComparisonResult(double U, double PValue, double Shift, double Lower, double Upper, double Confidence);

/// <summary>
/// The Mann–Whitney U test and the Hodges–Lehmann shift estimate of two weighted samples, in the large-sample normal
/// approximation with the tie correction (ties are many when the samples are histograms). Order statistics of the
/// n₁·n₂ pairwise differences are found by bisection over their value with a linear count per step, so a comparison
/// costs O((B₁ + B₂) log range) for B distinct values, never the n₁·n₂ pairs themselves.
/// </summary>
internal static class ShiftComparison
{
    public static ShiftComparisonResult Compare(WeightedSample baseline, WeightedSample canary, double confidence)
    {
        long n1 = baseline.Count, n2 = canary.Count;
        var (u, tieSum) = RankSum(baseline, canary);
        double n = n1 + n2, pairs = (double)n1 * n2;
        var mean = pairs / 2;
        var variance = pairs / 12 * (n + 1 - (tieSum / (n * (n - 1))));
        var sigma = variance > 0 ? Math.Sqrt(variance) : 0;

        // One-sided, with the continuity correction: how surprising a U this large is if the canary is no larger.
        var z = sigma > 0 ? (u - mean - 0.5) / sigma : 0;
        var p = sigma > 0 ? 1 - NormalDistribution.Cdf(z) : 1;

        var total = n1 * n2;
        var shift = (KthDifference(baseline, canary, (total + 1) / 2) + KthDifference(baseline, canary, (total + 2) / 2)) / 2;
        var k = (long)Math.Floor(mean - (NormalDistribution.Quantile((1 + confidence) / 2) * sigma));
        var lower = k >= 1 ? KthDifference(baseline, canary, k) : double.NegativeInfinity;
        var upper = k >= 1 ? KthDifference(baseline, canary, total - k + 1) : double.PositiveInfinity;
        return new ShiftComparisonResult(u, p, shift, lower, upper, confidence);
    }

    /// <summary>U of the canary (its rank sum less its minimum) and Σ(t³ − t) over the tied groups of the pooled sample.</summary>
    private static (double U, double TieSum) RankSum(WeightedSample x, WeightedSample y)
    {
        double rankSum = 0, tieSum = 0, before = 0;
        int i = 0, j = 0;
        while (i < x.Values.Length || j < y.Values.Length)
        {
            var value = j >= y.Values.Length || (i < x.Values.Length && x.Values[i] <= y.Values[j]) ? x.Values[i] : y.Values[j];
            double a = i < x.Values.Length && x.Values[i] == value ? x.Counts[i++] : 0;
            double b = j < y.Values.Length && y.Values[j] == value ? y.Counts[j++] : 0;
            var t = a + b;
            rankSum += b * (before + ((t + 1) / 2));
            tieSum += (t * t * t) - t;
            before += t;
        }

        var n2 = (double)y.Count;
        return (rankSum - (n2 * (n2 + 1) / 2), tieSum);
    }

    /// <summary>The k-th smallest (1-based) of the canary − baseline differences, each pair weighted by its counts.</summary>
    internal static double KthDifference(WeightedSample x, WeightedSample y, long k)
    {
        double lo = y.Values[0] - x.Values[^1], hi = y.Values[^1] - x.Values[0];
        if (CountAtMost(x, y, lo) >= k)
        {
            return lo;
        }

        // Invariant: fewer than k differences are ≤ lo, at least k are ≤ hi; stop when no double lies between them.
        while (true)
        {
            var mid = lo + ((hi - lo) / 2);
            if (mid <= lo || mid >= hi)
            {
                return hi;
            }

            if (CountAtMost(x, y, mid) >= k)
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }
    }

    /// <summary>
    /// How many weighted pairs have canary − baseline ≤ <paramref name="d"/>, in one pass: for each canary value, the
    /// baseline values too small (a difference above d) only grow in number as the canary value rises.
    /// </summary>
    private static long CountAtMost(WeightedSample x, WeightedSample y, double d)
    {
        long count = 0, tooSmall = 0;
        var i = 0;
        for (var j = 0; j < y.Values.Length; j++)
        {
            while (i < x.Values.Length && y.Values[j] - x.Values[i] > d)
            {
                tooSmall += x.Counts[i++];
            }

            count += y.Counts[j] * (x.Count - tooSmall);
        }

        return count;
    }
}
