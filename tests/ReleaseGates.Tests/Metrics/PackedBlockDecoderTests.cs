using ReleaseGates.Metrics;

namespace ReleaseGates.Tests.Metrics;

/// <summary>The vector block decoder against a bit-by-bit reading of the same bytes, at every width it takes.</summary>
public class PackedBlockDecoderTests
{
    private static byte[] Pack(ReadOnlySpan<ulong> values, int width)
    {
        var bytes = new byte[PackedBlockDecoder.ReadableBytes(PackedBlockDecoder.MaximumWidth) + 8];
        for (var j = 0; j < values.Length; j++)
        {
            for (var b = 0; b < width; b++)
            {
                var bit = (j * width) + b;
                bytes[bit >> 3] |= (byte)(((values[j] >> b) & 1) << (bit & 7));
            }
        }

        return bytes;
    }

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    [Fact]
    public void Decodes_every_width_from_0_to_24_as_the_bit_by_bit_reading_does()
    {
        var rng = new Random(2026_12_02);
        for (var width = 0; width <= PackedBlockDecoder.MaximumWidth; width++)
        {
            for (var round = 0; round < 50; round++)
            {
                // Counts that stay within a cell, with differences that need at most this width once zig-zagged.
                var span = width == 0 ? 0 : (1L << (width - 1)) - 1;
                var previous = (uint)rng.Next(0, 65_536);
                var expected = new ushort[16];
                var differences = new ulong[16];
                long count = previous;
                for (var j = 0; j < 16; j++)
                {
                    var difference = Math.Clamp(count + rng.NextInt64(-span, span + 1), 0, ushort.MaxValue) - count;
                    count += difference;
                    differences[j] = ZigZag(difference);
                    expected[j] = (ushort)count;
                }

                var bytes = Pack(differences, width);
                var counts = new ushort[16];
                var last = previous;
                var total = 7UL;

                var decoded = PackedBlockDecoder.TryDecode(bytes, width, ref last, counts, ref total);

                Assert.Equal(PackedBlockDecoder.IsSupported, decoded);
                if (decoded)
                {
                    Assert.Equal(expected, counts);
                    Assert.Equal(expected[15], last);
                    Assert.Equal(7UL + expected.Aggregate(0UL, (sum, c) => sum + c), total);
                }
            }
        }
    }

    [Theory]
    [InlineData(65_535, 1)]
    [InlineData(0, -1)]
    public void Leaves_a_block_with_a_count_outside_a_cell_to_the_scalar_reader(int previous, int difference)
    {
        var differences = new ulong[16];
        differences[9] = ZigZag(difference);
        var bytes = Pack(differences, 2);
        var counts = new ushort[16];
        var last = (uint)previous;
        var total = 5UL;

        Assert.False(PackedBlockDecoder.TryDecode(bytes, 2, ref last, counts, ref total));
        Assert.Equal((uint)previous, last);
        Assert.Equal(5UL, total);
    }

    [Fact]
    public void Refuses_a_width_above_24_and_a_source_too_short_to_read()
    {
        var counts = new ushort[16];
        var last = 0u;
        var total = 0UL;

        Assert.False(PackedBlockDecoder.TryDecode(new byte[64], 25, ref last, counts, ref total));
        Assert.False(PackedBlockDecoder.TryDecode(new byte[PackedBlockDecoder.ReadableBytes(3) - 1], 3, ref last, counts, ref total));
    }

    /// <summary>Blocks of random widths (some empty, some too wide, some with counts outside a cell) as format 2 lays them out.</summary>
    private static (byte[] Data, long[] Counts) Blocks(Random rng, int blocks)
    {
        var data = new List<byte>();
        var counts = new List<long>();
        long count = 0;
        for (var b = 0; b < blocks; b++)
        {
            var kind = rng.Next(10);
            var width = kind switch { 0 => 0, 1 => rng.Next(25, 33), _ => rng.Next(1, 8) };
            var span = width == 0 ? 0 : (1L << (width - 1)) - 1;
            var differences = new ulong[16];
            for (var j = 0; j < 16; j++)
            {
                // Now and then a count above 65,535 or below zero, which every vector way must leave to the scalar reader.
                var least = kind == 2 && j == 5 ? -count - 1 : -count;
                var difference = width == 0 ? 0 : Math.Max(least, rng.NextInt64(-span, span + 1));
                count += difference;
                differences[j] = ZigZag(difference);
                counts.Add(count);
            }

            data.Add((byte)width);
            data.AddRange(PackExact(differences, width));
        }

        data.AddRange(new byte[70]);   // what follows the blocks, so that the vector ways may load past them
        return ([.. data], [.. counts]);
    }

    private static byte[] PackExact(ulong[] values, int width)
    {
        var bytes = new byte[2 * width];
        for (var j = 0; j < values.Length; j++)
        {
            for (var b = 0; b < width; b++)
            {
                var bit = (j * width) + b;
                bytes[bit >> 3] |= (byte)(((values[j] >> b) & 1) << (bit & 7));
            }
        }

        return bytes;
    }

    public static TheoryData<string> AddingWays => ["wide", "narrow", "both"];

    [Theory]
    [MemberData(nameof(AddingWays))]
    public void Adds_whole_blocks_as_the_scalar_reading_does_and_stops_before_the_first_it_cannot_take(string way)
    {
        var rng = new Random(2026_12_06);
        for (var round = 0; round < 400; round++)
        {
            var (data, counts) = Blocks(rng, rng.Next(1, 40));
            var target = new ushort[counts.Length];
            for (var i = 0; i < target.Length; i++)
            {
                // Cells that already hold counts, a few of them so full that adding would pass 65,535.
                target[i] = (ushort)(rng.Next(20) == 0 ? 65_530 : rng.Next(0, 1000));
            }

            var before = (ushort[])target.Clone();
            var pos = 0;
            var previous = 0u;
            var total = 0UL;
            var done = way switch
            {
                "wide" => PackedBlockDecoder.DecodeAddBlocksWide(data, ref pos, target, ref previous, ref total),
                "narrow" => PackedBlockDecoder.DecodeAddBlocksNarrow(data, ref pos, target, ref previous, ref total, ulong.MaxValue),
                _ => PackedBlockDecoder.DecodeAddBlocks(data, ref pos, target, ref previous, ref total, ulong.MaxValue),
            };

            var supported = way == "wide" ? PackedBlockDecoder.IsWideSupported : PackedBlockDecoder.IsSupported;
            if (!supported)
            {
                Assert.Equal(0, done);
                continue;
            }

            // The reference: every block up to the first that is too wide, holds a count outside a cell or overflows a cell.
            var expectedDone = 0;
            var expectedPos = 0;
            while (expectedDone < counts.Length)
            {
                var width = data[expectedPos];
                var block = counts.AsSpan(expectedDone, 16);
                var fits = width <= PackedBlockDecoder.MaximumWidth && !block.ContainsAnyExceptInRange(0, ushort.MaxValue);
                for (var j = 0; fits && j < 16; j++)
                {
                    fits = before[expectedDone + j] + block[j] <= ushort.MaxValue;
                }

                if (!fits)
                {
                    break;
                }

                expectedDone += 16;
                expectedPos += 1 + (2 * width);
            }

            Assert.Equal(expectedDone, done);
            Assert.Equal(expectedPos, pos);
            Assert.Equal(done == 0 ? 0 : (uint)counts[done - 1], previous);
            Assert.Equal((ulong)counts.AsSpan(0, done).ToArray().Sum(), total);
            for (var i = 0; i < target.Length; i++)
            {
                Assert.Equal(i < done ? before[i] + counts[i] : before[i], target[i]);
            }
        }
    }
}
