namespace ReleaseGates;

/// <summary>
/// A saved report decided again from its own evidence: each gate's status by <see cref="GateVerdict"/> (keeping what
/// the gate claimed beyond its evidence), the report's waivers applied again on the day it was evaluated, and the
/// decision by <see cref="ReleaseScoring"/>. Used by <c>Replay()</c> and whenever a report is read from JSON.
/// </summary>
internal static class ReportReplay
{
    /// <summary>Re-derives every gate's status from its saved measurements and findings, then decides again.</summary>
    public static ReleaseReport Replay(ReleaseReport report, ScoringOptions scoring)
    {
        // The report's own waivers are applied again on the day it was evaluated: a mark none of them accounts for is cleared.
        var waived = WaiverApplication.Apply(report.Gates.Select(ReplayGate).ToArray(), report.Waivers.Select(w => w.Waiver).ToArray(),
            DateOnly.FromDateTime(report.StartedAt.UtcDateTime));
        var gates = waived.Gates;
        var outcome = ReleaseScoring.Decide(gates, scoring);
        var (decision, reasons) = HistoryVerdict.Apply(outcome.Decision, outcome.Reasons, report.History);
        return new ReleaseReport
        {
            SchemaVersion = report.SchemaVersion,
            Subject = report.Subject,
            BaselineSubject = report.BaselineSubject,
            StartedAt = report.StartedAt,
            Duration = report.Duration,
            Scoring = scoring.Copy(),
            Gates = gates,
            // A watch's verdict came from rounds the report no longer holds: replaying the last round cannot better it.
            Decision = report.Watch is { } watch && watch.Decision < decision ? watch.Decision : decision,
            Score = outcome.Score,
            Categories = outcome.Categories,
            Importances = outcome.Importances,
            Reasons = report.Watch is { } w && w.Decision < decision ? [w.Reason, .. reasons] : reasons,
            DecidingGates = outcome.DecidingGates,
            Waivers = waived.Waivers,
            Watch = report.Watch,
            History = report.History,
        };
    }

    private static GateReport ReplayGate(GateReport gate)
    {
        // An Error is a fact about the run (the gate could not evaluate); it replays as it was.
        if (gate.Status == GateStatus.Error)
        {
            return gate;
        }

        // A gate may be stricter than its evidence (a custom gate failing for a reason it did not measure, a Skipped
        // gate): that intrinsic part of the saved status is kept, the evidence-derived part is recomputed, exactly as
        // Settle did live, so that a report replays to its own decision unless a value or condition was edited.
        var (status, measurements) = GateVerdict.Settle(gate.IntrinsicStatus, gate.Measurements, gate.Findings);
        return gate.WithOutcome(status, gate.Summary, measurements, gate.Findings);
    }
}
