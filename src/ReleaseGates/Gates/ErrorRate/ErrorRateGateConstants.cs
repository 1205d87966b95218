namespace ReleaseGates;

/// <summary>The error-rate gate's finding codes, each listed on its docs page, and where that page is.</summary>
internal static class ErrorRateGateConstants
{
    /// <summary>The gate's page, which documents every finding code below.</summary>
    public const string DocsPage = "docs/gates/error-rate.md";

    public const string ErrorRateBurnRate = "error-rate.burn-rate";

    public const string ErrorRateBurnRateInconclusive = "error-rate.burn-rate-inconclusive";

    public const string ErrorRateNoData = "error-rate.no-data";

    public const string ErrorRateSustained = "error-rate.sustained";

    public const string ErrorRateSustainedInsufficientData = "error-rate.sustained-insufficient-data";
}
