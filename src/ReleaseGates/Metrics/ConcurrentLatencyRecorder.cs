namespace ReleaseGates.Metrics;

/// <summary>
/// Records latencies from many threads without a global lock: each thread writes to its own
/// <see cref="LatencyHistogram"/> shard with plain (non-interlocked) increments, and readers merge the shards.
/// </summary>
/// <remarks>
/// <para>
/// Readers never stop writers. <see cref="GetCumulativeSnapshot"/> copies every shard bucket by bucket;
/// <see cref="GetIntervalSnapshot"/> returns what was recorded since the previous interval snapshot as the difference of two
/// cumulative copies, so no value is lost or counted twice across intervals: once writers are done, the interval counts
/// add up exactly to the cumulative count.
/// </para>
/// <para>
/// A snapshot taken while writers run is a consistent histogram (its count is derived from the buckets it read), but a value
/// being recorded at that instant may land in this snapshot's buckets and the next snapshot's sum. Cumulative min and max are exact,
/// except that a value counted at that instant before its writer moved the min or max is represented by its bucket's bound;
/// an interval's min and max are known to the histogram's precision (the bounds of its lowest and highest non-empty bucket).
/// </para>
/// </remarks>
public sealed class ConcurrentLatencyRecorder
{
    private const int RecentShards = 16;
    private static int s_nextSlot;

    // Per thread, the shards of the last recorders it wrote to, one slot per recorder (recorders take slots in turn):
    // a thread that writes to several recorders in turn (an endpoint's and the total's) finds each without a table lookup.
    // This keeps at most 16 recorders per thread reachable until other recorders take their slots.
    [ThreadStatic]
    private static Shard?[]? t_recentShards;

    // Per thread, weakly keyed by recorder, so a thread that records into many recorders keeps none of them alive.
    [ThreadStatic]
    private static System.Runtime.CompilerServices.ConditionalWeakTable<ConcurrentLatencyRecorder, Shard>? t_shards;

    private readonly List<Shard> _shards = [];
    private readonly object _snapshotLock = new();
    private readonly LatencyHistogram _template;
    private readonly int _slot = Interlocked.Increment(ref s_nextSlot) & (RecentShards - 1);
    private readonly ConcurrentLatencyRecorder? _parent;
    private LatencyHistogram _lastCumulative;

    /// <summary>Creates a recorder.</summary>
    /// <param name="significantDigits">Decimal digits of precision of every shard, 1 to 5. Default 3.</param>
    /// <param name="highestTrackableValue">The largest value tracked in buckets. Default 1 hour.</param>
    public ConcurrentLatencyRecorder(int significantDigits = 3, TimeSpan? highestTrackableValue = null)
    {
        _template = new LatencyHistogram(significantDigits, highestTrackableValue);
        _lastCumulative = _template.CreateEmptyLike();
    }

    /// <summary>
    /// A recorder whose shards are also shards of <paramref name="parent"/>: every value recorded here is in the parent's
    /// snapshots too, at no extra cost per value (an endpoint's recorder, and the recorder of all endpoints).
    /// </summary>
    internal ConcurrentLatencyRecorder(ConcurrentLatencyRecorder parent)
        : this(parent._template.SignificantDigits, TimeSpan.FromTicks(parent._template.HighestTrackableValue / 100))
    {
        _parent = parent;
    }

    /// <summary>The number of shards so far: one per thread that recorded and per writer (and, for the total of an <see cref="HttpMetricsCollector"/>, each endpoint's).</summary>
    public int ShardCount
    {
        get
        {
            lock (_shards)
            {
                return _shards.Count;
            }
        }
    }

    /// <summary>Records a value in nanoseconds from the calling thread.</summary>
    /// <param name="nanoseconds">The value; negative values are counted as invalid.</param>
    public void Record(long nanoseconds)
    {
        var recent = t_recentShards;
        var shard = recent?[_slot];
        if (shard is null || !ReferenceEquals(shard.Owner, this))
        {
            shard = ShardOfCurrentThread();
            (t_recentShards ??= new Shard?[RecentShards])[_slot] = shard;
        }

        shard.Histogram.Record(nanoseconds);
    }

    /// <summary>Records a duration from the calling thread.</summary>
    /// <param name="duration">The duration; negative durations are counted as invalid.</param>
    public void Record(TimeSpan duration) => Record(duration.Ticks < 0 ? -1 : duration.Ticks > long.MaxValue / 100 ? long.MaxValue : duration.Ticks * 100);

    /// <summary>Records the time between two <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> readings.</summary>
    /// <param name="startTimestamp">The start reading.</param>
    /// <param name="endTimestamp">The end reading.</param>
    public void RecordElapsed(long startTimestamp, long endTimestamp) => Record(LatencyHistogram.StopwatchTicksToNanoseconds(endTimestamp - startTimestamp));

    /// <summary>
    /// Creates a writer with a shard of its own, for a worker loop that records many values from one thread at a time:
    /// it skips the per-call thread-static lookup of <see cref="Record(long)"/> (a few nanoseconds). The writer must not
    /// be used by two threads at once; its values are part of every snapshot.
    /// </summary>
    /// <returns>The writer.</returns>
    public LatencyRecorderWriter CreateWriter()
    {
        var shard = new Shard(this, _template.CreateEmptyLike());
        AddShard(shard);
        return new LatencyRecorderWriter(shard.Histogram);
    }

    /// <summary>Everything recorded since the recorder was created, merged from all threads.</summary>
    /// <returns>A new histogram owned by the caller.</returns>
    public LatencyHistogram GetCumulativeSnapshot()
    {
        var snapshot = _template.CreateEmptyLike();
        CopyCumulativeInto(snapshot);
        return snapshot;
    }

    /// <summary>Values recorded so far from every thread, valid or not; cheap (no copy), and exact once writers are done.</summary>
    internal long RecordedCount
    {
        get
        {
            long count = 0;
            lock (_shards)
            {
                foreach (var shard in _shards)
                {
                    count += shard.Histogram.LiveRecordedCount;
                }
            }

            return count;
        }
    }

    /// <summary>Replaces the contents of <paramref name="target"/> (a histogram like this recorder's) with everything recorded so far.</summary>
    internal void CopyCumulativeInto(LatencyHistogram target)
    {
        target.Reset();
        Shard[] shards;
        lock (_shards)
        {
            shards = [.. _shards];
        }

        foreach (var shard in shards)
        {
            target.AddLiveCopyOf(shard.Histogram);
        }
    }

    /// <summary>An empty histogram of this recorder's precision and range.</summary>
    internal LatencyHistogram CreateEmptyHistogram() => _template.CreateEmptyLike();

    /// <summary>What was recorded since the previous call (or since creation), merged from all threads.</summary>
    /// <returns>A new histogram owned by the caller.</returns>
    public LatencyHistogram GetIntervalSnapshot()
    {
        lock (_snapshotLock)
        {
            var cumulative = GetCumulativeSnapshot();
            var interval = _template.CreateEmptyLike();
            interval.AddDifference(cumulative, _lastCumulative);
            interval.SetExtremesFromBuckets(cumulative.Min, cumulative.Max);
            _lastCumulative = cumulative;
            return interval;
        }
    }

    private Shard ShardOfCurrentThread()
    {
        var table = t_shards ??= [];
        if (!table.TryGetValue(this, out var shard))
        {
            shard = new Shard(this, _template.CreateEmptyLike());
            table.Add(this, shard);
            AddShard(shard);
        }

        return shard;
    }

    private void AddShard(Shard shard)
    {
        lock (_shards)
        {
            _shards.Add(shard);
        }

        _parent?.AddShard(shard);
    }

    private sealed class Shard(ConcurrentLatencyRecorder owner, LatencyHistogram histogram)
    {
        public ConcurrentLatencyRecorder Owner { get; } = owner;

        public LatencyHistogram Histogram { get; } = histogram;
    }
}
