namespace ReleaseGates.Metrics;

/// <summary>A single-threaded writer into a <see cref="ConcurrentLatencyRecorder"/>, from <see cref="ConcurrentLatencyRecorder.CreateWriter"/>.</summary>
public sealed class LatencyRecorderWriter
{
    private readonly LatencyHistogram _shard;

    internal LatencyRecorderWriter(LatencyHistogram shard) => _shard = shard;

    /// <summary>Records a value in nanoseconds; negative values are counted as invalid.</summary>
    /// <param name="nanoseconds">The value.</param>
    public void Record(long nanoseconds) => _shard.Record(nanoseconds);

    /// <summary>Records a duration; negative durations are counted as invalid.</summary>
    /// <param name="duration">The duration.</param>
    public void Record(TimeSpan duration) => _shard.Record(duration);

    /// <summary>Records the time between two <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> readings.</summary>
    /// <param name="startTimestamp">The start reading.</param>
    /// <param name="endTimestamp">The end reading.</param>
    public void RecordElapsed(long startTimestamp, long endTimestamp) => _shard.RecordElapsed(startTimestamp, endTimestamp);
}
