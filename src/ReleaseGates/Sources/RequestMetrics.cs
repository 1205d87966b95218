using ReleaseGates.Metrics;

namespace ReleaseGates;

/// <summary>A snapshot of request metrics read from a source.</summary>
public sealed class RequestMetrics
{
    /// <summary>Latencies, or <see langword="null"/> when the source has none.</summary>
    public LatencyHistogram? Latency { get; init; }

    /// <summary>
    /// Latency statistics in milliseconds by metric name (<c>avg</c>, <c>min</c>, <c>med</c>, <c>max</c>, <c>p(95)</c>, …) for
    /// sources that have no histogram, only a summary (a k6 summary export). Used when <see cref="Latency"/> is null.
    /// </summary>
    public IReadOnlyDictionary<string, double>? LatencyStatistics { get; init; }

    /// <summary>
    /// Latencies as classic histogram buckets (a metrics system such as Prometheus), for sources that keep no exact
    /// histogram: percentiles are interpolated inside a bucket and the report says between which bounds. Used when
    /// <see cref="Latency"/> is null.
    /// </summary>
    public LatencyBuckets? LatencyBuckets { get; init; }

    /// <summary>Requests seen.</summary>
    public long Total { get; init; }

    /// <summary>Requests classified as errors, or <see langword="null"/> when the source cannot tell.</summary>
    public long? Errors { get; init; }

    /// <summary>The measured window, or <see langword="null"/> when unknown.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Per-interval counts, or <see langword="null"/>.</summary>
    public RequestWindows? Windows { get; init; }

    /// <summary>
    /// Evidence about the read itself that the reading gate adds to its own: how many instances of a fleet answered, the
    /// step and queries of a Prometheus range read. Default: none.
    /// </summary>
    public IReadOnlyList<Measurement> SourceMeasurements { get; init; } = [];

    /// <summary>
    /// What the source noticed while reading, added to the reading gate's findings (an instance of a fleet that did not
    /// answer: a warning, so a partial fleet is never a clean pass). Default: none.
    /// </summary>
    public IReadOnlyList<Finding> SourceFindings { get; init; } = [];

    /// <summary>
    /// Why the source's own measurement cannot be trusted to pass a gate (an open-model load probe that did not generate
    /// its rate), or <see langword="null"/>. A gate that reads it and would pass or warn is inconclusive
    /// (<see cref="GateStatus.Skipped"/>) instead; a failure stands. Default: none.
    /// </summary>
    public string? InconclusiveReason { get; init; }
}
