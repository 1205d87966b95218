namespace ReleaseGates;

/// <summary>The latency gate's finding codes, each listed on its docs page, and where that page is.</summary>
internal static class LatencyGateConstants
{
    /// <summary>The gate's page, which documents every finding code below.</summary>
    public const string DocsPage = "docs/gates/latency.md";

    public const string LatencyNoData = "latency.no-data";

    public const string LatencySustained = "latency.sustained";

    public const string LatencySustainedInsufficientData = "latency.sustained-insufficient-data";
}
