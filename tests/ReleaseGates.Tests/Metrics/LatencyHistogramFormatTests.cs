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

    /// <summary>Format 2 taken apart: the seven header values, the first index, the cell count and the blocks' bytes.</summary>
    private sealed record Parts(long[] Header, long FirstIndex, long Cells, byte[] Blocks)
    {
        public static Parts Of(byte[] bytes)
        {
            var pos = 5;
            var values = new long[9];
            for (var i = 0; i < values.Length; i++)
            {
                long value = 0;
                for (var shift = 0; ; shift += 7)
                {
                    var b = bytes[pos++];
                    value |= (long)(b & 0x7F) << shift;
                    if (b < 0x80)
                    {
                        break;
                    }
                }

                values[i] = value;
            }

            return new Parts(values[..7], values[7], values[8], bytes[pos..]);
        }

        public byte[] ToBytes()
        {
            var bytes = new List<byte> { (byte)'R', (byte)'G', (byte)'H', 2, 3 };
            foreach (var value in Header.Append(FirstIndex).Append(Cells))
            {
                var v = (ulong)value;
                while (v >= 0x80)
                {
                    bytes.Add((byte)(v | 0x80));
                    v >>= 7;
                }

                bytes.Add((byte)v);
            }

            return [.. bytes, .. Blocks];
        }

        /// <summary>The position in <see cref="Blocks"/> of a byte of packed values (not a width byte) in the middle block.</summary>
        public int MiddlePayloadByte()
        {
            var pos = 0;
            var blocks = (int)((Cells + 15) / 16);
            for (var b = 0; b < blocks; b++)
            {
                var width = Blocks[pos];
                if (b >= blocks / 2 && width > 0)
                {
                    return pos + 1;
                }

                pos += 1 + ((Math.Min(16, (int)Cells - (b * 16)) * width) + 7) / 8;
            }

            throw new InvalidOperationException("No block with values after the middle.");
        }
    }

    [Fact]
    public void AddSerialized_gives_what_decoding_and_adding_gives_for_random_histograms_and_cells_about_to_overflow()
    {
        var rng = new Random(2026_12_06);
        var merged = new LatencyHistogram();
        var expected = new LatencyHistogram();

        // Cells that hold almost 65,536 already, so that adding to them carries.
        merged.Record(1_000_000, 65_530);
        expected.Record(1_000_000, 65_530);
        for (var round = 0; round < 120; round++)
        {
            var instance = new LatencyHistogram();
            var values = rng.Next(4) switch { 0 => 0, 1 => rng.Next(1, 20), 2 => rng.Next(100, 3_000), _ => rng.Next(10_000, 60_000) };
            var median = Math.Exp(rng.NextDouble() * 10) * 1_000;
            for (var i = 0; i < values; i++)
            {
                var u = 1 - rng.NextDouble();
                instance.Record((long)(median * Math.Exp(Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * rng.NextDouble()))));
            }

            if (rng.Next(5) == 0)
            {
                instance.Record(1_000_000, rng.Next(1, 200_000));   // a count above a cell's 65,535, and next to the full cells
            }

            if (rng.Next(8) == 0)
            {
                instance.Record(TimeSpan.FromHours(2));             // above the range
            }

            var bytes = instance.ToByteArray();
            merged.AddSerialized(bytes);
            expected.Add(LatencyHistogram.FromByteArray(bytes));
        }

        AssertSame(expected, merged);
    }

    public static TheoryData<string> Corruptions => ["min outside the lowest bucket", "count below the buckets' total", "a byte after the last block",
        "a changed value in the middle block"];

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void AddSerialized_takes_back_what_it_added_when_the_data_turns_out_bad_after_the_blocks(string corruption)
    {
        var merged = new LatencyHistogram();
        merged.Record(1_000_000, 65_530);
        merged.AddSerialized(Instance(11, 5_000).ToByteArray());
        var before = merged.Copy();
        var parts = Parts.Of(Instance(12, 20_000, wideCount: 100_000).ToByteArray());
        var bad = corruption switch
        {
            "min outside the lowest bucket" => (parts with { Header = [.. parts.Header[..3], parts.Header[4], .. parts.Header[4..]] }).ToBytes(),
            "count below the buckets' total" => (parts with { Header = [parts.Header[0], parts.Header[1] - 1, .. parts.Header[2..]] }).ToBytes(),
            "a byte after the last block" => [.. parts.ToBytes(), 0],
            _ => Corrupt(parts),
        };

        Assert.Throws<FormatException>(() => LatencyHistogram.FromByteArray(bad));
        Assert.Throws<FormatException>(() => merged.AddSerialized(bad));

        AssertSame(before, merged);
    }

    private static byte[] Corrupt(Parts parts)
    {
        var blocks = (byte[])parts.Blocks.Clone();
        blocks[parts.MiddlePayloadByte()] ^= 1;
        return (parts with { Blocks = blocks }).ToBytes();
    }

    [Fact]
    public void AddSerialized_reads_data_that_starts_with_empty_cells_as_FromByteArray_does()
    {
        // Not what this library writes (it starts at the first non-empty cell), but what the format allows.
        var parts = Parts.Of(Instance(13, 2_000).ToByteArray());
        var padded = (parts with { FirstIndex = parts.FirstIndex - 32, Cells = parts.Cells + 32, Blocks = [0, 0, .. parts.Blocks] }).ToBytes();
        var merged = new LatencyHistogram();
        merged.Record(2_000_000);
        var expected = merged.Copy();

        merged.AddSerialized(padded);
        expected.Add(LatencyHistogram.FromByteArray(padded));

        AssertSame(expected, merged);
        Assert.Equal(Instance(13, 2_000).Min, LatencyHistogram.FromByteArray(padded).Min);
    }
}
