namespace ReleaseGates;

/// <summary>The SLO gate's finding codes, each listed on its docs page, and where that page is.</summary>
internal static class SloGateConstants
{
    /// <summary>The gate's page, which documents every finding code below.</summary>
    public const string DocsPage = "docs/gates/slo.md";

    public const string BudgetSpent = "slo.budget-spent";

    public const string BurnRate = "slo.burn-rate";

    public const string BurnRateInconclusive = "slo.burn-rate-inconclusive";

    public const string RecordedRatios = "slo.recorded-ratios";
}
