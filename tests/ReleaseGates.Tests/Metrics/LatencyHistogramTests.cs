using ReleaseGates.Metrics;

namespace ReleaseGates.Tests.Metrics;

public class LatencyHistogramTests
{
    private static long[] LogNormal(int n, int seed, double medianNs = 1e6, double sigma = 1)
    {
        var rng = new Random(seed);
        var values = new long[n];
        for (var i = 0; i < n; i++)
        {
            // Box–Muller
            var u1 = 1 - rng.NextDouble();
            var u2 = rng.NextDouble();
            var z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            values[i] = (long)(medianNs * Math.Exp(sigma * z));
        }

        return values;
    }

    private static long ExactNearestRank(long[] sorted, double percentile)
        => sorted[LatencyHistogram.NearestRank(percentile, sorted.Length) - 1];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Percentiles_are_within_the_stated_relative_error(int seed)
    {
        var values = LogNormal(200_000, seed);
        var h = new LatencyHistogram();
        foreach (var v in values)
        {
            h.Record(v);
        }

        Array.Sort(values);
        foreach (var p in new[] { 1, 10, 50, 90, 95, 99, 99.9, 99.99 })
        {
            var exact = ExactNearestRank(values, p);
            var reported = h.ValueAtPercentile(p);
            Assert.True(Math.Abs(reported - exact) <= exact * h.RelativeError + 1, $"p{p}: {reported} vs exact {exact}");
        }

        Assert.True(h.RelativeError <= 0.001);
    }

    [Fact]
    public void Many_percentiles_in_one_pass_equal_single_queries()
    {
        var h = new LatencyHistogram();
        foreach (var v in LogNormal(50_000, 7))
        {
            h.Record(v);
        }

        double[] ps = [99.9, 50, 0, 90, 100, 99, 75];
        var many = new long[ps.Length];
        h.ValuesAtPercentiles(ps, many);
        for (var i = 0; i < ps.Length; i++)
        {
            Assert.Equal(h.ValueAtPercentile(ps[i]), many[i]);
        }
    }

    [Fact]
    public void Count_min_max_sum_and_mean_are_exact()
    {
        var h = new LatencyHistogram();
        long[] values = [1_234_567, 5, 999_999_999, 42_000];
        foreach (var v in values)
        {
            h.Record(v);
        }

        Assert.Equal(4, h.Count);
        Assert.Equal(5, h.Min);
        Assert.Equal(999_999_999, h.Max);
        Assert.Equal(values.Sum(), h.Sum);
        Assert.Equal(values.Average(), h.Mean);
        Assert.Equal(5, h.ValueAtPercentile(0));
        Assert.Equal(999_999_999, h.ValueAtPercentile(100));
    }

    [Fact]
    public void Small_values_are_exact()
    {
        var h = new LatencyHistogram();
        for (var v = 0; v < 2048; v++)
        {
            h.Record(v);
        }

        Assert.Equal(1023, h.ValueAtPercentile(50));
        Assert.Equal(2047, h.ValueAtPercentile(100));
    }

    [Fact]
    public void Values_above_the_range_are_counted_and_reported_not_dropped()
    {
        var h = new LatencyHistogram(highestTrackableValue: TimeSpan.FromSeconds(1));
        h.Record(TimeSpan.FromMilliseconds(5));
        h.Record(TimeSpan.FromSeconds(30));
        Assert.Equal(2, h.Count);
        Assert.Equal(1, h.CountAboveRange);
        Assert.Equal(30_000_000_000, h.Max);
        Assert.Equal(30_000_000_000, h.ValueAtPercentile(99));
        Assert.Equal(5_000_000, h.ValueAtPercentile(50), 5_000_000 * h.RelativeError);
    }

    [Fact]
    public void Negative_and_NaN_inputs_are_counted_as_invalid_and_not_recorded()
    {
        var h = new LatencyHistogram();
        h.Record(-1L);
        h.Record(TimeSpan.FromTicks(-5));
        h.RecordMilliseconds(double.NaN);
        h.RecordMilliseconds(-3);
        h.RecordMilliseconds(1.5);
        Assert.Equal(4, h.InvalidCount);
        Assert.Equal(1, h.Count);
        Assert.Equal(1_500_000, h.Min);
    }

    [Fact]
    public void A_new_min_or_max_in_the_bucket_of_the_old_one_is_exact()
    {
        // 1 ms and 5 ms lie in buckets 512 ns and 4,096 ns wide at 3 digits: the new extremes share their buckets.
        var h = new LatencyHistogram();
        foreach (var v in new long[] { 1_000_100, 5_000_000, 3_000_000, 1_000_100, 5_000_000 })
        {
            h.Record(v);
        }

        h.Record(1_000_050);
        h.Record(5_000_010);
        Assert.Equal(1_000_050, h.Min);
        Assert.Equal(5_000_010, h.Max);
        Assert.Equal(7, h.Count);
        Assert.Equal(21_000_260, h.Sum);
    }

    [Fact]
    public void Negative_values_are_invalid_even_when_the_min_is_near_the_largest_range()
    {
        var h = new LatencyHistogram(highestTrackableValue: TimeSpan.FromTicks(long.MaxValue / 100));
        var highest = h.HighestTrackableValue;
        h.Record(highest - 1_000);
        h.Record(highest);
        foreach (var v in new[] { long.MinValue, long.MinValue + 1, -1, -(highest - 1_000) })
        {
            h.Record(v);
        }

        Assert.Equal(4, h.InvalidCount);
        Assert.Equal(2, h.Count);
        Assert.Equal(highest - 1_000, h.Min);
        Assert.Equal(highest, h.Max);
        Assert.Equal(0, h.CountAboveRange);
    }

    [Fact]
    public void Empty_histogram_reports_zero_and_NaN_mean()
    {
        var h = new LatencyHistogram();
        Assert.Equal(0, h.ValueAtPercentile(99));
        Assert.Equal(0, h.Min);
        Assert.True(double.IsNaN(h.Mean));
    }

    [Fact]
    public void Merge_equals_recording_everything_in_one()
    {
        var a = new LatencyHistogram();
        var b = new LatencyHistogram();
        var all = new LatencyHistogram();
        var values = LogNormal(20_000, 3);
        for (var i = 0; i < values.Length; i++)
        {
            (i % 3 == 0 ? a : b).Record(values[i]);
            all.Record(values[i]);
        }

        a.Add(b);
        Assert.Equal(all.Count, a.Count);
        Assert.Equal(all.Sum, a.Sum);
        Assert.Equal(all.Min, a.Min);
        Assert.Equal(all.Max, a.Max);
        Assert.Equal(all.Buckets(), a.Buckets());
    }

    [Fact]
    public void Merge_rejects_a_histogram_of_another_precision()
        => Assert.Throws<ArgumentException>(() => new LatencyHistogram(3).Add(new LatencyHistogram(2)));

    [Fact]
    public void Reset_empties_the_histogram()
    {
        var h = new LatencyHistogram();
        h.Record(1000);
        h.Reset();
        Assert.Equal(0, h.Count);
        Assert.Empty(h.Buckets());
        h.Record(7);
        Assert.Equal(7, h.Min);
    }

    [Fact]
    public void Binary_form_round_trips()
    {
        var h = new LatencyHistogram(highestTrackableValue: TimeSpan.FromSeconds(10));
        foreach (var v in LogNormal(10_000, 5))
        {
            h.Record(v);
        }

        h.Record(TimeSpan.FromSeconds(60));
        h.Record(-1L);
        var bytes = h.ToByteArray();
        var back = LatencyHistogram.FromByteArray(bytes);
        Assert.Equal(h.Count, back.Count);
        Assert.Equal(h.Sum, back.Sum);
        Assert.Equal(h.Min, back.Min);
        Assert.Equal(h.Max, back.Max);
        Assert.Equal(h.CountAboveRange, back.CountAboveRange);
        Assert.Equal(h.InvalidCount, back.InvalidCount);
        Assert.Equal(h.Buckets(), back.Buckets());
        Assert.Equal(bytes, back.ToByteArray());

        // Sparse: a few bytes per non-empty bucket, less than the touched chunks take in memory.
        Assert.True(bytes.Length <= 64 + (h.Buckets().Count() * 4), $"{bytes.Length} bytes");
        Assert.True(bytes.Length < h.BucketMemoryBytes, $"{bytes.Length} bytes");
    }

    [Fact]
    public void Binary_form_of_an_empty_histogram_round_trips()
    {
        var back = LatencyHistogram.FromByteArray(new LatencyHistogram().ToByteArray());
        Assert.Equal(0, back.Count);
    }

    [Fact]
    public void Corrupt_binary_data_is_rejected_with_the_reason()
    {
        var h = new LatencyHistogram();
        h.Record(1000);
        var bytes = h.ToByteArray();
        Assert.Contains("header", Assert.Throws<FormatException>(() => LatencyHistogram.FromByteArray("nope"u8)).Message, StringComparison.Ordinal);
        var wrongVersion = bytes.ToArray();
        wrongVersion[3] = 9;
        Assert.Contains("format version 9", Assert.Throws<FormatException>(() => LatencyHistogram.FromByteArray(wrongVersion)).Message, StringComparison.Ordinal);
        Assert.Contains("cut off", Assert.Throws<FormatException>(() => LatencyHistogram.FromByteArray(bytes.AsSpan(0, bytes.Length - 1))).Message, StringComparison.Ordinal);
        Assert.Contains("unexpected bytes", Assert.Throws<FormatException>(() => LatencyHistogram.FromByteArray([.. bytes, 0])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Memory_follows_the_range_touched()
    {
        var h = new LatencyHistogram();
        foreach (var v in LogNormal(100_000, 11))
        {
            h.Record(v);
        }

        // A dense 1 ns..1 h histogram at 3 digits is about 270 KB with 8-byte counts.
        Assert.True(h.BucketMemoryBytes <= 64 * 1024, $"{h.BucketMemoryBytes} bytes");
    }

    [Fact]
    public void Memory_for_values_at_both_ends_of_the_range_stays_within_the_documented_70_KB()
    {
        var h = new LatencyHistogram();
        h.Record(1L);
        h.Record(h.HighestTrackableValue);
        h.Record(1_000_000L);

        Assert.InRange(h.BucketMemoryBytes, 60 * 1024, 70 * 1024);
        Assert.Equal(3, h.Buckets().Sum(b => b.Count));
    }

    [Fact]
    public void Counts_past_int_max_spill_without_loss()
    {
        var h = new LatencyHistogram();
        h.Record(1_000_000, int.MaxValue - 1L);
        h.Record(1_000_000);
        h.Record(1_000_000);
        h.Record(1_000_000, 5_000_000_000);
        Assert.Equal(int.MaxValue + 1L + 5_000_000_000, h.Count);
        Assert.Equal(h.Count, h.Buckets().Sum(b => b.Count));
        var copy = new LatencyHistogram();
        copy.Add(h);
        copy.Add(h);
        Assert.Equal(2 * h.Count, copy.Buckets().Sum(b => b.Count));
        Assert.Equal(h.Count, LatencyHistogram.FromByteArray(h.ToByteArray()).Count);

        // Percentile scans read the spilled counts too.
        h.Record(5_000_000, 10);
        Assert.Equal(1_000_000, h.ValueAtPercentile(50), 1_000_000 * h.RelativeError);
        Assert.Equal(5_000_000, h.ValueAtPercentile(100));
        var many = new long[2];
        h.ValuesAtPercentiles([50, 100], many);
        Assert.Equal(h.ValueAtPercentile(50), many[0]);
    }

    [Theory]
    [InlineData(99, 100, 99)]
    [InlineData(50, 1, 1)]
    [InlineData(0, 10, 1)]
    [InlineData(100, 10, 10)]
    [InlineData(99.9, 10_000_000, 9_990_000)]
    [InlineData(95, 20, 19)]
    public void Nearest_rank_is_robust_to_binary_fractions(double p, long n, long expected)
        => Assert.Equal(expected, LatencyHistogram.NearestRank(p, n));
}

public class LatencyHistogramPrecisionTests
{
    [Theory]
    [InlineData(0.01, 2)]
    [InlineData(0.001, 3)]
    [InlineData(0.0005, 3)]
    [InlineData(0.0001, 4)]
    public void WithRelativeError_picks_the_fewest_digits_that_meet_it(double error, int digits)
    {
        var h = LatencyHistogram.WithRelativeError(error);
        Assert.Equal(digits, h.SignificantDigits);
        Assert.True(h.RelativeError <= error);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Every_precision_keeps_its_stated_error(int digits)
    {
        var h = new LatencyHistogram(digits);
        var rng = new Random(digits);
        var values = Enumerable.Range(0, 20_000).Select(_ => (long)(rng.NextDouble() * 1e9) + 1).ToArray();
        foreach (var v in values)
        {
            h.Record(v);
        }

        Array.Sort(values);
        foreach (var p in new[] { 50.0, 90, 99 })
        {
            var exact = values[LatencyHistogram.NearestRank(p, values.Length) - 1];
            Assert.InRange(h.ValueAtPercentile(p), exact - (exact * h.RelativeError) - 1, exact + (exact * h.RelativeError) + 1);
        }
    }
}
