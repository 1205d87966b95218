namespace ReleaseGates;

/// <summary>The coverage gate's finding codes, each listed on its docs page, and where that page is.</summary>
internal static class CoverageGateConstants
{
    /// <summary>The gate's page, which documents every finding code below.</summary>
    public const string DocsPage = "docs/gates/coverage.md";

    public const string CoverageDiffNoCoverableLines = "coverage.diff-no-coverable-lines";

    public const string CoverageDiffUncovered = "coverage.diff-uncovered";

    public const string CoverageFileBelowMinimum = "coverage.file-below-minimum";

    public const string CoverageWorstFile = "coverage.worst-file";
}
