namespace ReleaseGates;

/// <summary>The fleet source's finding codes, listed on its docs page.</summary>
internal static class FleetConstants
{
    /// <summary>The page that documents every finding code below.</summary>
    public const string DocsPage = "docs/metrics.md";

    public const string InstanceMissing = "fleet.instance-missing";
}
