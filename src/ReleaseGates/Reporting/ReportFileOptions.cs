namespace ReleaseGates;

/// <summary>
/// What the report files written by <see cref="ReleaseReport.WriteToDirectoryAsync(string, ReportFileOptions, CancellationToken)"/>
/// point at.
/// </summary>
public sealed class ReportFileOptions
{
    /// <summary>
    /// The file, relative to the repository root, that SARIF results and GitLab Code Quality issues without a file of their
    /// own are located in (the pipeline's <c>releasegates.json</c>): GitHub code scanning and GitLab need a file for each.
    /// <see langword="null"/>: SARIF gives such results only their logical location, GitLab's file names <c>releasegates.json</c>.
    /// </summary>
    public string? SourceFile { get; init; }

    /// <summary>
    /// The http(s) address of the full report (the CI run's page, or where <c>report.html</c> is published) that
    /// <c>report.comment.md</c> links to; <see langword="null"/> for no link.
    /// </summary>
    public Uri? FullReportUrl { get; init; }
}
