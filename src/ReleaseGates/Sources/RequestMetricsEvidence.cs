namespace ReleaseGates;

/// <summary>What a request-metrics source says about its own read, added to the result of the gate that read it.</summary>
internal static class RequestMetricsEvidence
{
    /// <summary>
    /// <paramref name="result"/> with the source's measurements and findings, and inconclusive instead of a pass or a
    /// warning when the source says its measurement cannot be trusted (<see cref="RequestMetrics.InconclusiveReason"/>).
    /// </summary>
    public static GateResult WithSourceEvidence(this GateResult result, RequestMetrics metrics, string? side = null) =>
        result.WithSourceEvidence(metrics.SourceMeasurements, metrics.SourceFindings, side, metrics.InconclusiveReason);
}
