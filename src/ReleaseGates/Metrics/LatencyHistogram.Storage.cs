using System.Numerics;
using System.Runtime.CompilerServices;

namespace ReleaseGates.Metrics;

/// <content>Storage: merging, copying and resetting, and the window of cells (16-bit counts that spill into 64-bit ones) that grows with the range recorded.</content>
public sealed partial class LatencyHistogram
{
    /// <summary>Adds another histogram's values to this one. Both must have the same precision and range.</summary>
    /// <param name="other">The histogram to add.</param>
    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        EnsureCompatible(other);
        var source = other._hot.Cells;
        var sourceStart = other._hot.Start;
        var sourceSpill = other._spill;
        if (source.Length != 0)
        {
            EnsureWindow(sourceStart, sourceStart + source.Length - 1);
            AddCells(sourceStart, source);
            if (sourceSpill is not null)
            {
                for (var i = 0; i < sourceSpill.Length; i++)
                {
                    if (sourceSpill[i] != 0)
                    {
                        AddAt(sourceStart + i, sourceSpill[i]);
                    }
                }
            }
        }

        _hot.Count += other._hot.Count;
        _hot.Sum = SaturatingAdd(_hot.Sum, other._hot.Sum);
        _aboveRange += other._aboveRange;
        _invalid += other._invalid;
        if (other._hot.Count > 0)
        {
            Widen(other._hot.Min, other._hot.Max);
        }
    }

    /// <summary>Removes every value; keeps the allocated storage for reuse.</summary>
    public void Reset()
    {
        _hot.Cells.AsSpan().Clear();
        _spill?.AsSpan().Clear();
        _hot.Count = _hot.Sum = _aboveRange = _invalid = 0;
        SetExtremes(long.MaxValue, 0);
    }

    /// <summary>A copy of this histogram.</summary>
    /// <returns>The copy.</returns>
    public LatencyHistogram Copy()
    {
        var copy = CreateEmptyLike();
        copy.Add(this);
        return copy;
    }

    internal LatencyHistogram CreateEmptyLike() => new(SignificantDigits, TimeSpan.FromTicks(HighestTrackableValue / 100));

    /// <summary>Values recorded so far, valid or not, read while another thread may be recording.</summary>
    internal long LiveRecordedCount => Volatile.Read(ref _hot.Count) + Volatile.Read(ref _invalid);

    internal bool IsCompatibleWith(LatencyHistogram other) => other.SignificantDigits == SignificantDigits
        && other.HighestTrackableValue == HighestTrackableValue;

    /// <summary>Adds <paramref name="current"/> minus <paramref name="previous"/> to this histogram: the interval between two cumulative snapshots.</summary>
    internal void AddDifference(LatencyHistogram current, LatencyHistogram previous)
    {
        var cells = current._hot.Cells;
        for (var o = 0; o < cells.Length; o++)
        {
            var index = current._hot.Start + o;
            var delta = current.CountAt(o) - previous.CountAtIndex(index);
            if (delta != 0)
            {
                AddAt(index, delta);
            }
        }

        _hot.Count += current._hot.Count - previous._hot.Count;
        _hot.Sum = current.IsSumSaturated ? long.MaxValue : SaturatingAdd(_hot.Sum, current._hot.Sum - previous._hot.Sum);
        _aboveRange += current._aboveRange - previous._aboveRange;
        _invalid += current._invalid - previous._invalid;
    }

    /// <summary>
    /// Adds a copy of a histogram another thread may be writing to. Each bucket is read once; the count is derived from
    /// the buckets read (not the live counter) so that the copy is consistent with itself.
    /// </summary>
    internal void AddLiveCopyOf(LatencyHistogram live)
    {
        var (cells, start, spill) = live.ReadLayout();
        if (cells.Length != 0)
        {
            EnsureWindow(start, start + cells.Length - 1);
        }

        long copied = 0;
        int first = -1, last = -1;
        for (var o = 0; o < cells.Length; o++)
        {
            var count = (long)Volatile.Read(ref cells[o]) + (spill is null ? 0 : Volatile.Read(ref spill[o]));
            if (count != 0)
            {
                AddAt(start + o, count);
                copied += count;
                first = first < 0 ? o : first;
                last = o;
            }
        }

        var above = Volatile.Read(ref live._aboveRange);
        copied += above;
        _aboveRange += above;
        _hot.Count += copied;
        _hot.Sum = SaturatingAdd(_hot.Sum, Volatile.Read(ref live._hot.Sum));
        _invalid += Volatile.Read(ref live._invalid);
        if (copied > 0)
        {
            var (min, max) = ExtremesCovering(Volatile.Read(ref live._hot.Min), Volatile.Read(ref live._hot.Max),
                first < 0 ? -1 : start + first, last < 0 ? -1 : start + last, above > 0);
            Widen(min, max);
        }
    }

    /// <summary>
    /// The min and max a live copy reports: the writer's, unless the copy holds a value the writer had counted but not yet
    /// published as its min or max (a record counts its cell first, then moves the extremes). Then the bound of the
    /// bucket the value is in stands in for it, so that min ≤ every counted bucket ≤ max, as queries rely on. Indexes are
    /// -1 when no bucket was counted.
    /// </summary>
    private (long Min, long Max) ExtremesCovering(long min, long max, int lowestIndex, int highestIndex, bool aboveRange)
    {
        if (lowestIndex >= 0)
        {
            var (low, width) = BucketRange(lowestIndex);
            min = min > low + width - 1 ? low : min;
            (low, width) = BucketRange(highestIndex);
            max = max < low ? low + width - 1 : max;
        }

        if (aboveRange && max <= HighestTrackableValue)
        {
            max = HighestTrackableValue + 1; // above the range: the least such a value can be
        }

        return (Math.Min(min, max), max);
    }

    /// <summary>
    /// Sets min and max of a histogram built from bucket differences: the lowest and highest non-empty buckets' bounds,
    /// clamped to the exact extremes of the cumulative histogram it came from.
    /// </summary>
    internal void SetExtremesFromBuckets(long cumulativeMin, long cumulativeMax)
    {
        if (_hot.Count == 0)
        {
            SetExtremes(long.MaxValue, 0);
            return;
        }

        var (first, last) = NonEmptyOffsets();
        long lowest = long.MaxValue, highest = 0;
        if (first >= 0)
        {
            lowest = BucketRange(_hot.Start + first).Lowest;
            var (low, width) = BucketRange(_hot.Start + last);
            highest = low + width - 1;
        }

        SetExtremes(Math.Max(lowest == long.MaxValue ? cumulativeMax : lowest, cumulativeMin),
            _aboveRange > 0 ? cumulativeMax : Math.Min(highest, cumulativeMax));
    }

    /// <summary>Adds cells that start at bucket index <paramref name="sourceStart"/>; the window must already cover them.</summary>
    private void AddCells(int sourceStart, ReadOnlySpan<ushort> source)
    {
        var target = _hot.Cells.AsSpan(sourceStart - _hot.Start, source.Length);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i + Vector<ushort>.Count <= target.Length; i += Vector<ushort>.Count)
            {
                var before = new Vector<ushort>(target[i..]);
                var sum = before + new Vector<ushort>(source[i..]);

                // Unsigned wrap-around shows as a sum below the addend: carry those lanes exactly.
                if (Vector.LessThanAny(sum, before))
                {
                    for (var j = i; j < i + Vector<ushort>.Count; j++)
                    {
                        AddAt(sourceStart + j, source[j]);
                    }
                }
                else
                {
                    sum.CopyTo(target[i..]);
                }
            }
        }

        for (; i < target.Length; i++)
        {
            if (source[i] != 0)
            {
                AddAt(sourceStart + i, source[i]);
            }
        }
    }

    private void AddAt(int index, long count)
    {
        EnsureWindow(index, index);
        var offset = index - _hot.Start;
        var cells = _hot.Cells;
        var total = cells[offset] + count;
        if (total > ushort.MaxValue || total < 0)
        {
            var carried = total & ~(long)ushort.MaxValue;
            SpillArray()[offset] += carried;
            cells[offset] = (ushort)(total - carried);
        }
        else
        {
            cells[offset] = (ushort)total;
        }
    }

    /// <summary>Grows the window, if needed, so that it covers bucket indices <paramref name="low"/> to <paramref name="high"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EnsureWindow(int low, int high)
    {
        if (_hot.Cells.Length == 0 || low < _hot.Start || high >= _hot.Start + _hot.Cells.Length)
        {
            GrowWindow(low, high);
        }
    }

    /// <summary>
    /// Copies the window into a larger one, whole powers of two at a time (a histogram grows at most once per power of two
    /// its values span). The window stops at the last bucket, so its hot part never reaches a value above the range.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void GrowWindow(int low, int high)
    {
        var mask = _subBucketHalfCount - 1;
        var oldCells = _hot.Cells;
        var oldStart = _hot.Start;
        var start = low & ~mask;
        var end = (high | mask) + 1;
        if (oldCells.Length != 0)
        {
            start = Math.Min(start, oldStart);
            end = Math.Max(end, oldStart + oldCells.Length);
        }

        // Not pinned: a pinned window would be allocated on the pinned object heap, which is never compacted, so every
        // window a histogram outgrew would stay behind as fragmentation (166 KB of dead windows beside 29 KB of live cells
        // for 1M log-normal values; docs/performance.md). A movable array is compacted away by the next collection.
        var cells = new ushort[end - start];
        long[]? spill = _spill is null ? null : new long[cells.Length];
        if (oldCells.Length != 0)
        {
            oldCells.CopyTo(cells.AsSpan(oldStart - start));
            _spill?.CopyTo(spill.AsSpan(oldStart - start));
        }

        // A seqlock for readers on other threads (AddLiveCopyOf): an odd version means the layout is changing.
        Interlocked.Increment(ref _layoutVersion);
        _hot.Cells = cells;
        _hot.Start = start;
        _spill = spill;
        Volatile.Write(ref _layoutVersion, _layoutVersion + 1);
        CoverCells();
    }

    private long[] SpillArray()
    {
        if (_spill is { } spill)
        {
            return spill;
        }

        spill = new long[_hot.Cells.Length];
        Interlocked.Increment(ref _layoutVersion);
        _spill = spill;
        Volatile.Write(ref _layoutVersion, _layoutVersion + 1);
        return spill;
    }

    /// <summary>The window's cells, first index and carries as one consistent set, read while the owning thread may grow them.</summary>
    private (ushort[] Cells, int Start, long[]? Spill) ReadLayout()
    {
        var spinner = default(SpinWait);
        while (true)
        {
            var version = Volatile.Read(ref _layoutVersion);
            if ((version & 1) == 0)
            {
                var cells = Volatile.Read(ref _hot.Cells);
                var start = Volatile.Read(ref _hot.Start);
                var spill = Volatile.Read(ref _spill);
                if (Volatile.Read(ref _layoutVersion) == version)
                {
                    return (cells, start, spill);
                }
            }

            spinner.SpinOnce();
        }
    }

    private void EnsureCompatible(LatencyHistogram other)
    {
        if (!IsCompatibleWith(other))
        {
            throw new ArgumentException(
                $"Cannot add a histogram with {other.SignificantDigits} digits up to {other.HighestTrackableValue} ns to one with {SignificantDigits} digits up to {HighestTrackableValue} ns.",
                nameof(other));
        }
    }
}
