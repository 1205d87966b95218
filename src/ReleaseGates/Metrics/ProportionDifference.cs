namespace ReleaseGates.Metrics;

/// <summary>
/// The difference of two proportions (a canary's error rate minus its baseline's) with Newcombe's hybrid score interval
/// (Newcombe 1998, method 10): each rate's Wilson score interval, combined by the square-and-add rule. Unlike the Wald
/// interval it stays inside −1..1, has good coverage for small counts, and is finite and informative when a side has no
/// errors at all (where a ratio of rates would be a division by zero).
/// </summary>
internal static class ProportionDifference
{
    /// <summary>The canary's rate minus the baseline's, with its two-sided interval at <paramref name="confidence"/>.</summary>
    /// <param name="canaryEvents">The canary's errors, 0 to <paramref name="canaryTotal"/>.</param>
    /// <param name="canaryTotal">The canary's requests, at least 1.</param>
    /// <param name="baselineEvents">The baseline's errors, 0 to <paramref name="baselineTotal"/>.</param>
    /// <param name="baselineTotal">The baseline's requests, at least 1.</param>
    /// <param name="confidence">The interval's confidence, between 0 and 1 exclusive.</param>
    public static (double Difference, double Lower, double Upper) Newcombe(long canaryEvents, long canaryTotal, long baselineEvents, long baselineTotal,
        double confidence)
    {
        var z = NormalDistribution.Quantile((1 + confidence) / 2);
        var (p1, l1, u1) = Wilson(canaryEvents, canaryTotal, z);
        var (p2, l2, u2) = Wilson(baselineEvents, baselineTotal, z);
        var difference = p1 - p2;
        var lower = difference - Math.Sqrt(((p1 - l1) * (p1 - l1)) + ((u2 - p2) * (u2 - p2)));
        var upper = difference + Math.Sqrt(((u1 - p1) * (u1 - p1)) + ((p2 - l2) * (p2 - l2)));
        return (difference, Math.Max(lower, -1), Math.Min(upper, 1));
    }

    /// <summary>A rate and its Wilson score interval for the normal quantile <paramref name="z"/>.</summary>
    public static (double Rate, double Lower, double Upper) Wilson(long events, long total, double z)
    {
        if (total <= 0 || events < 0 || events > total)
        {
            throw new ArgumentOutOfRangeException(nameof(events), $"{events} events of {total} is not a proportion.");
        }

        double n = total, p = events / n, z2 = z * z;
        var denominator = 1 + (z2 / n);
        var centre = (p + (z2 / (2 * n))) / denominator;
        var half = z * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n))) / denominator;

        // At 0 and n events the interval touches 0 and 1 exactly; rounding must not move it past them.
        return (p, events == 0 ? 0 : Math.Max(0, centre - half), events == total ? 1 : Math.Min(1, centre + half));
    }
}
