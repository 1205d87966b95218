namespace ReleaseGates;

/// <summary>Thrown by <see cref="ReleaseReport.EnsureGo"/>: the message is a readable table of everything that fell short.</summary>
public sealed class ReleaseNotReadyException : Exception
{
    /// <summary>Creates the exception for a report.</summary>
    /// <param name="report">The report that is not GO.</param>
    public ReleaseNotReadyException(ReleaseReport report)
        : base(TextReportWriter.ShortfallTable(report ?? throw new ArgumentNullException(nameof(report))))
    {
        Report = report;
    }

    /// <summary>The report.</summary>
    public ReleaseReport Report { get; }
}
