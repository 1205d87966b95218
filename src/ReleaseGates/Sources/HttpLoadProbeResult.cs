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
}
