namespace ReleaseGates;

/// <summary>The load probe's finding codes, listed on its docs page.</summary>
internal static class LoadProbeConstants
{
    /// <summary>The page that documents every finding code below.</summary>
    public const string DocsPage = "docs/gates/latency.md";

    /// <summary>How the probe sent its requests (closed loop or open model), as evidence.</summary>
    public const string Model = "load.model";

    /// <summary>The open model did not send every request that came due: the gate cannot pass on it (it is inconclusive, the status says so).</summary>
    public const string RateNotGenerated = "load.rate-not-generated";
}
