using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ReleaseGates.Metrics;

/// <summary>Live statistics of one endpoint (or of all of them): latency, counts and time windows.</summary>
public sealed class HttpEndpointStatistics
{
    private long _total;
    private long _errors;

    internal HttpEndpointStatistics(ConcurrentLatencyRecorder latency, RequestWindows windows)
    {
        LatencyRecorder = latency;
        Windows = windows;
    }

    /// <summary>The latency recorder; take snapshots from it.</summary>
    public ConcurrentLatencyRecorder LatencyRecorder { get; }

    /// <summary>Per-interval totals and errors.</summary>
    public RequestWindows Windows { get; }

    /// <summary>Requests seen.</summary>
    public long Total => Interlocked.Read(ref _total);

    /// <summary>Requests classified as errors.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Errors ÷ total; 0 when no request was seen.</summary>
    public double ErrorRate
    {
        get
        {
            var total = Total;
            return total == 0 ? 0 : (double)Errors / total;
        }
    }

    internal void Record(DateTimeOffset now, TimeSpan duration, bool isError)
    {
        LatencyRecorder.Record(duration);
        Windows.RecordNow(now, isError, duration);
        Interlocked.Increment(ref _total);
        if (isError)
        {
            Interlocked.Increment(ref _errors);
        }
    }
}
