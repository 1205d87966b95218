using System.Numerics;
using System.Runtime.CompilerServices;

namespace ReleaseGates.Metrics;

/// <content>Percentiles and buckets: nearest-rank queries over the cells, and where a value falls.</content>
public sealed partial class LatencyHistogram
{
    /// <summary>The value at a percentile (nearest rank, sub-bucket midpoint; see the class remarks).</summary>
    /// <param name="percentile">0 to 100.</param>
    /// <returns>The value in nanoseconds; 0 when the histogram is empty.</returns>
    public long ValueAtPercentile(double percentile)
    {
        Span<double> p = [percentile];
        Span<long> v = stackalloc long[1];
        ValuesAtPercentiles(p, v);
        return v[0];
    }

    /// <summary>Several percentiles in one pass over the buckets.</summary>
    /// <param name="percentiles">Percentiles 0 to 100, in any order.</param>
    /// <param name="values">Receives the values in nanoseconds, in the order of <paramref name="percentiles"/>.</param>
    public void ValuesAtPercentiles(ReadOnlySpan<double> percentiles, Span<long> values)
    {
        if (values.Length < percentiles.Length)
        {
            throw new ArgumentException("The output span is shorter than the percentile list.", nameof(values));
        }

        Span<long> ranks = percentiles.Length <= 32 ? stackalloc long[percentiles.Length] : new long[percentiles.Length];
        for (var i = 0; i < percentiles.Length; i++)
        {
            var p = percentiles[i];
            if (!(p >= 0 && p <= 100))
            {
                throw new ArgumentOutOfRangeException(nameof(percentiles), p, "A percentile lies between 0 and 100.");
            }

            ranks[i] = NearestRank(p, _hot.Count);
        }

        if (_hot.Count == 0)
        {
            values[..percentiles.Length].Clear();
            return;
        }

        if (percentiles.Length == 1)
        {
            values[0] = percentiles[0] switch
            {
                0 => Min,
                100 => Max,
                _ => ValueAtRank(ranks[0]),
            };
            return;
        }

        // Visit ranks in ascending order with one forward scan.
        Span<int> order = percentiles.Length <= 32 ? stackalloc int[percentiles.Length] : new int[percentiles.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        ranks.Sort(order);
        var next = ScanForRanks(ranks, order, values);

        // Whatever is left falls on values above the range.
        for (; next < ranks.Length; next++)
        {
            values[order[next]] = _hot.Max;
        }

        for (var i = 0; i < percentiles.Length; i++)
        {
            if (percentiles[i] == 0)
            {
                values[i] = Min;
            }
            else if (percentiles[i] == 100)
            {
                values[i] = Max;
            }
        }
    }

    /// <summary>
    /// How many values lie at or below <paramref name="nanoseconds"/> for certain (their whole bucket does), and how many
    /// share the bucket that holds it (they may lie on either side). Values above the range are above it.
    /// </summary>
    internal (long AtOrBelow, long Straddling) CountAtOrBelow(long nanoseconds)
    {
        long below = 0, straddling = 0;
        var cells = _hot.Cells;
        var spill = _spill;
        for (var o = 0; o < cells.Length; o++)
        {
            var count = cells[o] + (spill is null ? 0 : spill[o]);
            if (count == 0)
            {
                continue;
            }

            var (lowest, width) = BucketRange(_hot.Start + o);
            if (lowest + width - 1 <= nanoseconds)
            {
                below += count;
            }
            else if (lowest <= nanoseconds)
            {
                straddling += count;
            }
        }

        return (below, straddling);
    }

    /// <summary>Visits every non-empty bucket in ascending order: its midpoint value in nanoseconds and its count.</summary>
    /// <returns>The buckets, lowest first. Values above the range come last, at <see cref="Max"/>.</returns>
    public IEnumerable<(long Value, long Count)> Buckets()
    {
        var cells = _hot.Cells;
        var start = _hot.Start;
        var spill = _spill;
        for (var o = 0; o < cells.Length; o++)
        {
            var count = cells[o] + (spill is null ? 0 : spill[o]);
            if (count != 0)
            {
                yield return (Reported(start + o), count);
            }
        }

        if (_aboveRange > 0)
        {
            yield return (_hot.Max, _aboveRange);
        }
    }

    /// <summary>The 1-based nearest rank of percentile <paramref name="p"/> among <paramref name="n"/> values: max(1, ⌈p/100 × n⌉).</summary>
    internal static long NearestRank(double p, long n)
    {
        var x = p / 100 * n;

        // 0.99 × 100 is 99.00000000000001 in binary floating point; that must be rank 99, not 100.
        var rank = (long)Math.Ceiling(x - (Math.Max(1, x) * 1e-12));
        return Math.Clamp(rank, 1, Math.Max(1, n));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int IndexOf(long value)
    {
        // Unsigned, so that a negative value indexes above every non-negative one (Record's range check relies on it).
        var bucketIndex = _leadingZeroCountBase - BitOperations.LeadingZeroCount((ulong)value | (ulong)_subBucketMask);
        var subBucketIndex = (int)((ulong)value >> bucketIndex);

        // ((bucketIndex + 1) << m) - 2^m == bucketIndex << m: HdrHistogram's counts index, one subtraction shorter.
        return (bucketIndex << _subBucketHalfCountMagnitude) + subBucketIndex;
    }

    /// <summary>The lowest value of the sub-bucket at <paramref name="index"/> and its width.</summary>
    private (long Lowest, long Width) BucketRange(int index)
    {
        var bucketIndex = (index >> _subBucketHalfCountMagnitude) - 1;
        var subBucketIndex = (index & (_subBucketHalfCount - 1)) + _subBucketHalfCount;
        if (bucketIndex < 0)
        {
            subBucketIndex -= _subBucketHalfCount;
            bucketIndex = 0;
        }

        return ((long)subBucketIndex << bucketIndex, 1L << bucketIndex);
    }

    private long Reported(int index)
    {
        var (lowest, width) = BucketRange(index);
        var value = lowest + (width >> 1);
        return Math.Clamp(value, Min, _hot.Max);
    }

    /// <summary>Fills in every rank (ascending) that falls on a bucket, one forward scan; returns how many it placed.</summary>
    private int ScanForRanks(ReadOnlySpan<long> ranks, ReadOnlySpan<int> order, Span<long> values)
    {
        long cumulative = 0;
        var next = 0;
        var length = _hot.Cells.Length;
        for (var start = 0; start < length && next < ranks.Length; start += _subBucketHalfCount)
        {
            var total = RangeTotal(start, _subBucketHalfCount);

            // Every remaining rank that falls in this stretch, each found by block-skipping from its start.
            while (next < ranks.Length && ranks[next] <= cumulative + total)
            {
                var offset = OffsetOfRank(start, ranks[next] - cumulative, fromTop: false);
                values[order[next]] = Reported(_hot.Start + offset);
                next++;
            }

            cumulative += total;
        }

        return next;
    }

    /// <summary>
    /// The value of the sample of a given rank, walking from whichever end is nearer: for p99 only the top 1 % of the
    /// buckets is visited.
    /// </summary>
    private long ValueAtRank(long rank)
    {
        // Counted from the top, the sample of rank r is the one with (count − r + 1) samples at or above it.
        var fromTop = rank * 2 > _hot.Count;
        var target = fromTop ? _hot.Count - rank + 1 : rank;
        if (fromTop && target <= _aboveRange)
        {
            return _hot.Max;
        }

        long cumulative = fromTop ? _aboveRange : 0;
        var stretches = _hot.Cells.Length >> _subBucketHalfCountMagnitude;
        for (var k = 0; k < stretches; k++)
        {
            var start = (fromTop ? stretches - 1 - k : k) << _subBucketHalfCountMagnitude;
            var total = RangeTotal(start, _subBucketHalfCount);
            if (cumulative + total < target)
            {
                cumulative += total;
                continue;
            }

            return Reported(_hot.Start + OffsetOfRank(start, target - cumulative, fromTop));
        }

        return fromTop ? Min : _hot.Max;
    }

    /// <summary>
    /// The window offset in the stretch of one power of two at <paramref name="start"/> where the running count (from the
    /// bottom, or from the top) reaches <paramref name="rank"/>, which must be at most the stretch's total. Skips whole
    /// vector-width blocks by their sums.
    /// </summary>
    private int OffsetOfRank(int start, long rank, bool fromTop)
    {
        var cells = _hot.Cells.AsSpan(start, _subBucketHalfCount);
        var width = Vector<ushort>.Count;
        var blocks = Vector.IsHardwareAccelerated && _spill is null && cells.Length % width == 0 ? cells.Length / width : 0;
        long cumulative = 0;
        var from = 0;
        var end = cells.Length;
        for (var k = 0; k < blocks; k++)
        {
            var b = fromTop ? blocks - 1 - k : k;
            Vector.Widen(new Vector<ushort>(cells[(b * width)..]), out var lo, out var hi);
            var sum = (long)Vector.Sum(lo + hi);
            if (cumulative + sum >= rank)
            {
                from = b * width;
                end = from + width;
                break;
            }

            cumulative += sum;
        }

        for (var n = 0; n < end - from; n++)
        {
            var i = fromTop ? end - 1 - n : from + n;
            cumulative += CountAt(start + i);
            if (cumulative >= rank)
            {
                return start + i;
            }
        }

        return start + (fromTop ? from : end - 1);
    }

    /// <summary>The number of values in <paramref name="length"/> cells of the window from <paramref name="start"/>.</summary>
    private long RangeTotal(int start, int length)
    {
        var span = _hot.Cells.AsSpan(start, length);
        long total = 0;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // Widened to 32 bits: a lane sums at most 2 × 2^17 / Vector<ushort>.Count cells of ≤ 65535, below 2^32.
            var acc = Vector<uint>.Zero;
            for (; i + Vector<ushort>.Count <= span.Length; i += Vector<ushort>.Count)
            {
                Vector.Widen(new Vector<ushort>(span[i..]), out var lo, out var hi);
                acc += lo + hi;
            }

            total = Vector.Sum(acc);
        }

        for (; i < span.Length; i++)
        {
            total += span[i];
        }

        if (_spill is { } spill)
        {
            foreach (var s in spill.AsSpan(start, length))
            {
                total += s;
            }
        }

        return total;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long CountAt(int offset)
    {
        var count = (long)_hot.Cells[offset];
        return _spill is { } spill ? count + spill[offset] : count;
    }

    private long CountAtIndex(int index)
    {
        var offset = index - _hot.Start;
        return (uint)offset < (uint)_hot.Cells.Length ? CountAt(offset) : 0;
    }

    /// <summary>The offsets of the lowest and highest non-empty cells of the window; (-1, -1) when every cell is empty.</summary>
    private (int First, int Last) NonEmptyOffsets()
    {
        var cells = _hot.Cells.AsSpan();
        var first = cells.IndexOfAnyExcept((ushort)0);
        var last = cells.LastIndexOfAnyExcept((ushort)0);

        // A cell that counted a multiple of 65,536 holds 0 and carries the rest.
        if (_spill is { } spill)
        {
            var spillFirst = spill.AsSpan().IndexOfAnyExcept(0L);
            if (spillFirst >= 0)
            {
                first = first < 0 ? spillFirst : Math.Min(first, spillFirst);
                last = Math.Max(last, spill.AsSpan().LastIndexOfAnyExcept(0L));
            }
        }

        return (first, last);
    }
}
