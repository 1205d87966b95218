namespace ReleaseGates;

/// <summary>The health-checks gate's finding codes, each listed on its docs page, and where that page is.</summary>
internal static class HealthChecksGateConstants
{
    /// <summary>The gate's page, which documents every finding code below.</summary>
    public const string DocsPage = "docs/gates/health-checks.md";

    public const string HealthDegraded = "health.degraded";

    public const string HealthUnhealthy = "health.unhealthy";
}
