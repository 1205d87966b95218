namespace ReleaseGates;

/// <summary>Decides a saved report again, from its evidence.</summary>
public static class ReleaseReportReplayExtensions
{
    /// <summary>
    /// Re-evaluates every saved measurement's condition against its saved value and baseline, re-derives each gate's
    /// status and decides again with the saved scoring settings. A report written by this library replays to the same decision.
    /// </summary>
    /// <param name="report">The saved report.</param>
    /// <returns>A new report with the recomputed statuses, scores and decision.</returns>
    public static ReleaseReport Replay(this ReleaseReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return ReportReplay.Replay(report, report.Scoring);
    }

    /// <summary>
    /// Decides a saved report again under other scoring settings (a stricter pass score, other category weights): the
    /// evidence is re-judged as by <see cref="Replay(ReleaseReport)"/>, and the new report carries <paramref name="scoring"/>.
    /// </summary>
    /// <param name="report">The saved report.</param>
    /// <param name="scoring">The settings to decide with; validated, and copied into the new report.</param>
    /// <returns>A new report with the recomputed statuses, scores and decision.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The settings are invalid; every problem is listed.</exception>
    public static ReleaseReport Replay(this ReleaseReport report, ScoringOptions scoring)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(scoring);
        var problems = new List<string>();
        scoring.Validate(problems);
        if (problems.Count > 0)
        {
            throw new ReleaseGatesConfigurationException("The scoring settings are invalid", problems);
        }

        return ReportReplay.Replay(report, scoring.Copy());
    }
}
