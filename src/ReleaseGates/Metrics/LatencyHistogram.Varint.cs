using System.Numerics;

namespace ReleaseGates.Metrics;

/// <content>Variable-length integers of the binary form: LEB128 varints and zig-zag signed values, each read with the field it belongs to.</content>
public sealed partial class LatencyHistogram
{
    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    private static int VarintLength(ulong value) => value < 0x80 ? 1 : (64 - BitOperations.LeadingZeroCount(value) + 6) / 7;

    private static void WriteVarint(byte[] buffer, ref int pos, ulong value)
    {
        while (value >= 0x80)
        {
            buffer[pos++] = (byte)(value | 0x80);
            value >>= 7;
        }

        buffer[pos++] = (byte)value;
    }

    private static long ReadNonNegative(ReadOnlySpan<byte> data, ref int pos, SerialField field)
    {
        var value = ReadVarint(data, ref pos, field);
        return value <= long.MaxValue ? (long)value
            : throw new FormatException($"Invalid LatencyHistogram data: the {field} ending at byte {pos} is {value}, above {long.MaxValue}.");
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int pos, SerialField field)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (pos >= data.Length)
            {
                throw new FormatException($"Truncated LatencyHistogram data: the {field} at byte {pos} is cut off.");
            }

            var b = data[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new FormatException($"Invalid LatencyHistogram data: the {field} ending at byte {pos} is longer than 10 bytes.");
    }
}
