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
}
