using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ReleaseGates.Metrics;

/// <summary>Live statistics of one endpoint (or of all of them): latency, counts and time windows.</summary>
public sealed class HttpEndpointStatistics
{
    private long _errors;

    /// <summary>Statistics whose windows are fed from the latency recorder: one lock-free record per event.</summary>
    internal HttpEndpointStatistics(ConcurrentLatencyRecorder latency, TimeSpan windowInterval, int windowIntervalCount,
        int significantDigits, TimeProvider time)
    {
        LatencyRecorder = latency;
        Windows = new RequestWindows(windowInterval, windowIntervalCount, time, significantDigits, latency, () => Errors);
    }

    /// <summary>The latency recorder; take snapshots from it.</summary>
    public ConcurrentLatencyRecorder LatencyRecorder { get; }

    /// <summary>Per-interval totals and errors.</summary>
    public RequestWindows Windows { get; }

    /// <summary>Requests seen.</summary>
    public long Total => LatencyRecorder.RecordedCount;

    /// <summary>Requests classified as errors.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Errors ÷ total; 0 when no request was seen.</summary>
    public double ErrorRate
    {
        get
        {
            // Errors first: a request's error is counted after its value, so this order never gives more errors than requests.
            var errors = Errors;
            var total = Total;
            return total == 0 ? 0 : (double)Math.Min(errors, total) / total;
        }
    }

    /// <summary>
    /// Before a request is recorded (into this recorder or a child's): the windows learn its time, so a request that opens
    /// an interval is counted in it.
    /// </summary>
    internal void Observe(long utcTicks) => Windows.Observe(utcTicks);

    /// <summary>After a failed request's value is recorded: counts the error (the one shared write of a request).</summary>
    internal void CountError() => Interlocked.Increment(ref _errors);
}
