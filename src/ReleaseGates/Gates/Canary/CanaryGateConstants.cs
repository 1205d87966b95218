namespace ReleaseGates;

/// <summary>The canary judge's finding codes, each listed on its docs page, and where that page is.</summary>
internal static class CanaryGateConstants
{
    /// <summary>The gate's page, which documents every finding code below.</summary>
    public const string DocsPage = "docs/gates/canary.md";

    public const string Slower = "canary.slower";

    public const string MoreErrors = "canary.more-errors";

    public const string Inconclusive = "canary.inconclusive";

    public const string TooFewSamples = "canary.too-few-samples";

    public const string MetricChanged = "canary.metric-changed";

    public const string MetricMissing = "canary.metric-missing";
}
