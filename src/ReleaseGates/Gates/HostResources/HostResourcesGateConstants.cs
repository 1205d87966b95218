namespace ReleaseGates;

/// <summary>The host-resources gate's finding codes, each listed on its docs page, and where that page is.</summary>
internal static class HostResourcesGateConstants
{
    /// <summary>The gate's page, which documents every finding code below.</summary>
    public const string DocsPage = "docs/gates/host-resources.md";
}
