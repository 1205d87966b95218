using System.Diagnostics;
using ReleaseGates.Metrics;

namespace ReleaseGates;

/// <summary>What a load probe run measured.</summary>
public sealed class HttpLoadProbeResult
{
    /// <summary>Latencies of measured requests that got a response.</summary>
    public required LatencyHistogram Latency { get; init; }

    /// <summary>Measured requests sent (warm-up excluded).</summary>
    public long Total { get; init; }

    /// <summary>Measured requests that failed: an error status, no response, or a timeout.</summary>
    public long Errors { get; init; }

    /// <summary>Requests that got no response at all (connection refused, DNS failure, timeout).</summary>
    public long Unanswered { get; init; }

    /// <summary>From the first measured request to the last response.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Measured requests per second.</summary>
    public double RequestsPerSecond => Duration > TimeSpan.Zero ? Total / Duration.TotalSeconds : 0;

    /// <summary>Per-interval counts.</summary>
    public required RequestWindows Windows { get; init; }

    /// <summary>The first failure without a response, for the report.</summary>
    public string? FirstTransportError { get; init; }

    /// <summary>How the requests were sent: the closed loop or the open model's arrival rate.</summary>
    public HttpLoadProbeModel Model { get; init; }

    /// <summary>The open model's intended arrival rate (after any ramp), or <see langword="null"/> for the closed loop.</summary>
    public double? IntendedRequestsPerSecond { get; init; }

    /// <summary>
    /// Open model: requests that came due (sent or dropped; the closed loop sends each request when a worker is free, so
    /// there it equals <see cref="Total"/>).
    /// </summary>
    public long Scheduled { get; init; }

    /// <summary>
    /// Open model: requests that started more than <see cref="LateStartThreshold"/> after they came due: a connection that
    /// freed just after, or a probe that could not keep up with its rate. Their latency counts from when they came due.
    /// Always 0 in the closed loop, where nothing is due.
    /// </summary>
    public long LateStarts { get; init; }

    /// <summary>How late a start must be to count in <see cref="LateStarts"/>: 1 ms.</summary>
    public static TimeSpan LateStartThreshold { get; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Open model: how long after coming due the requests started, or <see langword="null"/> for the closed loop.</summary>
    public LatencyHistogram? StartDelays { get; init; }

    /// <summary>
    /// Open model: requests that came due but have no outcome: never sent because every connection was busy when they came
    /// due (<see cref="HttpLoadProbeOptions.DropAfter"/>), or cut off by the run's time cap. A run with drops did not
    /// generate its rate.
    /// </summary>
    public long Dropped { get; init; }
}
