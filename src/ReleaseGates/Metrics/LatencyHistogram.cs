using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ReleaseGates.Metrics;

/// <summary>
/// A log-linear histogram of latencies in nanoseconds with a fixed relative precision: recording is a few instructions
/// and allocation-free, percentiles come back within the stated relative error, and memory follows the range of values
/// actually recorded.
/// </summary>
/// <remarks>
/// <para>
/// Buckets follow HdrHistogram's layout: each power of two is split into <c>2^k</c> linear sub-buckets, where <c>2^k</c> is
/// the smallest power of two at or above <c>10^digits</c>. Values up to <c>2 × 2^k</c> ns are exact; above that a value is
/// known to within one sub-bucket, and percentiles report the sub-bucket's midpoint, so the relative error is at most
/// <see cref="RelativeError"/> (0.049 % at 3 digits).
/// </para>
/// <para>
/// Percentile definition (nearest rank): <c>ValueAtPercentile(p)</c> is the value of the recorded sample of rank
/// <c>max(1, ⌈p/100 × n⌉)</c> in ascending order, reported as its sub-bucket's midpoint clamped to [<see cref="Min"/>, <see cref="Max"/>].
/// <c>p = 0</c> gives <see cref="Min"/> and <c>p = 100</c> gives <see cref="Max"/>, both exact.
/// </para>
/// <para>
/// Out of range and invalid input: values above <see cref="HighestTrackableValue"/> are counted in <see cref="Count"/> and
/// <see cref="CountAboveRange"/>, included in <see cref="Max"/>, <see cref="Sum"/> and <see cref="Mean"/>, and percentiles that fall
/// on them report <see cref="Max"/>. Negative values (and NaN or negative durations) are not recorded: they are counted in
/// <see cref="InvalidCount"/> only.
/// </para>
/// <para>Not thread-safe for concurrent writers: use <see cref="ConcurrentLatencyRecorder"/> for that.</para>
/// </remarks>
public sealed class LatencyHistogram
{
    private const byte LegacyFormatVersion = 1;
    private const byte SerialFormatVersion = 2;
    private const int BlockCells = 16;
    private static readonly byte[] SerialMagic = "RGH"u8.ToArray();

    private readonly int _subBucketHalfCountMagnitude;
    private readonly int _subBucketHalfCount;
    private readonly long _subBucketMask;
    private readonly int _leadingZeroCountBase;
    private readonly int _lastIndex;
    private HotFields _hot = new() { Cells = [], Min = long.MaxValue };
    private long[]? _spill;
    private int _layoutVersion;
    private long _aboveRange;
    private long _invalid;
    private LatencyHistogram? _decodeScratch;

    // The values the cells cover within the range; nothing until the first cells are allocated (see CoverCells).
    private long _coveredLow = long.MaxValue;
    private long _coveredHigh = -1;

    /// <summary>Creates a histogram.</summary>
    /// <param name="significantDigits">Decimal digits of precision, 1 to 5. Default 3 (relative error ≤ 0.049 %).</param>
    /// <param name="highestTrackableValue">The largest value tracked in buckets. Default 1 hour. Larger values are counted as out of range.</param>
    public LatencyHistogram(int significantDigits = 3, TimeSpan? highestTrackableValue = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(significantDigits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(significantDigits, 5);
        var highest = highestTrackableValue ?? TimeSpan.FromHours(1);
        if (highest < TimeSpan.FromTicks(1))
        {
            throw new ArgumentOutOfRangeException(nameof(highestTrackableValue), highest, "The highest trackable value must be at least 100 ns.");
        }

        SignificantDigits = significantDigits;
        HighestTrackableValue = checked(highest.Ticks * 100);
        var largestSingleUnitResolution = 2 * (long)Math.Pow(10, significantDigits);
        var subBucketCountMagnitude = (int)Math.Ceiling(Math.Log2(largestSingleUnitResolution));
        _subBucketHalfCountMagnitude = subBucketCountMagnitude - 1;
        _subBucketHalfCount = 1 << _subBucketHalfCountMagnitude;
        _subBucketMask = (1L << subBucketCountMagnitude) - 1;
        _leadingZeroCountBase = 64 - _subBucketHalfCountMagnitude - 1;
        _lastIndex = IndexOf(HighestTrackableValue);
    }

    /// <summary>
    /// Creates a histogram with the fewest significant digits whose <see cref="RelativeError"/> is at most
    /// <paramref name="maximumRelativeError"/> (0.001 gives 3 digits, relative error 0.049 %).
    /// </summary>
    /// <param name="maximumRelativeError">The largest acceptable relative error of a percentile, between 0.00001 and 0.5.</param>
    /// <param name="highestTrackableValue">The largest value tracked in buckets. Default 1 hour.</param>
    /// <returns>The histogram.</returns>
    public static LatencyHistogram WithRelativeError(double maximumRelativeError, TimeSpan? highestTrackableValue = null)
    {
        if (!(maximumRelativeError >= 0.00001 && maximumRelativeError <= 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(maximumRelativeError), maximumRelativeError, "The relative error must lie between 0.00001 (5 digits) and 0.5.");
        }

        for (var digits = 1; ; digits++)
        {
            var histogram = new LatencyHistogram(digits, highestTrackableValue);
            if (histogram.RelativeError <= maximumRelativeError || digits == 5)
            {
                return histogram;
            }
        }
    }

    /// <summary>The configured decimal digits of precision.</summary>
    public int SignificantDigits { get; }

    /// <summary>The largest value, in nanoseconds, kept in buckets.</summary>
    public long HighestTrackableValue { get; }

    /// <summary>The largest relative error of a reported percentile: half a sub-bucket over the sub-bucket's lowest value, 1 / 2^k (0.049 % at 3 digits).</summary>
    public double RelativeError => 1.0 / (2 * _subBucketHalfCount);

    /// <summary>The number of values recorded (in range and above range; invalid values excluded). O(1).</summary>
    public long Count => _hot.Count;

    /// <summary>The sum of recorded values in nanoseconds; <see cref="long.MaxValue"/> once it overflowed (see <see cref="IsSumSaturated"/>). O(1).</summary>
    public long Sum => _hot.Sum;

    /// <summary>
    /// Whether <see cref="Sum"/> overflowed and stays pinned at <see cref="long.MaxValue"/>: it never wraps to a small or
    /// negative number, and <see cref="Mean"/> is then <see cref="double.PositiveInfinity"/>, a value no condition accepts.
    /// </summary>
    public bool IsSumSaturated => _hot.Sum == long.MaxValue;

    /// <summary>The smallest recorded value in nanoseconds, exact; 0 when empty. O(1).</summary>
    public long Min => _hot.Count == 0 ? 0 : _hot.Min;

    /// <summary>The largest recorded value in nanoseconds, exact; 0 when empty. O(1).</summary>
    public long Max => _hot.Max;

    /// <summary>The exact mean in nanoseconds; NaN when empty; <see cref="double.PositiveInfinity"/> when the sum overflowed. O(1).</summary>
    public double Mean => _hot.Count == 0 ? double.NaN : IsSumSaturated ? double.PositiveInfinity : (double)_hot.Sum / _hot.Count;

    /// <summary>How many recorded values were above <see cref="HighestTrackableValue"/>.</summary>
    public long CountAboveRange => _aboveRange;

    /// <summary>How many values were rejected as negative or NaN. Not part of <see cref="Count"/>.</summary>
    public long InvalidCount => _invalid;

    /// <summary>
    /// The memory held by bucket storage, in bytes: one 16-bit cell per bucket over the range of values recorded so far
    /// (grown in whole powers of two), and 64-bit carries once a cell has counted more than 65,535 values.
    /// </summary>
    public long BucketMemoryBytes
        => (_hot.Cells.Length == 0 ? 0 : ((long)_hot.Cells.Length * sizeof(ushort)) + 24) + (_spill is null ? 0 : ((long)_spill.Length * sizeof(long)) + 24);

    /// <summary>Records a value in nanoseconds. Allocation-free except when a value falls outside the range recorded so far.</summary>
    /// <param name="nanoseconds">The value; negative values are counted in <see cref="InvalidCount"/> and not recorded.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Record(long nanoseconds)
    {
        // One unsigned comparison is the range check and the min and max check at once: the fast range is the values from
        // the min to the max, cut to what the window covers and to the range. A value in it is in range, has a cell, and is
        // neither a new min nor a new max; a negative value wraps above every span (see RefreshFastRange). Anything else,
        // a new min or max above all, takes RecordSlow. The comparison does not wait for the bucket index.
        if ((ulong)(nanoseconds - _hot.FastLow) >= _hot.FastSpan)
        {
            RecordSlow(nanoseconds);
            return;
        }

        CountInCell(IndexOf(nanoseconds));

        // Not ++: on a field of the explicit-layout struct, the JIT turns ++ into a lea and an increment through it.
        _hot.Count = _hot.Count + 1;

        // Both terms are non-negative, so a wrap shows as a negative sum: saturate instead of wrapping.
        var sum = _hot.Sum + nanoseconds;
        _hot.Sum = sum;
        if (sum < 0)
        {
            SaturateSum();
        }
    }

    /// <summary>Records a duration. Negative durations are counted in <see cref="InvalidCount"/>.</summary>
    /// <param name="duration">The duration.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Record(TimeSpan duration)
    {
        if (duration.Ticks < 0)
        {
            _invalid++;
            return;
        }

        Record(duration.Ticks > long.MaxValue / 100 ? long.MaxValue : duration.Ticks * 100);
    }

    /// <summary>Records the time between two <see cref="Stopwatch.GetTimestamp"/> readings.</summary>
    /// <param name="startTimestamp">The start reading.</param>
    /// <param name="endTimestamp">The end reading.</param>
    public void RecordElapsed(long startTimestamp, long endTimestamp)
        => Record(StopwatchTicksToNanoseconds(endTimestamp - startTimestamp));

    /// <summary>Records a value given in milliseconds, as load-test tools report them. NaN and negative values are counted in <see cref="InvalidCount"/>.</summary>
    /// <param name="milliseconds">The value in milliseconds.</param>
    public void RecordMilliseconds(double milliseconds)
    {
        if (!(milliseconds >= 0))
        {
            _invalid++;
            return;
        }

        var ns = milliseconds * 1e6;
        Record(ns >= long.MaxValue ? long.MaxValue : (long)Math.Round(ns));
    }

    /// <summary>Records a value <paramref name="count"/> times.</summary>
    /// <param name="nanoseconds">The value in nanoseconds.</param>
    /// <param name="count">How many times; must not be negative.</param>
    public void Record(long nanoseconds, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return;
        }

        if (nanoseconds < 0)
        {
            _invalid += count;
            return;
        }

        if (nanoseconds > HighestTrackableValue)
        {
            _aboveRange += count;
        }
        else
        {
            AddAt(IndexOf(nanoseconds), count);
        }

        _hot.Count = checked(_hot.Count + count);
        _hot.Sum = nanoseconds != 0 && count > (long.MaxValue - _hot.Sum) / nanoseconds ? long.MaxValue : _hot.Sum + (nanoseconds * count);
        Widen(nanoseconds, nanoseconds);
    }

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
        // Decoded in full and checked before anything is added, so bad data never leaves a half-merged histogram.
        var decoded = Read(data, _decodeScratch);
        Add(decoded);
        _decodeScratch = decoded;
    }

    private static LatencyHistogram Read(ReadOnlySpan<byte> data, LatencyHistogram? reuse)
    {
        if (data.Length < SerialMagic.Length + 2 || !data[..SerialMagic.Length].SequenceEqual(SerialMagic))
        {
            throw new FormatException("Not a serialized LatencyHistogram: the header 'RGH' is missing.");
        }

        var pos = SerialMagic.Length;
        var version = data[pos++];
        if (version is not (LegacyFormatVersion or SerialFormatVersion))
        {
            throw new FormatException($"Unsupported LatencyHistogram format version {version}: this version reads formats {LegacyFormatVersion} and {SerialFormatVersion}.");
        }

        var histogram = ReadHeader(data, ref pos, reuse);
        var (bucketTotal, lowest, highestIndex) = version == LegacyFormatVersion
            ? histogram.ReadGapCountBuckets(data, ref pos)
            : histogram.ReadPackedBuckets(data, ref pos);
        if (lowest >= 0 && !histogram.AgreesWithBuckets(lowest, highestIndex))
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

    /// <summary>The 1-based nearest rank of percentile <paramref name="p"/> among <paramref name="n"/> values: max(1, ⌈p/100 × n⌉).</summary>
    internal static long NearestRank(double p, long n)
    {
        var x = p / 100 * n;

        // 0.99 × 100 is 99.00000000000001 in binary floating point; that must be rank 99, not 100.
        var rank = (long)Math.Ceiling(x - (Math.Max(1, x) * 1e-12));
        return Math.Clamp(rank, 1, Math.Max(1, n));
    }

#pragma warning disable RS0030 // the conversion of timestamps callers took with Stopwatch (or TimeProvider.System) needs its frequency
    /// <summary>Converts <see cref="Stopwatch"/> ticks to nanoseconds.</summary>
    /// <param name="stopwatchTicks">Elapsed ticks.</param>
    /// <returns>Nanoseconds.</returns>
    public static long StopwatchTicksToNanoseconds(long stopwatchTicks)
        => Stopwatch.Frequency == 1_000_000_000 ? stopwatchTicks : (long)(stopwatchTicks * (1e9 / Stopwatch.Frequency));
#pragma warning restore RS0030

    internal LatencyHistogram CreateEmptyLike() => new(SignificantDigits, TimeSpan.FromTicks(HighestTrackableValue / 100));

    /// <summary>Values recorded so far, valid or not, read while another thread may be recording.</summary>
    internal long LiveRecordedCount => Volatile.Read(ref _hot.Count) + Volatile.Read(ref _invalid);

    internal bool IsCompatibleWith(LatencyHistogram other) => other.SignificantDigits == SignificantDigits && other.HighestTrackableValue == HighestTrackableValue;

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
        for (var o = 0; o < cells.Length; o++)
        {
            var count = (long)Volatile.Read(ref cells[o]) + (spill is null ? 0 : Volatile.Read(ref spill[o]));
            if (count != 0)
            {
                AddAt(start + o, count);
                copied += count;
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
            Widen(Volatile.Read(ref live._hot.Min), Volatile.Read(ref live._hot.Max));
        }
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

        SetExtremes(Math.Max(lowest == long.MaxValue ? cumulativeMax : lowest, cumulativeMin), _aboveRange > 0 ? cumulativeMax : Math.Min(highest, cumulativeMax));
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

        // Pinned (they never move), so the fast range can address its cells with a pointer; see RefreshFastRange.
        var cells = GC.AllocateArray<ushort>(end - start, pinned: true);
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

    /// <summary>
    /// Adds one to the cell of a bucket index the fast range (or the covered values) includes. 16-bit cells keep the
    /// touched range in L1; a cell that wraps carries 65536 into the spill array. The cells are pinned, so CellsAtZero
    /// (where bucket index 0's cell would be) is one load where the array, its start and a null check were three; the wrap
    /// is tested on the count before the increment, which saves re-widening the incremented one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe void CountInCell(int index)
    {
        var cell = _hot.CellsAtZero + (uint)index;
        var before = *cell;
        *cell = (ushort)(before + 1);
        if (before == ushort.MaxValue)
        {
            Spill(index - _hot.Start);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Spill(int offset) => SpillArray()[offset] += ushort.MaxValue + 1;

    /// <summary>
    /// A value outside the fast range: a new min or max, a value in a power of two the window does not cover yet, above
    /// the range, or invalid. The first is by far the most common, and is counted without the general path's checks.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RecordSlow(long nanoseconds)
    {
        // Most often a new min or max the cells already cover (an ascending stream is all new maxes): count it and move
        // that end of the fast range here, without the general path's checks.
        if (nanoseconds >= _coveredLow && nanoseconds <= _coveredHigh)
        {
            CountInCell(IndexOf(nanoseconds));
            _hot.Count++;
            _hot.Sum = SaturatingAdd(_hot.Sum, nanoseconds);

            // Covered but outside the fast range: below the min or above the max, so always a new extreme.
            SetExtremes(Math.Min(_hot.Min, nanoseconds), Math.Max(_hot.Max, nanoseconds));
            return;
        }

        if ((ulong)nanoseconds > (ulong)HighestTrackableValue)
        {
            RecordOutOfRange(nanoseconds);
            return;
        }

        AddAt(IndexOf(nanoseconds), 1);
        _hot.Count++;
        _hot.Sum = SaturatingAdd(_hot.Sum, nanoseconds);
        Widen(nanoseconds, nanoseconds);
    }

    /// <summary>Lowers the min to <paramref name="min"/> and raises the max to <paramref name="max"/> where they extend them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Widen(long min, long max)
    {
        if (min < _hot.Min || max > _hot.Max)
        {
            SetExtremes(Math.Min(_hot.Min, min), Math.Max(_hot.Max, max));
        }
    }

    /// <summary>
    /// The one place min and max are written (everything else goes through it or <see cref="Widen"/>), so the fast range
    /// never lets a new min or max past <see cref="Record(long)"/>'s one comparison.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SetExtremes(long min, long max)
    {
        _hot.Min = min;
        _hot.Max = max;
        RefreshFastRange();
    }

    /// <summary>
    /// Sets the fast range to the values from the min to the max, cut to the values the cells cover within the range
    /// (<see cref="_coveredLow"/> to <see cref="_coveredHigh"/>): <see cref="Record(long)"/> counts a value in it with no
    /// other check. Empty while nothing (or only values above the range) is recorded.
    /// </summary>
    /// <remarks>
    /// A negative value never passes: for v &lt; 0 and a low end L ≥ 0, v − L as unsigned is at least 2^63 − L, and the span
    /// is at most the highest trackable value − L + 1, which is smaller because that value is below 2^63 − 1.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void RefreshFastRange()
    {
        var low = Math.Max(_hot.Min, _coveredLow);
        var high = Math.Min(_hot.Max, _coveredHigh);
        _hot.FastLow = low;
        _hot.FastSpan = high < low ? 0 : (ulong)(high - low) + 1;
    }

    /// <summary>After the cells change: the values they cover within the range, and the pointer the fast path adds to.</summary>
    private void CoverCells()
    {
        var cells = _hot.Cells;
        var (top, width) = BucketRange(_hot.Start + cells.Length - 1);
        _coveredLow = BucketRange(_hot.Start).Lowest;
        _coveredHigh = Math.Min(HighestTrackableValue, top + width - 1);
        unsafe
        {
            // Bucket index 0's cell, outside the array unless the window starts there; only indices of the fast range,
            // which are within the cells, are added to it. The pinned array is held by Cells for as long as the pointer.
            _hot.CellsAtZero = (ushort*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(cells)) - _hot.Start;
        }

        RefreshFastRange();
    }

    /// <summary>Whether the exact min, max and sum read from serialized data can belong to the buckets read with them.</summary>
    private bool AgreesWithBuckets(int lowestIndex, int highestIndex)
    {
        var (low, width) = BucketRange(lowestIndex);
        if (_hot.Min < low || _hot.Min > low + width - 1)
        {
            return false;
        }

        (low, width) = BucketRange(highestIndex);
        if (_aboveRange == 0 && (_hot.Max < low || _hot.Max > low + width - 1))
        {
            return false;
        }

        // The sum lies between count × min and count × max; a saturated sum only says that count × max reached long.MaxValue.
        var count = (double)_hot.Count;
        return IsSumSaturated
            ? count * _hot.Max * (1 + 1e-12) >= long.MaxValue
            : _hot.Sum >= count * _hot.Min * (1 - 1e-12) && _hot.Sum <= count * _hot.Max * (1 + 1e-12);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void SaturateSum() => _hot.Sum = long.MaxValue;

    /// <summary>The sum of two non-negative sums, pinned at <see cref="long.MaxValue"/> instead of wrapping.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RecordOutOfRange(long nanoseconds)
    {
        if (nanoseconds < 0)
        {
            _invalid++;
            return;
        }

        _aboveRange++;
        _hot.Count++;
        _hot.Sum = SaturatingAdd(_hot.Sum, nanoseconds);
        Widen(nanoseconds, nanoseconds);
    }

    /// <summary>
    /// Everything <see cref="Record(long)"/> reads and writes, on one cache line padded on each side: shards of a
    /// <see cref="ConcurrentLatencyRecorder"/> written by different threads may be compacted next to each other by the GC,
    /// and unpadded they would share a cache line (false sharing triples the cost of a record).
    /// </summary>
    /// <remarks>
    /// The cells are one dense window of 16-bit counts over the buckets recorded so far, from bucket index
    /// <see cref="Start"/>. <see cref="FastLow"/> and <see cref="FastSpan"/> are the values <see cref="Record(long)"/> may
    /// count with no other check (see <see cref="RefreshFastRange"/>); only the recording thread reads them. Start, read
    /// only off the fast path, comes after the line.
    /// </remarks>
    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private struct HotFields
    {
        [FieldOffset(64)]
        public ushort[] Cells;

        [FieldOffset(72)]
        public unsafe ushort* CellsAtZero;

        [FieldOffset(80)]
        public long FastLow;

        [FieldOffset(88)]
        public ulong FastSpan;

        [FieldOffset(96)]
        public long Count;

        [FieldOffset(104)]
        public long Sum;

        [FieldOffset(112)]
        public long Min;

        [FieldOffset(120)]
        public long Max;

        [FieldOffset(128)]
        public int Start;
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

    private void EnsureCompatible(LatencyHistogram other)
    {
        if (!IsCompatibleWith(other))
        {
            throw new ArgumentException(
                $"Cannot add a histogram with {other.SignificantDigits} digits up to {other.HighestTrackableValue} ns to one with {SignificantDigits} digits up to {HighestTrackableValue} ns.",
                nameof(other));
        }
    }

    /// <summary>The header values after the version and digits bytes, in order.</summary>
    private ulong[] Header() => [(ulong)HighestTrackableValue, (ulong)_hot.Count, (ulong)_hot.Sum, (ulong)Min, (ulong)_hot.Max, (ulong)_aboveRange, (ulong)_invalid];

    /// <summary>Reads the digits byte and the header fields both formats share, and checks them against each other.</summary>
    private static LatencyHistogram ReadHeader(ReadOnlySpan<byte> data, ref int pos, LatencyHistogram? reuse)
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

        var histogram = reuse is not null && reuse.SignificantDigits == digits && reuse.HighestTrackableValue == highest
            ? reuse
            : new LatencyHistogram(digits, TimeSpan.FromTicks(highest / 100));
        histogram.Reset();
        histogram._hot.Count = ReadNonNegative(data, ref pos, SerialField.Count);
        histogram._hot.Sum = ReadNonNegative(data, ref pos, SerialField.Sum);
        var min = ReadNonNegative(data, ref pos, SerialField.Min);
        histogram.SetExtremes(histogram._hot.Count == 0 ? long.MaxValue : min, ReadNonNegative(data, ref pos, SerialField.Max));
        histogram._aboveRange = ReadNonNegative(data, ref pos, SerialField.CountAboveRange);
        histogram._invalid = ReadNonNegative(data, ref pos, SerialField.InvalidCount);
        if (histogram._hot.Count == 0 ? min != 0 || histogram._hot.Max != 0 || histogram._hot.Sum != 0 : min > histogram._hot.Max)
        {
            throw new FormatException($"Invalid LatencyHistogram data: min {min}, max {histogram._hot.Max} and sum {histogram._hot.Sum} do not fit a count of {histogram._hot.Count}.");
        }

        if ((histogram._aboveRange > 0) != (histogram._hot.Max > highest))
        {
            throw new FormatException($"Invalid LatencyHistogram data: {histogram._aboveRange} values above range, but the max is {histogram._hot.Max} ns against a range of {highest} ns.");
        }

        return histogram;
    }

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

    /// <summary>Reads full blocks with <see cref="PackedBlockDecoder"/> while it takes them; returns the cells read.</summary>
    private static int ReadBlocksVectorized(ReadOnlySpan<byte> data, ref int pos, Span<ushort> counts, ref RunningCounts running, ulong limit)
    {
        if (!PackedBlockDecoder.IsSupported || (ulong)running.Previous > ushort.MaxValue)
        {
            return 0;
        }

        var previous = (uint)running.Previous;
        var total = running.Total;
        var done = PackedBlockDecoder.DecodeBlocks(data, ref pos, counts, ref previous, ref total, limit);
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
        var width = pos < data.Length ? data[pos++] : throw new FormatException($"Truncated LatencyHistogram data: the block of cell {o} at byte {pos} is cut off.");
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
        return value <= long.MaxValue ? (long)value : throw new FormatException($"Invalid LatencyHistogram data: the {field} ending at byte {pos} is {value}, above {long.MaxValue}.");
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
