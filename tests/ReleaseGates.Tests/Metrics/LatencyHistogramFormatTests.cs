using ReleaseGates.Metrics;
using ReleaseGates.Tests.Support;

namespace ReleaseGates.Tests.Metrics;

/// <summary>The binary wire form: format 2 (bit-packed differences) is written, formats 1 and 2 are read.</summary>
public class LatencyHistogramFormatTests
{
    /// <summary>The values behind tests/fixtures/histograms/format1-lognormal-20k.bin, recorded the way the fixture's writer did.</summary>
    private static LatencyHistogram FixtureValues()
    {
        var h = new LatencyHistogram();
        var rng = new Random(20261202);
        for (var i = 0; i < 20_000; i++)
        {
            var u1 = 1 - rng.NextDouble();
            var u2 = rng.NextDouble();
            var z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            h.Record((long)(1e6 * Math.Exp(z)));
        }

        h.Record(5_000, 70_000);
        h.Record(TimeSpan.FromHours(2));
        h.Record(-1L);
        return h;
    }

    private static void AssertSame(LatencyHistogram expected, LatencyHistogram actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.Sum, actual.Sum);
        Assert.Equal(expected.Min, actual.Min);
        Assert.Equal(expected.Max, actual.Max);
        Assert.Equal(expected.CountAboveRange, actual.CountAboveRange);
        Assert.Equal(expected.InvalidCount, actual.InvalidCount);
        Assert.Equal(expected.Buckets(), actual.Buckets());
    }

    [Fact]
    public void Format_1_written_by_an_earlier_version_is_still_read()
    {
        var bytes = File.ReadAllBytes(Path.Combine(Fixtures.Root, "histograms", "format1-lognormal-20k.bin"));
        Assert.Equal(1, bytes[3]);

        var read = LatencyHistogram.FromByteArray(bytes);

        AssertSame(FixtureValues(), read);
        Assert.Equal(90_001, read.Count);
    }

    [Fact]
    public void Format_2_is_written_and_is_smaller_than_format_1()
    {
        var h = FixtureValues();
        var bytes = h.ToByteArray();
        var format1 = File.ReadAllBytes(Path.Combine(Fixtures.Root, "histograms", "format1-lognormal-20k.bin"));

        Assert.Equal(2, bytes[3]);
        AssertSame(h, LatencyHistogram.FromByteArray(bytes));
        Assert.True(bytes.Length < format1.Length, $"format 2 {bytes.Length} bytes, format 1 {format1.Length} bytes");
    }

    [Fact]
    public void Counts_of_every_width_round_trip_up_to_64_bits()
    {
        // A first cell of 2^62 values (zig-zag difference 2^63: all 64 bits), then neighbours of 1, 2^40 and 2^16.
        var h = new LatencyHistogram();
        h.Record(1_000_000, 1L << 62);
        h.Record(1_001_000, 1);
        h.Record(1_003_000, 1L << 40);
        h.Record(1_004_000, 1 << 16);
        for (var v = 2_000_000L; v < 2_100_000; v += 1_000)
        {
            h.Record(v, v);
        }

        var read = LatencyHistogram.FromByteArray(h.ToByteArray());

        AssertSame(h, read);
        Assert.Equal(h.ToByteArray(), read.ToByteArray());
    }

    [Fact]
    public void Every_precision_round_trips_with_values_at_both_ends_of_the_range()
    {
        for (var digits = 1; digits <= 5; digits++)
        {
            var h = new LatencyHistogram(digits, TimeSpan.FromSeconds(10));
            h.Record(0L);
            h.Record(1L);
            h.Record(h.HighestTrackableValue);
            h.Record(h.HighestTrackableValue + 1);
            h.Record(123_456_789L, 3);

            var read = LatencyHistogram.FromByteArray(h.ToByteArray());

            AssertSame(h, read);
            Assert.Equal(h.ValueAtPercentile(50), read.ValueAtPercentile(50));
        }
    }

    [Fact]
    public void A_cell_count_larger_than_the_range_is_rejected_before_anything_is_allocated()
    {
        var h = new LatencyHistogram();
        h.Record(1_000);
        var bytes = h.ToByteArray();

        // The cell count is the last varint before the one block: claim 2^28 cells.
        var tampered = bytes[..^3].Concat(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x01 }).Concat(bytes[^2..]).ToArray();

        var error = Assert.Throws<FormatException>(() => LatencyHistogram.FromByteArray(tampered));
        Assert.Contains("cells from index", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_block_wider_than_64_bits_is_rejected()
    {
        var h = new LatencyHistogram();
        h.Record(1_000);
        var bytes = h.ToByteArray();
        bytes[^2] = 65;

        var error = Assert.Throws<FormatException>(() => LatencyHistogram.FromByteArray(bytes));
        Assert.Contains("width 65", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_difference_that_makes_a_count_negative_is_rejected()
    {
        var h = new LatencyHistogram();
        h.Record(1_000);
        h.Record(1_001);
        var bytes = h.ToByteArray();

        // One block of two cells at width 2: 1 then 1 (zig-zag 2, 0). Make the second difference −2 (zig-zag 3).
        Assert.Equal(2, bytes[^2]);
        bytes[^1] = 0b1110;

        var error = Assert.Throws<FormatException>(() => LatencyHistogram.FromByteArray(bytes));
        Assert.Contains("the block of cells 0 to 1 makes a count negative", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Full_blocks_round_trip_at_every_width_and_across_the_16_bit_cell_limit()
    {
        // Runs of 16 cells whose neighbours differ by about 2^k for k = 0..30, then counts on either side of 65,536, so
        // blocks go through the vector reader (widths up to 24, counts within a cell) and the scalar one (the rest).
        var h = new LatencyHistogram();
        var rng = new Random(7);
        var value = 1_000_000L;
        for (var k = 0; k <= 30; k++)
        {
            for (var j = 0; j < 16; j++, value += 1_000)
            {
                h.Record(value, 1 + rng.NextInt64(1L << k));
            }
        }

        foreach (var count in new long[] { 65_534, 65_535, 65_536, 65_537, 131_072, 65_535, 1, 0, 65_535 })
        {
            for (var j = 0; j < 16; j++, value += 1_000)
            {
                h.Record(value, count);
            }
        }

        var read = LatencyHistogram.FromByteArray(h.ToByteArray());

        AssertSame(h, read);
        Assert.Equal(h.ToByteArray(), read.ToByteArray());
    }

    [Fact]
    public void A_full_block_whose_counts_exceed_the_header_count_is_rejected()
    {
        var h = new LatencyHistogram();
        for (var v = 1_000L; v < 1_016; v++)
        {
            h.Record(v);
        }

        var bytes = h.ToByteArray();

        // The count (16) is the varint after the magic, version, digits and the highest trackable value.
        var pos = 5;
        while (bytes[pos] >= 0x80)
        {
            pos++;
        }

        Assert.Equal(16, bytes[pos + 1]);
        bytes[pos + 1] = 15;

        var error = Assert.Throws<FormatException>(() => LatencyHistogram.FromByteArray(bytes));
        Assert.Contains("the block of cells 0 to 15 makes", error.Message, StringComparison.Ordinal);
        Assert.Contains("above the count of 15", error.Message, StringComparison.Ordinal);
    }

    private static LatencyHistogram Instance(int seed, int values, long wideCount = 0)
    {
        var h = new LatencyHistogram();
        var rng = new Random(seed);
        for (var i = 0; i < values; i++)
        {
            h.Record((long)(1e6 * Math.Exp(rng.NextDouble() * 4)));
        }

        if (wideCount > 0)
        {
            h.Record(50_000, wideCount);
        }

        return h;
    }

    [Fact]
    public void AddSerialized_gives_what_decoding_each_instance_and_adding_it_gives()
    {
        // A large instance first, so that the smaller ones after it reuse a decoding window that held other counts.
        var instances = new[] { Instance(1, 50_000), Instance(2, 300), Instance(3, 2_000, wideCount: 200_000), Instance(4, 1) };
        var expected = new LatencyHistogram();
        var merged = new LatencyHistogram();

        foreach (var instance in instances)
        {
            expected.Add(LatencyHistogram.FromByteArray(instance.ToByteArray()));
            merged.AddSerialized(instance.ToByteArray());
        }

        AssertSame(expected, merged);
    }

    [Fact]
    public void AddSerialized_leaves_the_histogram_unchanged_when_the_data_is_bad_or_of_another_precision()
    {
        var merged = new LatencyHistogram();
        merged.AddSerialized(Instance(5, 1_000).ToByteArray());
        var before = merged.Copy();
        var truncated = Instance(6, 5_000).ToByteArray()[..^40];
        var otherPrecision = new LatencyHistogram(2);
        otherPrecision.Record(1_000);

        Assert.Throws<FormatException>(() => merged.AddSerialized(truncated));
        Assert.Throws<ArgumentException>(() => merged.AddSerialized(otherPrecision.ToByteArray()));

        AssertSame(before, merged);
        merged.AddSerialized(Instance(7, 10).ToByteArray());
        before.Add(Instance(7, 10));
        AssertSame(before, merged);
    }
}
