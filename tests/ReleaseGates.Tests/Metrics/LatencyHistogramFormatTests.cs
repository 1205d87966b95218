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
}
