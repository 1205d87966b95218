namespace ReleaseGates.Metrics;

/// <content>
/// Adding format 2 without building a histogram: each block of counts is decoded and added to this histogram's cells in
/// one pass; when the data turns out to be bad, what was added is decoded again and taken back out before the throw.
/// </content>
public sealed partial class LatencyHistogram
{
    /// <summary>Adds format 2's buckets (from <paramref name="pos"/>, after the header) and then the header's totals.</summary>
    private void AddPacked(ReadOnlySpan<byte> data, int pos, SerialHeader header)
    {
        var (start, cells) = ReadCellRange(data, ref pos);
        var blocksAt = pos;
        var merge = default(PackedMerge);
        try
        {
            if (cells > 0)
            {
                EnsureWindow(start, start + cells - 1);
                AddPackedBlocks(data, ref pos, start, cells, (ulong)header.Count, ref merge);
            }

            CheckPackedTotals(data.Length - pos, header, start, merge, NonEmptyRange(data, blocksAt, cells, merge.Previous));
        }
        catch (FormatException)
        {
            SubtractPackedBlocks(data, blocksAt, start, merge.Added);
            throw;
        }

        _hot.Count += header.Count;
        _hot.Sum = SaturatingAdd(_hot.Sum, header.Sum);
        _aboveRange += header.AboveRange;
        _invalid += header.Invalid;
        if (header.Count > 0)
        {
            Widen(header.Min, header.Max);
        }
    }

    /// <summary>Decodes and adds the blocks, the vector decoder taking every block it can; a block is added only once it is checked.</summary>
    private void AddPackedBlocks(ReadOnlySpan<byte> data, ref int pos, int start, int cells, ulong limit, ref PackedMerge merge)
    {
        var target = _hot.Cells.AsSpan(start - _hot.Start, cells);
        Span<ulong> block = stackalloc ulong[BlockCells];
        Span<long> counts = stackalloc long[BlockCells];
        for (var o = 0; o < cells; o += BlockCells)
        {
            if (PackedBlockDecoder.IsSupported && (ulong)merge.Previous <= ushort.MaxValue)
            {
                var previous = (uint)merge.Previous;
                var done = PackedBlockDecoder.DecodeAddBlocks(data, ref pos, target[o..], ref previous, ref merge.Total, limit);
                merge.Previous = previous;
                o += done;
                merge.Added = o;
                if (merge.Total > limit)
                {
                    throw new FormatException($"Invalid LatencyHistogram data before byte {pos}: the cells up to {o - 1} hold more than the count of {limit}.");
                }

                if (o >= cells)
                {
                    break;
                }
            }

            // One block the scalar way: a wide count, a cell that would pass 65,535, the end of the data, or bad data.
            var n = Math.Min(BlockCells, cells - o);
            ReadBlock(data, ref pos, o, block[..n]);
            var previousCount = merge.Previous;
            for (var j = 0; j < n; j++)
            {
                previousCount += UnZigZag(block[j]);
                counts[j] = previousCount;
                if ((ulong)previousCount > limit || (merge.Total += (ulong)previousCount) > limit)
                {
                    throw new FormatException($"Invalid LatencyHistogram data before byte {pos}: the block of cells {o} to {o + n - 1} makes a count negative or the total above the count of {limit}.");
                }
            }

            for (var j = 0; j < n; j++)
            {
                if (counts[j] != 0)
                {
                    AddAt(start + o + j, counts[j]);
                }
            }

            merge.Previous = previousCount;
            merge.Added = o + n;
        }
    }

    /// <summary>The checks <see cref="FromByteArray"/> makes once the buckets are read, on what was added.</summary>
    private void CheckPackedTotals(int bytesLeft, SerialHeader header, int start, PackedMerge merge, (int Lowest, int Highest) range)
    {
        if (range.Lowest >= 0 && !AgreesWithBuckets(start + range.Lowest, start + range.Highest, header.Min, header.Max, header.Sum, header.Count, header.AboveRange))
        {
            throw new FormatException($"Invalid LatencyHistogram data: min {header.Min} ns, max {header.Max} ns and sum {header.Sum} ns do not agree with the buckets recorded.");
        }

        if (range.Lowest < 0 && header.Count > 0 && header.Min <= HighestTrackableValue)
        {
            throw new FormatException($"Invalid LatencyHistogram data: no bucket holds a value, but the min {header.Min} ns is within the range of {HighestTrackableValue} ns.");
        }

        if ((ulong)header.AboveRange != (ulong)header.Count - merge.Total)
        {
            throw new FormatException($"Invalid LatencyHistogram data: the buckets hold {merge.Total} values and {header.AboveRange} are above range, but the count says {header.Count}.");
        }

        if (bytesLeft != 0)
        {
            throw new FormatException($"Invalid LatencyHistogram data: {bytesLeft} unexpected bytes after the last bucket.");
        }
    }

    /// <summary>Takes the first <paramref name="added"/> cells' counts, decoded again from the blocks at <paramref name="pos"/>, back out.</summary>
    private void SubtractPackedBlocks(ReadOnlySpan<byte> data, int pos, int start, int added)
    {
        Span<ulong> block = stackalloc ulong[BlockCells];
        long previous = 0;
        for (var o = 0; o < added; o += BlockCells)
        {
            var n = Math.Min(BlockCells, added - o);
            ReadBlock(data, ref pos, o, block[..n]);
            for (var j = 0; j < n; j++)
            {
                previous += UnZigZag(block[j]);
                if (previous != 0)
                {
                    AddAt(start + o + j, -previous);
                }
            }
        }
    }

    /// <summary>
    /// The offsets of the first and last non-empty cells of blocks already read in full. What this library writes starts
    /// and ends with a non-empty cell, which the first block and the last count show; anything else is decoded again.
    /// </summary>
    private static (int Lowest, int Highest) NonEmptyRange(ReadOnlySpan<byte> data, int pos, int cells, long lastCount)
    {
        if (cells == 0)
        {
            return (-1, -1);
        }

        Span<ulong> block = stackalloc ulong[BlockCells];
        var first = Math.Min(BlockCells, cells);
        var at = pos;
        ReadBlock(data, ref at, 0, block[..first]);
        if (block[0] != 0 && lastCount != 0)
        {
            return (0, cells - 1);
        }

        int lowest = -1, highest = -1;
        long previous = 0;
        for (var o = 0; o < cells; o += BlockCells)
        {
            var n = Math.Min(BlockCells, cells - o);
            ReadBlock(data, ref pos, o, block[..n]);
            for (var j = 0; j < n; j++)
            {
                previous += UnZigZag(block[j]);
                if (previous != 0)
                {
                    lowest = lowest < 0 ? o + j : lowest;
                    highest = o + j;
                }
            }
        }

        return (lowest, highest);
    }

    /// <summary>Where a merge of format 2's blocks has got to: the cells added, the last count and the total.</summary>
    private struct PackedMerge
    {
        public int Added;
        public long Previous;
        public ulong Total;
    }
}
