using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ReleaseGates.Metrics;

/// <content>The versioned binary form: writing (gap-coded or bit-packed blocks of counts) and reading, strictly, into a new or reused histogram.</content>
public sealed partial class LatencyHistogram
{
    /// <summary>
    /// The compact, versioned binary form (format 2): a header with the configuration and exact running totals, then the
    /// counts from the lowest to the highest non-empty bucket as zig-zag differences between neighbours, bit-packed in
    /// blocks of 16 at the width the block needs (an empty stretch costs one byte per 16 buckets).
    /// </summary>
    /// <returns>The bytes.</returns>
    /// <remarks>
    /// <see cref="FromByteArray"/> reads this form and format 1 (varint gap and count pairs), which earlier versions wrote;
    /// those versions cannot read format 2.
    /// </remarks>
    public byte[] ToByteArray()
    {
        var (first, last) = NonEmptyOffsets();
        var cellCount = first < 0 ? 0 : last - first + 1;
        var blocks = (cellCount + BlockCells - 1) / BlockCells;
        var rented = blocks <= 4096 ? null : ArrayPool<byte>.Shared.Rent(blocks);
        var widths = rented is null ? stackalloc byte[blocks] : rented.AsSpan(0, blocks);
        var payload = MeasureBlocks(first, cellCount, widths);
        var firstIndex = first < 0 ? 0 : (ulong)(_hot.Start + first);
        var header = VarintLength(firstIndex) + VarintLength((ulong)cellCount);
        foreach (var v in Header())
        {
            header += VarintLength(v);
        }

        var buffer = new byte[SerialMagic.Length + 2 + header + payload];
        SerialMagic.CopyTo(buffer, 0);
        var pos = SerialMagic.Length;
        buffer[pos++] = SerialFormatVersion;
        buffer[pos++] = (byte)SignificantDigits;
        foreach (var v in Header())
        {
            WriteVarint(buffer, ref pos, v);
        }

        WriteVarint(buffer, ref pos, firstIndex);
        WriteVarint(buffer, ref pos, (ulong)cellCount);
        PackBlocks(buffer, pos, first, cellCount, widths);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return buffer;
    }

    /// <summary>Reads the binary form written by <see cref="ToByteArray"/> (format 2) or by earlier versions (format 1).</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The histogram.</returns>
    /// <exception cref="FormatException">
    /// The data is not a histogram of a known format version, is truncated, or its fields contradict each other; the
    /// message says where.
    /// </exception>
    public static LatencyHistogram FromByteArray(ReadOnlySpan<byte> data) => Read(data, reuse: null);

    /// <summary>
    /// Adds the values of a histogram in the binary form <see cref="ToByteArray"/> writes, without building it: what a
    /// process that merges the histograms of many instances calls once per instance. After the first call the decoding
    /// storage is kept and reused, so merging allocates nothing more.
    /// </summary>
    /// <param name="data">The bytes, of format 2 or format 1.</param>
    /// <exception cref="FormatException">
    /// The data is not a histogram of a known format version, is truncated, or its fields contradict each other; this
    /// histogram is then unchanged.
    /// </exception>
    /// <exception cref="ArgumentException">The data's precision or range differs from this histogram's.</exception>
    public void AddSerialized(ReadOnlySpan<byte> data)
    {
        var pos = ReadVersion(data);
        var header = ReadHeaderFields(data, ref pos);
        if (header.Digits != SignificantDigits || header.Highest != HighestTrackableValue)
        {
            throw new ArgumentException(
                $"Cannot add a histogram with {header.Digits} digits up to {header.Highest} ns to one with {SignificantDigits} digits up to {HighestTrackableValue} ns.",
                nameof(data));
        }

        if (data[SerialMagic.Length] == SerialFormatVersion)
        {
            // Decoded straight into this histogram's cells; bad data found on the way is taken back out before the throw.
            AddPacked(data, pos, header);
            return;
        }

        // Format 1: decoded in full and checked before anything is added, so bad data never leaves a half-merged histogram.
        var decoded = Read(data, _decodeScratch);
        Add(decoded);
        _decodeScratch = decoded;
    }

    /// <summary>Checks the magic and the version byte; returns the position of the digits byte.</summary>
    private static int ReadVersion(ReadOnlySpan<byte> data)
    {
        if (data.Length < SerialMagic.Length + 2 || !data[..SerialMagic.Length].SequenceEqual(SerialMagic))
        {
            throw new FormatException("Not a serialized LatencyHistogram: the header 'RGH' is missing.");
        }

        var version = data[SerialMagic.Length];
        if (version is not (LegacyFormatVersion or SerialFormatVersion))
        {
            throw new FormatException($"Unsupported LatencyHistogram format version {version}: this version reads formats {LegacyFormatVersion} and {SerialFormatVersion}.");
        }

        return SerialMagic.Length + 1;
    }

    private static LatencyHistogram Read(ReadOnlySpan<byte> data, LatencyHistogram? reuse)
    {
        var pos = ReadVersion(data);
        var version = data[SerialMagic.Length];
        var histogram = ReadHeader(data, ref pos, reuse);
        var (bucketTotal, lowest, highestIndex) = version == LegacyFormatVersion
            ? histogram.ReadGapCountBuckets(data, ref pos)
            : histogram.ReadPackedBuckets(data, ref pos);
        var hot = histogram._hot;
        if (lowest >= 0 && !histogram.AgreesWithBuckets(lowest, highestIndex, hot.Min, hot.Max, hot.Sum, hot.Count, histogram._aboveRange))
        {
            throw new FormatException($"Invalid LatencyHistogram data: min {histogram._hot.Min} ns, max {histogram._hot.Max} ns and sum {histogram._hot.Sum} ns do not agree with the buckets recorded.");
        }

        if (lowest < 0 && histogram._hot.Count > 0 && histogram._hot.Min <= histogram.HighestTrackableValue)
        {
            throw new FormatException($"Invalid LatencyHistogram data: no bucket holds a value, but the min {histogram._hot.Min} ns is within the range of {histogram.HighestTrackableValue} ns.");
        }

        if (histogram._aboveRange != histogram._hot.Count - bucketTotal)
        {
            throw new FormatException($"Invalid LatencyHistogram data: the buckets hold {bucketTotal} values and {histogram._aboveRange} are above range, but the count says {histogram._hot.Count}.");
        }

        if (pos != data.Length)
        {
            throw new FormatException($"Invalid LatencyHistogram data: {data.Length - pos} unexpected bytes after the last bucket.");
        }

        return histogram;
    }

    /// <summary>Names of the serialized fields, for error messages built only when something is wrong.</summary>
    private enum SerialField
    {
        HighestTrackableValue,
        Count,
        Sum,
        Min,
        Max,
        CountAboveRange,
        InvalidCount,
        BucketCount,
        BucketGap,
        BucketTally,
        FirstIndex,
        CellCount,
    }

    /// <summary>The header values after the version and digits bytes, in order.</summary>
    private ulong[] Header() => [(ulong)HighestTrackableValue, (ulong)_hot.Count, (ulong)_hot.Sum, (ulong)Min, (ulong)_hot.Max,
        (ulong)_aboveRange, (ulong)_invalid];

    /// <summary>Reads the header into a new or reused histogram, cleared first.</summary>
    private static LatencyHistogram ReadHeader(ReadOnlySpan<byte> data, ref int pos, LatencyHistogram? reuse)
    {
        var header = ReadHeaderFields(data, ref pos);
        var histogram = reuse is not null && reuse.SignificantDigits == header.Digits && reuse.HighestTrackableValue == header.Highest
            ? reuse
            : new LatencyHistogram(header.Digits, TimeSpan.FromTicks(header.Highest / 100));
        histogram.Reset();
        histogram._hot.Count = header.Count;
        histogram._hot.Sum = header.Sum;
        histogram.SetExtremes(header.Count == 0 ? long.MaxValue : header.Min, header.Max);
        histogram._aboveRange = header.AboveRange;
        histogram._invalid = header.Invalid;
        return histogram;
    }

    /// <summary>Reads the digits byte and the header fields both formats share, and checks them against each other.</summary>
    private static SerialHeader ReadHeaderFields(ReadOnlySpan<byte> data, ref int pos)
    {
        int digits = data[pos++];
        if (digits is < 1 or > 5)
        {
            throw new FormatException($"Invalid LatencyHistogram data at byte {pos - 1}: significant digits {digits} is outside 1..5.");
        }

        var highest = ReadNonNegative(data, ref pos, SerialField.HighestTrackableValue);

        // The largest range the constructor accepts (a TimeSpan in 100 ns ticks); anything else is not ours.
        if (highest < 100 || highest / 100 > long.MaxValue / 100 || highest % 100 != 0)
        {
            throw new FormatException($"Invalid LatencyHistogram data: highest trackable value {highest} ns is not a whole number of 100 ns ticks between 100 ns and {long.MaxValue / 100 * 100} ns.");
        }

        var count = ReadNonNegative(data, ref pos, SerialField.Count);
        var sum = ReadNonNegative(data, ref pos, SerialField.Sum);
        var min = ReadNonNegative(data, ref pos, SerialField.Min);
        var max = ReadNonNegative(data, ref pos, SerialField.Max);
        var header = new SerialHeader(digits, highest, count, sum, min, max, ReadNonNegative(data, ref pos, SerialField.CountAboveRange),
            ReadNonNegative(data, ref pos, SerialField.InvalidCount));
        if (count == 0 ? min != 0 || max != 0 || sum != 0 : min > max)
        {
            throw new FormatException($"Invalid LatencyHistogram data: min {min}, max {max} and sum {sum} do not fit a count of {count}.");
        }

        if ((header.AboveRange > 0) != (max > highest))
        {
            throw new FormatException($"Invalid LatencyHistogram data: {header.AboveRange} values above range, but the max is {max} ns against a range of {highest} ns.");
        }

        return header;
    }

    /// <summary>The header fields of the binary form, as read and checked against each other.</summary>
    private readonly record struct SerialHeader(int Digits, long Highest, long Count, long Sum, long Min, long Max, long AboveRange, long Invalid);

    /// <summary>Format 1's buckets: a count of buckets, then varint (index gap, count) pairs.</summary>
    private (long Total, int Lowest, int Highest) ReadGapCountBuckets(ReadOnlySpan<byte> data, ref int pos)
    {
        var buckets = ReadVarint(data, ref pos, SerialField.BucketCount);
        long index = -1;
        long bucketTotal = 0;
        var lowest = -1;
        for (ulong b = 0; b < buckets; b++)
        {
            // Each bucket takes at least two bytes, so the loop is bounded by the input's size.
            var gap = ReadVarint(data, ref pos, SerialField.BucketGap);
            var count = ReadNonNegative(data, ref pos, SerialField.BucketTally);
            if (gap == 0 || gap > (ulong)(_lastIndex - index) || count == 0 || count > _hot.Count - bucketTotal)
            {
                throw new FormatException($"Invalid LatencyHistogram data at byte {pos}: bucket {b} is {gap} after index {index} (last is {_lastIndex}) with count {count}, of a total {_hot.Count}.");
            }

            index += (long)gap;
            AddAt((int)index, count);
            bucketTotal += count;
            lowest = lowest < 0 ? (int)index : lowest;
        }

        return (bucketTotal, lowest, (int)index);
    }

    /// <summary>Format 2's buckets: the first index and the number of cells, then blocks of bit-packed zig-zag differences.</summary>
    private (long Total, int Lowest, int Highest) ReadPackedBuckets(ReadOnlySpan<byte> data, ref int pos)
    {
        var (start, cells) = ReadCellRange(data, ref pos);
        if (cells == 0)
        {
            return (0, -1, -1);
        }

        EnsureWindow(start, start + cells - 1);
        var offset = start - _hot.Start;
        var counts = _hot.Cells.AsSpan(offset, cells);
        var limit = (ulong)_hot.Count;
        Span<ulong> block = stackalloc ulong[BlockCells];
        var running = default(RunningCounts);
        for (var o = 0; o < cells; o += BlockCells)
        {
            // As many full blocks as the vector decoder takes, then one block (at least) the scalar way.
            o += ReadBlocksVectorized(data, ref pos, counts[o..], ref running, limit);
            if (o >= cells)
            {
                break;
            }

            var n = Math.Min(BlockCells, cells - o);
            var previous = running.Previous;
            ReadBlock(data, ref pos, o, block[..n]);
            running = Accumulate(running, block[..n], counts.Slice(o, n), limit);
            if (running.Flags != 0)
            {
                if ((running.Flags & RunningCounts.Invalid) != 0)
                {
                    throw new FormatException($"Invalid LatencyHistogram data before byte {pos}: the block of cells {o} to {o + n - 1} makes a count negative or the total above the count of {_hot.Count}.");
                }

                // A count above 65,535: the cell keeps its low 16 bits, the spill array the rest.
                CarryWideCounts(previous, block[..n], offset + o);
                running.Flags = 0;
            }
        }

        var (lowest, highest) = NonEmptyOffsets();
        return lowest < 0 ? (0, -1, -1) : ((long)running.Total, _hot.Start + lowest, _hot.Start + highest);
    }

    /// <summary>Reads full blocks with <see cref="PackedBlockDecoder"/>'s 128-bit way while it takes them; returns the cells read.</summary>
    private static int ReadBlocksVectorized(ReadOnlySpan<byte> data, ref int pos, Span<ushort> counts, ref RunningCounts running, ulong limit)
    {
        if (!PackedBlockDecoder.IsSupported || (ulong)running.Previous > ushort.MaxValue)
        {
            return 0;
        }

        var previous = (uint)running.Previous;
        var total = running.Total;
        // The cells are empty (the histogram was just reset), so adding a block stores it.
        var done = PackedBlockDecoder.DecodeAddBlocksNarrow(data, ref pos, counts, ref previous, ref total, limit);
        running.Previous = previous;
        running.Total = total;
        return done;
    }

    /// <summary>
    /// Turns one block of zig-zag differences into counts. A struct of four fields passed by value, so that the JIT keeps
    /// them in registers through the loop. Every count and the running total are checked to stay at most the header's
    /// count, so their sum cannot overflow an unsigned 64-bit value before the check.
    /// </summary>
    private static RunningCounts Accumulate(RunningCounts running, ReadOnlySpan<ulong> block, Span<ushort> counts, ulong limit)
    {
        var previous = running.Previous;
        var total = running.Total;
        var flags = 0;
        for (var j = 0; j < block.Length; j++)
        {
            var count = previous + UnZigZag(block[j]);
            total += (ulong)count;
            flags |= (((ulong)count > limit) | (total > limit) ? RunningCounts.Invalid : 0) | (count > ushort.MaxValue ? RunningCounts.Wide : 0);
            counts[j] = (ushort)count;
            previous = count;
        }

        return new RunningCounts { Previous = previous, Total = total, Flags = flags };
    }

    /// <summary>Stores the part above 16 bits of a block's counts in the spill array.</summary>
    private void CarryWideCounts(long previous, ReadOnlySpan<ulong> block, int offset)
    {
        for (var j = 0; j < block.Length; j++)
        {
            previous += UnZigZag(block[j]);
            if (previous > ushort.MaxValue)
            {
                SpillArray()[offset + j] = previous & ~(long)ushort.MaxValue;
            }
        }
    }

    /// <summary>Format 2's first bucket index and number of cells, checked against the range and the bytes left.</summary>
    private (int Start, int Cells) ReadCellRange(ReadOnlySpan<byte> data, ref int pos)
    {
        var first = ReadVarint(data, ref pos, SerialField.FirstIndex);
        var cellCount = ReadVarint(data, ref pos, SerialField.CellCount);
        if (cellCount == 0)
        {
            return first == 0 ? (0, 0) : throw new FormatException($"Invalid LatencyHistogram data: no cells, but a first index of {first}.");
        }

        // Every block of up to 16 cells takes at least its width byte, which bounds the allocation by the input's size.
        if (first > (ulong)_lastIndex || cellCount > (ulong)_lastIndex - first + 1 || cellCount > (ulong)(data.Length - pos) * BlockCells)
        {
            throw new FormatException($"Invalid LatencyHistogram data at byte {pos}: {cellCount} cells from index {first} do not fit the range (last index {_lastIndex}) or the {data.Length - pos} bytes left.");
        }

        return ((int)first, (int)cellCount);
    }

    /// <summary>Reads one block's width byte and its bit-packed values into <paramref name="block"/>, and moves past them.</summary>
    private static void ReadBlock(ReadOnlySpan<byte> data, ref int pos, int o, Span<ulong> block)
    {
        var width = pos < data.Length ? data[pos++]
            : throw new FormatException($"Truncated LatencyHistogram data: the block of cell {o} at byte {pos} is cut off.");
        if (width > 64)
        {
            throw new FormatException($"Invalid LatencyHistogram data at byte {pos - 1}: the block of cell {o} has width {width}, above 64 bits.");
        }

        var bytes = ((block.Length * width) + 7) >> 3;
        if (bytes > data.Length - pos)
        {
            throw new FormatException($"Truncated LatencyHistogram data: the block of cell {o} at byte {pos - 1} needs {bytes} bytes and is cut off after {data.Length - pos}.");
        }

        if (width == 0)
        {
            block.Clear();
        }
        else if (width <= 57 && pos + bytes + sizeof(ulong) <= data.Length)
        {
            // Each value from the 8 bytes at its first bit, which lie within the input.
            var mask = (1UL << width) - 1;
            ref var source = ref Unsafe.AsRef(in data[pos]);
            for (var j = 0; j < block.Length; j++)
            {
                var bit = j * width;
                block[j] = (LittleEndian(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref source, bit >> 3))) >> (bit & 7)) & mask;
            }
        }
        else
        {
            UnpackBlock(data.Slice(pos, bytes), block, width);
        }

        pos += bytes;
    }

    /// <summary>The sizes of format 2's blocks: the bit width each block of 16 differences needs; returns their bytes in all.</summary>
    private int MeasureBlocks(int first, int cellCount, Span<byte> widths)
    {
        ReadOnlySpan<ushort> cells = _hot.Cells;
        ReadOnlySpan<long> spill = _spill;
        var payload = 0;
        long previous = 0;
        for (var b = 0; b < widths.Length; b++)
        {
            var from = first + (b * BlockCells);
            var n = Math.Min(BlockCells, cellCount - (b * BlockCells));
            ulong any = 0;
            for (var j = from; j < from + n; j++)
            {
                var count = cells[j] + (spill.IsEmpty ? 0 : spill[j]);
                any |= ZigZag(count - previous);
                previous = count;
            }

            var width = 64 - BitOperations.LeadingZeroCount(any);
            widths[b] = (byte)width;
            payload += 1 + (((n * width) + 7) >> 3);
        }

        return payload;
    }

    /// <summary>Writes format 2's blocks into a zeroed buffer from <paramref name="pos"/>, at the widths measured.</summary>
    private void PackBlocks(byte[] buffer, int pos, int first, int cellCount, ReadOnlySpan<byte> widths)
    {
        ReadOnlySpan<ushort> cells = _hot.Cells;
        ReadOnlySpan<long> spill = _spill;
        Span<ulong> block = stackalloc ulong[BlockCells];
        long previous = 0;
        for (var b = 0; b < widths.Length; b++)
        {
            var from = first + (b * BlockCells);
            var n = Math.Min(BlockCells, cellCount - (b * BlockCells));
            int width = widths[b];
            buffer[pos++] = (byte)width;
            for (var j = 0; j < n; j++)
            {
                var count = cells[from + j] + (spill.IsEmpty ? 0 : spill[from + j]);
                block[j] = ZigZag(count - previous);
                previous = count;
            }

            var bytes = PackBlock(buffer.AsSpan(pos), block[..n], width);
            pos += bytes;
        }
    }

    /// <summary>What <see cref="Accumulate"/> carries from one block to the next.</summary>
    private struct RunningCounts
    {
        public const int Invalid = 1;
        public const int Wide = 2;

        public long Previous;
        public ulong Total;
        public int Flags;
    }

    private static ulong LittleEndian(ulong value) => BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value);

    /// <summary>Writes the values at <paramref name="width"/> bits each, least significant first; returns the bytes written, ⌈n × width / 8⌉.</summary>
    private static int PackBlock(Span<byte> destination, ReadOnlySpan<ulong> values, int width)
    {
        ulong acc = 0;
        var bits = 0;
        var pos = 0;
        if (width == 0)
        {
            return 0;
        }

        foreach (var v in values)
        {
            acc |= v << bits;
            bits += width;
            if (bits >= 64)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(destination[pos..], acc);
                pos += 8;
                bits -= 64;

                // The high bits of v that did not fit; none when it ended exactly on the word (a shift by 64 would keep v).
                acc = bits == 0 ? 0 : v >> (width - bits);
            }
        }

        for (; bits > 0; bits -= 8)
        {
            destination[pos++] = (byte)acc;
            acc >>= 8;
        }

        return pos;
    }

    /// <summary>Reads values written by <see cref="PackBlock"/>; <paramref name="source"/> is exactly their bytes.</summary>
    private static void UnpackBlock(ReadOnlySpan<byte> source, Span<ulong> values, int width)
    {
        if (width == 0)
        {
            values.Clear();
            return;
        }

        var mask = width == 64 ? ulong.MaxValue : (1UL << width) - 1;
        ulong acc = 0;
        var bits = 0;
        var pos = 0;
        for (var j = 0; j < values.Length; j++)
        {
            if (bits >= width)
            {
                values[j] = acc & mask;
                acc >>= width;
                bits -= width;
                continue;
            }

            // Load the next word (fewer bytes at the end, zero-extended) and take what this value still needs from it.
            var available = Math.Min(8, source.Length - pos);
            var next = available == 8 ? BinaryPrimitives.ReadUInt64LittleEndian(source[pos..]) : ReadPartialWord(source.Slice(pos, available));
            pos += available;
            values[j] = (acc | (next << bits)) & mask;
            var used = width - bits;
            acc = used == 64 ? 0 : next >> used;
            bits += (available * 8) - width;
        }
    }

    private static ulong ReadPartialWord(ReadOnlySpan<byte> bytes)
    {
        ulong word = 0;
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            word = (word << 8) | bytes[i];
        }

        return word;
    }
}
