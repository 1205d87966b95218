namespace ReleaseGates;

/// <summary>Finding codes of the metric gate.</summary>
internal static class MetricGateConstants
{
    /// <summary>The source had no value and <see cref="MetricGateOptions.NoDataStatus"/> is <see cref="GateStatus.Failed"/>.</summary>
    public const string NoData = "metric.no-data";

    /// <summary>The gate's documentation page.</summary>
    public const string DocsPage = "docs/gates/metric.md";
}
