using System.Diagnostics;
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
public sealed partial class LatencyHistogram
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
            throw new ArgumentOutOfRangeException(nameof(maximumRelativeError), maximumRelativeError,
                "The relative error must lie between 0.00001 (5 digits) and 0.5.");
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
    /// The managed heap this histogram's bucket storage holds, in bytes, as the GC counts it: one 16-bit cell per bucket
    /// over the range of values recorded so far (grown in whole powers of two), 64-bit carries once a cell has counted more
    /// than 65,535 values, each array's 24-byte header, and the storage kept for reuse after reading the older wire format.
    /// The histogram object itself adds about 300 bytes. Nothing else is retained: outgrown windows are ordinary garbage.
    /// </summary>
    public long BucketMemoryBytes => OwnBucketBytes + (_decodeScratch?.OwnBucketBytes ?? 0);

    private long OwnBucketBytes
        => (_hot.Cells.Length == 0 ? 0 : ArrayBytes(_hot.Cells.Length, sizeof(ushort))) + (_spill is null ? 0 : ArrayBytes(_spill.Length, sizeof(long)));

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

#pragma warning disable RS0030 // the conversion of timestamps callers took with Stopwatch (or TimeProvider.System) needs its frequency
    /// <summary>Converts <see cref="Stopwatch"/> ticks to nanoseconds.</summary>
    /// <param name="stopwatchTicks">Elapsed ticks.</param>
    /// <returns>Nanoseconds.</returns>
    public static long StopwatchTicksToNanoseconds(long stopwatchTicks)
        => Stopwatch.Frequency == 1_000_000_000 ? stopwatchTicks : (long)(stopwatchTicks * (1e9 / Stopwatch.Frequency));
#pragma warning restore RS0030

    /// <summary>
    /// Adds one to the cell of a bucket index the fast range (or the covered values) includes. 16-bit cells keep the
    /// touched range in L1; a cell that wraps carries 65536 into the spill array. The cell is addressed from the array and
    /// <see cref="HotFields.Bias"/> (minus the window's first index), both on the hot line, with no bounds check: the fast
    /// range only holds values whose cells exist. The wrap is tested on the count before the increment, which saves
    /// re-widening the incremented one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CountInCell(int index)
    {
        ref var cell = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_hot.Cells), (nint)(uint)index + _hot.Bias);
        var before = cell;
        cell = (ushort)(before + 1);
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

    /// <summary>After the cells change: the values they cover within the range, and the bias the fast path adds to an index.</summary>
    private void CoverCells()
    {
        var cells = _hot.Cells;
        var (top, width) = BucketRange(_hot.Start + cells.Length - 1);
        _coveredLow = BucketRange(_hot.Start).Lowest;
        _coveredHigh = Math.Min(HighestTrackableValue, top + width - 1);
        _hot.Bias = -_hot.Start;
        RefreshFastRange();
    }

    /// <summary>Whether the exact min, max and sum read from serialized data can belong to the buckets read with them.</summary>
    private bool AgreesWithBuckets(int lowestIndex, int highestIndex, long min, long max, long sum, long count, long aboveRange)
    {
        var (low, width) = BucketRange(lowestIndex);
        if (min < low || min > low + width - 1)
        {
            return false;
        }

        (low, width) = BucketRange(highestIndex);
        if (aboveRange == 0 && (max < low || max > low + width - 1))
        {
            return false;
        }

        // The sum lies between count × min and count × max; a saturated sum only says that count × max reached long.MaxValue.
        var n = (double)count;
        return sum == long.MaxValue
            ? n * max * (1 + 1e-12) >= long.MaxValue
            : sum >= n * min * (1 - 1e-12) && sum <= n * max * (1 + 1e-12);
    }

    /// <summary>An array's size on the 64-bit managed heap: header, method table and length (24 bytes), data rounded up to 8.</summary>
    private static long ArrayBytes(int length, int elementSize) => 24 + ((((long)length * elementSize) + 7) & ~7L);

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
    /// <see cref="Start"/>; <see cref="Bias"/> is minus that index, kept on the line for the fast path.
    /// <see cref="FastLow"/> and <see cref="FastSpan"/> are the values <see cref="Record(long)"/> may count with no other
    /// check (see <see cref="RefreshFastRange"/>); only the recording thread reads them. Start, read only off the fast
    /// path, comes after the line.
    /// </remarks>
    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private struct HotFields
    {
        [FieldOffset(64)]
        public ushort[] Cells;

        [FieldOffset(72)]
        public nint Bias;

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
}
