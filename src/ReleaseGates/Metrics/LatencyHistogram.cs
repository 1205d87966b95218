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
    private const byte SerialFormatVersion = 1;
    private static readonly byte[] SerialMagic = "RGH"u8.ToArray();

    private readonly int _subBucketHalfCountMagnitude;
    private readonly int _subBucketHalfCount;
    private readonly long _subBucketMask;
    private readonly int _leadingZeroCountBase;
    private readonly int _offsetMask;
    private readonly ushort[]?[] _chunks;
    private readonly long[]?[] _spill;
    private HotCounters _hot = new() { Min = long.MaxValue };
    private long _aboveRange;
    private long _invalid;

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
        _offsetMask = _subBucketHalfCount - 1;
        var lastIndex = IndexOf(HighestTrackableValue);
        _chunks = new ushort[]?[(lastIndex >> _subBucketHalfCountMagnitude) + 1];
        _spill = new long[]?[_chunks.Length];
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

    /// <summary>The memory held by bucket storage, in bytes (the chunks touched so far).</summary>
    public long BucketMemoryBytes
    {
        get
        {
            long bytes = 0;
            foreach (var chunk in _chunks)
            {
                bytes += chunk is null ? 0 : ((long)chunk.Length * sizeof(ushort)) + 24;
            }

            foreach (var spill in _spill)
            {
                bytes += spill is null ? 0 : ((long)spill.Length * sizeof(long)) + 24;
            }

            return bytes + ((long)_chunks.Length * 2 * IntPtr.Size);
        }
    }

    /// <summary>Records a value in nanoseconds. Allocation-free except the first time a range of values is touched.</summary>
    /// <param name="nanoseconds">The value; negative values are counted in <see cref="InvalidCount"/> and not recorded.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Record(long nanoseconds)
    {
        if ((ulong)nanoseconds > (ulong)HighestTrackableValue)
        {
            RecordOutOfRange(nanoseconds);
            return;
        }

        var index = IndexOf(nanoseconds);

        // Bounds are guaranteed by the range check above: index ≤ IndexOf(HighestTrackableValue).
        var chunk = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_chunks), index >> _subBucketHalfCountMagnitude);
        if (chunk is null)
        {
            RecordInNewChunk(nanoseconds);
            return;
        }

        // 16-bit cells keep the touched range in L1; a cell that wraps carries 65536 into the chunk's spill array.
        if (++Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(chunk), index & _offsetMask) == 0)
        {
            Spill(index);
        }

        _hot.Count++;

        // Both terms are non-negative, so a wrap shows as a negative sum: saturate instead of wrapping.
        var sum = _hot.Sum + nanoseconds;
        _hot.Sum = sum;
        if (sum < 0)
        {
            SaturateSum();
        }

        if (nanoseconds < _hot.Min)
        {
            _hot.Min = nanoseconds;
        }

        if (nanoseconds > _hot.Max)
        {
            _hot.Max = nanoseconds;
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
        _hot.Min = Math.Min(_hot.Min, nanoseconds);
        _hot.Max = Math.Max(_hot.Max, nanoseconds);
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
        long cumulative = 0;
        var next = 0;
        for (var c = 0; c < _chunks.Length && next < ranks.Length; c++)
        {
            if (_chunks[c] is null)
            {
                continue;
            }

            var chunkTotal = ChunkTotal(c);

            // Every remaining rank that falls in this chunk, each found by block-skipping from the chunk's start.
            while (next < ranks.Length && ranks[next] <= cumulative + chunkTotal)
            {
                var offset = OffsetOfRank(c, ranks[next] - cumulative, fromTop: false);
                values[order[next]] = Reported((c << _subBucketHalfCountMagnitude) + offset);
                next++;
            }

            cumulative += chunkTotal;
        }

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
        for (var c = 0; c < other._chunks.Length; c++)
        {
            var source = other._chunks[c];
            if (source is null)
            {
                continue;
            }

            var target = _chunks[c] ??= new ushort[_subBucketHalfCount];
            AddChunk(c, target, source);
            if (other._spill[c] is { } spill)
            {
                for (var i = 0; i < spill.Length; i++)
                {
                    if (spill[i] != 0)
                    {
                        AddAt((c << _subBucketHalfCountMagnitude) + i, spill[i]);
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
            _hot.Min = Math.Min(_hot.Min, other._hot.Min);
            _hot.Max = Math.Max(_hot.Max, other._hot.Max);
        }
    }

    /// <summary>Removes every value; keeps the allocated chunks for reuse.</summary>
    public void Reset()
    {
        foreach (var chunk in _chunks)
        {
            chunk?.AsSpan().Clear();
        }

        Array.Clear(_spill);
        _hot.Count = _hot.Sum = _hot.Max = _aboveRange = _invalid = 0;
        _hot.Min = long.MaxValue;
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
        for (var c = 0; c < _chunks.Length; c++)
        {
            if (_chunks[c] is not { } chunk)
            {
                continue;
            }

            for (var i = 0; i < chunk.Length; i++)
            {
                var count = CountAt(c, i);
                if (count != 0)
                {
                    yield return (Reported((c << _subBucketHalfCountMagnitude) + i), count);
                }
            }
        }

        if (_aboveRange > 0)
        {
            yield return (_hot.Max, _aboveRange);
        }
    }

    /// <summary>
    /// The compact, versioned binary form: a header with the configuration and running totals, then the non-empty
    /// buckets as varint (index gap, count) pairs.
    /// </summary>
    /// <returns>The bytes.</returns>
    public byte[] ToByteArray()
    {
        // Two passes over the buckets: one to size the array exactly, one to fill it.
        var header = 0;
        foreach (var v in Header())
        {
            header += VarintLength(v);
        }

        var bucketBytes = 0;
        var buckets = 0;
        var previous = -1;
        ForEachBucket((index, count) =>
        {
            bucketBytes += VarintLength((ulong)(index - previous)) + VarintLength((ulong)count);
            buckets++;
            previous = index;
        });

        var buffer = new byte[SerialMagic.Length + 2 + header + VarintLength((ulong)buckets) + bucketBytes];
        var pos = 0;
        SerialMagic.CopyTo(buffer, 0);
        pos += SerialMagic.Length;
        buffer[pos++] = SerialFormatVersion;
        buffer[pos++] = (byte)SignificantDigits;
        foreach (var v in Header())
        {
            WriteVarint(buffer, ref pos, v);
        }

        WriteVarint(buffer, ref pos, (ulong)buckets);
        previous = -1;
        ForEachBucket((index, count) =>
        {
            WriteVarint(buffer, ref pos, (ulong)(index - previous));
            WriteVarint(buffer, ref pos, (ulong)count);
            previous = index;
        });
        return buffer;
    }

    /// <summary>Reads the binary form written by <see cref="ToByteArray"/>.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The histogram.</returns>
    /// <exception cref="FormatException">The data is not a histogram of a known format version, or is truncated; the message says where.</exception>
    public static LatencyHistogram FromByteArray(ReadOnlySpan<byte> data)
    {
        if (data.Length < SerialMagic.Length + 2 || !data[..SerialMagic.Length].SequenceEqual(SerialMagic))
        {
            throw new FormatException("Not a serialized LatencyHistogram: the header 'RGH' is missing.");
        }

        var pos = SerialMagic.Length;
        var version = data[pos++];
        if (version != SerialFormatVersion)
        {
            throw new FormatException($"Unsupported LatencyHistogram format version {version}: this version reads format {SerialFormatVersion}.");
        }

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

        var histogram = new LatencyHistogram(digits, TimeSpan.FromTicks(highest / 100));
        histogram._hot.Count = ReadNonNegative(data, ref pos, SerialField.Count);
        histogram._hot.Sum = ReadNonNegative(data, ref pos, SerialField.Sum);
        var min = ReadNonNegative(data, ref pos, SerialField.Min);
        histogram._hot.Min = histogram._hot.Count == 0 ? long.MaxValue : min;
        histogram._hot.Max = ReadNonNegative(data, ref pos, SerialField.Max);
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

        var buckets = ReadVarint(data, ref pos, SerialField.BucketCount);
        long index = -1;
        long bucketTotal = 0;
        long lowest = -1, highestIndex = -1;
        var lastIndex = ((long)histogram._chunks.Length << histogram._subBucketHalfCountMagnitude) - 1;
        for (ulong b = 0; b < buckets; b++)
        {
            // Each bucket takes at least two bytes, so the loop is bounded by the input's size.
            var gap = ReadVarint(data, ref pos, SerialField.BucketGap);
            var count = ReadNonNegative(data, ref pos, SerialField.BucketTally);
            if (gap == 0 || gap > (ulong)(lastIndex - index) || count == 0 || count > histogram._hot.Count - bucketTotal)
            {
                throw new FormatException($"Invalid LatencyHistogram data at byte {pos}: bucket {b} is {gap} after index {index} (last is {lastIndex}) with count {count}, of a total {histogram._hot.Count}.");
            }

            index += (long)gap;
            histogram.AddAt((int)index, count);
            bucketTotal += count;
            lowest = lowest < 0 ? index : lowest;
            highestIndex = index;
        }

        if (lowest >= 0 && !histogram.AgreesWithBuckets((int)lowest, (int)highestIndex))
        {
            throw new FormatException($"Invalid LatencyHistogram data: min {histogram._hot.Min} ns, max {histogram._hot.Max} ns and sum {histogram._hot.Sum} ns do not agree with the buckets recorded.");
        }

        if (lowest < 0 && histogram._hot.Count > 0 && histogram._hot.Min <= highest)
        {
            throw new FormatException($"Invalid LatencyHistogram data: no bucket holds a value, but the min {histogram._hot.Min} ns is within the range of {highest} ns.");
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

    internal bool IsCompatibleWith(LatencyHistogram other) => other.SignificantDigits == SignificantDigits && other.HighestTrackableValue == HighestTrackableValue;

    /// <summary>Adds <paramref name="current"/> minus <paramref name="previous"/> to this histogram: the interval between two cumulative snapshots.</summary>
    internal void AddDifference(LatencyHistogram current, LatencyHistogram previous)
    {
        for (var c = 0; c < current._chunks.Length; c++)
        {
            if (current._chunks[c] is null)
            {
                continue;
            }

            for (var i = 0; i < _subBucketHalfCount; i++)
            {
                var delta = current.CountAt(c, i) - (previous._chunks[c] is null ? 0 : previous.CountAt(c, i));
                if (delta != 0)
                {
                    AddAt((c << _subBucketHalfCountMagnitude) + i, delta);
                }
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
        long copied = 0;
        for (var c = 0; c < live._chunks.Length; c++)
        {
            var chunk = Volatile.Read(ref live._chunks[c]);
            if (chunk is null)
            {
                continue;
            }

            var spill = Volatile.Read(ref live._spill[c]);
            for (var i = 0; i < chunk.Length; i++)
            {
                var count = (long)Volatile.Read(ref chunk[i]) + (spill is null ? 0 : Volatile.Read(ref spill[i]));
                if (count != 0)
                {
                    AddAt((c << _subBucketHalfCountMagnitude) + i, count);
                    copied += count;
                }
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
            _hot.Min = Math.Min(_hot.Min, Volatile.Read(ref live._hot.Min));
            _hot.Max = Math.Max(_hot.Max, Volatile.Read(ref live._hot.Max));
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
            _hot.Min = long.MaxValue;
            _hot.Max = 0;
            return;
        }

        long lowest = long.MaxValue, highest = 0;
        for (var c = 0; c < _chunks.Length; c++)
        {
            if (_chunks[c] is not { } chunk)
            {
                continue;
            }

            for (var i = 0; i < chunk.Length; i++)
            {
                if (CountAt(c, i) == 0)
                {
                    continue;
                }

                var (low, width) = BucketRange((c << _subBucketHalfCountMagnitude) + i);
                lowest = Math.Min(lowest, low);
                highest = Math.Max(highest, low + width - 1);
            }
        }

        _hot.Min = Math.Max(lowest == long.MaxValue ? cumulativeMax : lowest, cumulativeMin);
        _hot.Max = _aboveRange > 0 ? cumulativeMax : Math.Min(highest, cumulativeMax);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int IndexOf(long value)
    {
        var bucketIndex = _leadingZeroCountBase - BitOperations.LeadingZeroCount((ulong)(value | _subBucketMask));
        var subBucketIndex = (int)(value >> bucketIndex);
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
        for (var k = 0; k < _chunks.Length; k++)
        {
            var c = fromTop ? _chunks.Length - 1 - k : k;
            if (_chunks[c] is null)
            {
                continue;
            }

            var total = ChunkTotal(c);
            if (cumulative + total < target)
            {
                cumulative += total;
                continue;
            }

            return Reported((c << _subBucketHalfCountMagnitude) + OffsetOfRank(c, target - cumulative, fromTop));
        }

        return fromTop ? Min : _hot.Max;
    }

    /// <summary>
    /// The offset in chunk <paramref name="c"/> where the running count (from the bottom, or from the top) reaches
    /// <paramref name="rank"/>, which must be at most the chunk's total. Skips whole vector-width blocks by their sums.
    /// </summary>
    private int OffsetOfRank(int c, long rank, bool fromTop)
    {
        var chunk = _chunks[c]!;
        var width = Vector<ushort>.Count;
        var blocks = Vector.IsHardwareAccelerated && _spill[c] is null && chunk.Length % width == 0 ? chunk.Length / width : 0;
        long cumulative = 0;
        var start = 0;
        var end = chunk.Length;
        for (var k = 0; k < blocks; k++)
        {
            var b = fromTop ? blocks - 1 - k : k;
            Vector.Widen(new Vector<ushort>(chunk, b * width), out var lo, out var hi);
            var sum = (long)Vector.Sum(lo + hi);
            if (cumulative + sum >= rank)
            {
                start = b * width;
                end = start + width;
                break;
            }

            cumulative += sum;
        }

        for (var n = 0; n < end - start; n++)
        {
            var i = fromTop ? end - 1 - n : start + n;
            cumulative += CountAt(c, i);
            if (cumulative >= rank)
            {
                return i;
            }
        }

        return fromTop ? start : end - 1;
    }

    private long ChunkTotal(int c)
    {
        var span = _chunks[c]!.AsSpan();
        long total = 0;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // Widened to 32 bits: a lane sums at most 2 × 1024 / Vector<ushort>.Count cells of ≤ 65535, far below 2^32.
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

        if (_spill[c] is { } spill)
        {
            foreach (var s in spill)
            {
                total += s;
            }
        }

        return total;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long CountAt(int chunkIndex, int offset)
    {
        var count = (long)_chunks[chunkIndex]![offset];
        return _spill[chunkIndex] is { } spill ? count + spill[offset] : count;
    }

    private void AddChunk(int c, ushort[] target, ushort[] source)
    {
        var t = target.AsSpan();
        var s = source.AsSpan();
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i + Vector<ushort>.Count <= t.Length; i += Vector<ushort>.Count)
            {
                var before = new Vector<ushort>(t[i..]);
                var sum = before + new Vector<ushort>(s[i..]);

                // Unsigned wrap-around shows as a sum below the addend: carry those lanes exactly.
                if (Vector.LessThanAny(sum, before))
                {
                    for (var j = i; j < i + Vector<ushort>.Count; j++)
                    {
                        AddAt((c << _subBucketHalfCountMagnitude) + j, s[j]);
                    }
                }
                else
                {
                    sum.CopyTo(t[i..]);
                }
            }
        }

        for (; i < t.Length; i++)
        {
            if (s[i] != 0)
            {
                AddAt((c << _subBucketHalfCountMagnitude) + i, s[i]);
            }
        }
    }

    private void AddAt(int index, long count)
    {
        var c = index >> _subBucketHalfCountMagnitude;
        var offset = index & (_subBucketHalfCount - 1);
        var chunk = _chunks[c] ??= new ushort[_subBucketHalfCount];
        var total = chunk[offset] + count;
        if (total > ushort.MaxValue || total < 0)
        {
            var carried = total & ~(long)ushort.MaxValue;
            var spill = _spill[c] ??= new long[_subBucketHalfCount];
            spill[offset] += carried;
            chunk[offset] = (ushort)(total - carried);
        }
        else
        {
            chunk[offset] = (ushort)total;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Spill(int index)
    {
        var c = index >> _subBucketHalfCountMagnitude;
        var offset = index & (_subBucketHalfCount - 1);
        var spill = _spill[c] ??= new long[_subBucketHalfCount];
        spill[offset] += ushort.MaxValue + 1;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RecordInNewChunk(long nanoseconds)
    {
        var index = IndexOf(nanoseconds);
        _chunks[index >> _subBucketHalfCountMagnitude] = new ushort[_subBucketHalfCount];
        Record(nanoseconds);
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

        // The sum lies between count × min and count × max (unless it saturated, which only says it is large).
        var count = (double)_hot.Count;
        return _hot.Sum >= count * _hot.Min * (1 - 1e-12) && (IsSumSaturated || _hot.Sum <= count * _hot.Max * (1 + 1e-12));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void SaturateSum() => _hot.Sum = long.MaxValue;

    /// <summary>The sum of two non-negative sums, pinned at <see cref="long.MaxValue"/> instead of wrapping.</summary>
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
        _hot.Min = Math.Min(_hot.Min, nanoseconds);
        _hot.Max = Math.Max(_hot.Max, nanoseconds);
    }

    /// <summary>
    /// The counters every <see cref="Record(long)"/> writes, padded to a cache line of their own on each side: shards of a
    /// <see cref="ConcurrentLatencyRecorder"/> written by different threads may be compacted next to each other by the GC,
    /// and unpadded they would share a cache line (false sharing triples the cost of a record).
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private struct HotCounters
    {
        [FieldOffset(64)]
        public long Count;

        [FieldOffset(72)]
        public long Sum;

        [FieldOffset(80)]
        public long Min;

        [FieldOffset(88)]
        public long Max;
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

    private void ForEachBucket(Action<int, long> visit)
    {
        for (var c = 0; c < _chunks.Length; c++)
        {
            if (_chunks[c] is not { } chunk)
            {
                continue;
            }

            for (var i = 0; i < chunk.Length; i++)
            {
                var count = CountAt(c, i);
                if (count != 0)
                {
                    visit((c << _subBucketHalfCountMagnitude) + i, count);
                }
            }
        }
    }

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
