using ReleaseGates.Metrics;

namespace ReleaseGates.Tests.Metrics;

/// <summary>Percentiles from classic buckets, as PromQL's histogram_quantile computes them.</summary>
public class LatencyBucketsTests
{
    // 10 requests at most 100 ms, 30 more at most 250 ms, 10 above 250 ms: 50 in all.
    private static LatencyBuckets Sample() => new([(100, 10), (250, 40), (double.PositiveInfinity, 50)], sumMilliseconds: 9000);

    [Fact]
    public void Interpolates_linearly_inside_the_bucket_the_rank_falls_in()
    {
        var buckets = Sample();

        Assert.Equal(50, buckets.Count);
        Assert.Equal(100 + (150 * ((25 - 10) / 30.0)), buckets.ValueAtPercentile(50), 1e-9);   // rank 25 of 50
        Assert.Equal(10 * 100 / 10.0, buckets.ValueAtPercentile(20) * 1, 1e-9);              // rank 10: the first bucket's bound
        Assert.Equal((100, 250), buckets.BucketOf(50));
    }

    [Fact]
    public void The_first_bucket_starts_at_zero()
    {
        Assert.Equal(50, Sample().ValueAtPercentile(10), 1e-9);   // rank 5 of the first 10, over 0 to 100 ms
        Assert.Equal((0, 100), Sample().BucketOf(10));
    }

    [Fact]
    public void A_rank_in_the_inf_bucket_is_the_highest_finite_bound_and_says_so()
    {
        Assert.Equal(250, Sample().ValueAtPercentile(95));
        Assert.Equal((250, double.PositiveInfinity), Sample().BucketOf(95));
    }

    [Fact]
    public void Counts_that_fall_with_a_rising_bound_are_raised_and_order_does_not_matter()
    {
        var buckets = new LatencyBuckets([(double.PositiveInfinity, 50), (250, 39.5), (100, 40)]);

        Assert.Equal(Sample().UpperBoundsMilliseconds, buckets.UpperBoundsMilliseconds);
        Assert.Equal(100, buckets.ValueAtPercentile(80), 1e-9);   // rank 40 reached at the first bucket once 39.5 is raised to 40
    }

    [Fact]
    public void Nothing_counted_is_nan_not_zero()
    {
        var empty = new LatencyBuckets([(100, 0), (double.PositiveInfinity, 0)]);

        Assert.True(double.IsNaN(empty.ValueAtPercentile(95)));
        Assert.Null(empty.BucketOf(95));
        Assert.True(double.IsNaN(empty.MeanMilliseconds));
    }

    [Fact]
    public void The_mean_comes_from_the_sum()
    {
        Assert.Equal(180, Sample().MeanMilliseconds, 1e-9);
        Assert.True(double.IsNaN(new LatencyBuckets([(double.PositiveInfinity, 3)]).MeanMilliseconds));
    }

    [Fact]
    public void Buckets_without_inf_or_with_nan_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new LatencyBuckets([(100, 1), (250, 2)]));
        Assert.Throws<ArgumentException>(() => new LatencyBuckets([(double.NaN, 1), (double.PositiveInfinity, 2)]));
        Assert.Throws<ArgumentException>(() => new LatencyBuckets([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sample().ValueAtPercentile(101));
    }
}

/// <summary>The interpolation error docs/prometheus.md shows: ASP.NET Core's default buckets against the exact histogram, on one seeded data set.</summary>
public class LatencyBucketsErrorTests
{
    /// <summary>ASP.NET Core's advice for http.server.request.duration, in seconds.</summary>
    internal static readonly double[] AspNetCoreBounds = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    /// <summary>100,000 log-normal latencies (median 40 ms, σ 0.6), seed 7, as the histogram and as the default buckets.</summary>
    internal static (LatencyHistogram Exact, LatencyBuckets Buckets) Sample()
    {
        var random = new Random(7);
        var exact = new LatencyHistogram();
        var counts = new double[AspNetCoreBounds.Length + 1];
        for (var i = 0; i < 100_000; i++)
        {
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            var seconds = 0.040 * Math.Exp(0.6 * normal);
            exact.Record((long)(seconds * 1e9));
            var bucket = Array.FindIndex(AspNetCoreBounds, b => seconds <= b);
            counts[bucket < 0 ? AspNetCoreBounds.Length : bucket]++;
        }

        var cumulative = 0.0;
        var buckets = AspNetCoreBounds.Append(double.PositiveInfinity).Select((b, i) => (b * 1000, cumulative += counts[i])).ToList();
        return (exact, new LatencyBuckets(buckets));
    }

    [Theory]
    [InlineData(50, 39.9, 41.5, 4.5)]
    [InlineData(90, 86.1, 89.1, 3.5)]
    [InlineData(95, 106.9, 131.7, 23.5)]
    [InlineData(99, 160.5, 228.2, 42.5)]
    public void Default_buckets_interpolate_as_documented(double percentile, double exactMs, double interpolatedMs, double worstErrorPercent)
    {
        var (exact, buckets) = Sample();

        var truth = exact.ValueAtPercentile(percentile) / 1e6;
        var interpolated = buckets.ValueAtPercentile(percentile);

        Assert.Equal(exactMs, truth, 0.5);
        Assert.Equal(interpolatedMs, interpolated, 0.5);
        Assert.InRange(Math.Abs(interpolated - truth) / truth * 100, 0, worstErrorPercent);
        Assert.True(buckets.BucketOf(percentile) is var (lower, upper) && lower < truth && truth <= upper, "the true value lies in the bucket named");
    }
}
