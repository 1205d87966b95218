namespace ReleaseGates;

/// <summary>The test-results gate's finding codes, each listed on its docs page, and where that page is.</summary>
internal static class TestResultsGateConstants
{
    /// <summary>The gate's page, which documents every finding code below.</summary>
    public const string DocsPage = "docs/gates/test-results.md";

    public const string ResultsCountMismatch = "results.count-mismatch";

    public const string RunFailed = "run.failed";

    public const string TestError = "test.error";

    public const string TestFailed = "test.failed";

    public const string TestMoreFailures = "test.more-failures";

    public const string TestNoPassRate = "test.no-pass-rate";
}
