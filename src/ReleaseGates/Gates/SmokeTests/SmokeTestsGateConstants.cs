namespace ReleaseGates;

/// <summary>The smoke-tests gate's finding codes, each listed on its docs page, and where that page is.</summary>
internal static class SmokeTestsGateConstants
{
    /// <summary>The gate's page, which documents every finding code below.</summary>
    public const string DocsPage = "docs/gates/smoke-tests.md";
}
