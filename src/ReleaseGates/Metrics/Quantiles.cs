using System.Buffers;

namespace ReleaseGates.Metrics;

/// <summary>
/// Exact quantiles of an array by selection (Floyd–Rivest), not by a full sort: O(n) expected time per distinct rank.
/// </summary>
/// <remarks>
/// Probabilities are fractions between 0 and 1 (0.99 for p99). An empty input gives <see cref="double.NaN"/> for every
/// probability; an input containing NaN is rejected with the index of the first NaN. The caller's data is never reordered
/// except by <see cref="ComputeInPlace"/>, which says so in its name.
/// </remarks>
public static class Quantiles
{
    /// <summary>One quantile of <paramref name="values"/>, on a private copy.</summary>
    /// <param name="values">The sample; not modified.</param>
    /// <param name="probability">0 to 1.</param>
    /// <param name="method">The interpolation method. Default: <see cref="QuantileMethod.Linear"/>.</param>
    /// <returns>The quantile; NaN when <paramref name="values"/> is empty.</returns>
    public static double Compute(ReadOnlySpan<double> values, double probability, QuantileMethod method = QuantileMethod.Linear)
    {
        Span<double> result = stackalloc double[1];
        Compute(values, [probability], result, method);
        return result[0];
    }

    /// <summary>Several quantiles of <paramref name="values"/> in one call, on a private copy.</summary>
    /// <param name="values">The sample; not modified.</param>
    /// <param name="probabilities">Each 0 to 1, in any order.</param>
    /// <param name="results">Receives the quantiles in the order of <paramref name="probabilities"/>.</param>
    /// <param name="method">The interpolation method. Default: <see cref="QuantileMethod.Linear"/>.</param>
    public static void Compute(ReadOnlySpan<double> values, ReadOnlySpan<double> probabilities, Span<double> results,
        QuantileMethod method = QuantileMethod.Linear)
    {
        var copy = ArrayPool<double>.Shared.Rent(Math.Max(1, values.Length));
        try
        {
            values.CopyTo(copy);
            ComputeInPlace(copy.AsSpan(0, values.Length), probabilities, results, method);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(copy);
        }
    }

    /// <summary>Several quantiles, reordering <paramref name="values"/> in place to avoid a copy.</summary>
    /// <param name="values">The sample; REORDERED by this call.</param>
    /// <param name="probabilities">Each 0 to 1, in any order.</param>
    /// <param name="results">Receives the quantiles in the order of <paramref name="probabilities"/>.</param>
    /// <param name="method">The interpolation method. Default: <see cref="QuantileMethod.Linear"/>.</param>
    public static void ComputeInPlace(Span<double> values, ReadOnlySpan<double> probabilities, Span<double> results,
        QuantileMethod method = QuantileMethod.Linear)
    {
        if (results.Length < probabilities.Length)
        {
            throw new ArgumentException("The results span is shorter than the probability list.", nameof(results));
        }

        foreach (var p in probabilities)
        {
            if (!(p >= 0 && p <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(probabilities), p, "A probability lies between 0 and 1 (0.99 for p99).");
            }
        }

        if (!Enum.IsDefined(method))
        {
            throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown quantile method.");
        }

        var nanAt = values.IndexOfAnyExceptInRange(double.NegativeInfinity, double.PositiveInfinity);
        if (nanAt >= 0)
        {
            throw new ArgumentException($"values[{nanAt}] is NaN: quantiles of a sample with NaN are undefined.", nameof(values));
        }

        var n = values.Length;
        if (n == 0)
        {
            results[..probabilities.Length].Fill(double.NaN);
            return;
        }

        // The order statistics each probability needs, selected together.
        var needed = new List<int>(probabilities.Length * 2);
        foreach (var p in probabilities)
        {
            if (method == QuantileMethod.NearestRank)
            {
                needed.Add(NearestRankIndex(p, n));
            }
            else
            {
                var h = (n - 1) * p;
                var lo = (int)Math.Floor(h);
                needed.Add(lo);
                if (lo + 1 < n && h > lo)
                {
                    needed.Add(lo + 1);
                }
            }
        }

        needed.Sort();
        var distinct = needed.Distinct().ToArray();
        MultiSelect(values, 0, n - 1, distinct);

        for (var i = 0; i < probabilities.Length; i++)
        {
            var p = probabilities[i];
            if (method == QuantileMethod.NearestRank)
            {
                results[i] = values[NearestRankIndex(p, n)];
            }
            else
            {
                var h = (n - 1) * p;
                var lo = (int)Math.Floor(h);
                results[i] = lo + 1 < n && h > lo ? values[lo] + ((h - lo) * (values[lo + 1] - values[lo])) : values[lo];
            }
        }
    }

    private static int NearestRankIndex(double p, int n) => (int)LatencyHistogram.NearestRank(p * 100, n) - 1;

    /// <summary>Places the order statistics at every index in <paramref name="ks"/> (sorted, distinct) within [left, right].</summary>
    private static void MultiSelect(Span<double> a, int left, int right, ReadOnlySpan<int> ks)
    {
        while (ks.Length > 0 && left < right)
        {
            // Smallest or largest of the range: one linear pass instead of a partition.
            if (ks[0] == left)
            {
                MoveExtremeTo(a, left, right, min: true);
                left++;
                ks = ks[1..];
                continue;
            }

            if (ks[^1] == right)
            {
                MoveExtremeTo(a, left, right, min: false);
                right--;
                ks = ks[..^1];
                continue;
            }

            var mid = ks.Length / 2;
            var k = ks[mid];
            Select(a, left, right, k);
            MultiSelect(a, left, k - 1, ks[..mid]);
            left = k + 1;
            ks = ks[(mid + 1)..];
        }
    }

    private static void MoveExtremeTo(Span<double> a, int left, int right, bool min)
    {
        var best = left;
        for (var i = left + 1; i <= right; i++)
        {
            if (min ? a[i] < a[best] : a[i] > a[best])
            {
                best = i;
            }
        }

        var target = min ? left : right;
        (a[target], a[best]) = (a[best], a[target]);
    }

    /// <summary>Floyd–Rivest selection: afterwards a[k] holds the k-th smallest, smaller ones before it, larger after.</summary>
    private static void Select(Span<double> a, int left, int right, int k)
    {
        while (right > left)
        {
            if (right - left > 600)
            {
                // Recurse on a small sample around k to pick a pivot that lands k in a short final range.
                double n = right - left + 1;
                double i = k - left + 1;
                var z = Math.Log(n);
                var s = 0.5 * Math.Exp(2 * z / 3);
                var sd = 0.5 * Math.Sqrt(z * s * (n - s) / n) * Math.Sign(i - (n / 2));
                var newLeft = Math.Max(left, (int)(k - (i * s / n) + sd));
                var newRight = Math.Min(right, (int)(k + ((n - i) * s / n) + sd));
                Select(a, newLeft, newRight, k);
            }

            var t = a[k];
            var lo = left;
            var hi = right;
            (a[left], a[k]) = (a[k], a[left]);
            if (a[right] > t)
            {
                (a[right], a[left]) = (a[left], a[right]);
            }

            while (lo < hi)
            {
                (a[lo], a[hi]) = (a[hi], a[lo]);
                lo++;
                hi--;
                while (a[lo] < t)
                {
                    lo++;
                }

                while (a[hi] > t)
                {
                    hi--;
                }
            }

            if (a[left] == t)
            {
                (a[left], a[hi]) = (a[hi], a[left]);
            }
            else
            {
                hi++;
                (a[hi], a[right]) = (a[right], a[hi]);
            }

            if (hi <= k)
            {
                left = hi + 1;
            }

            if (k <= hi)
            {
                right = hi - 1;
            }
        }
    }
}
