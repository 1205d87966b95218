namespace ReleaseGates;

/// <summary>What the history adds to a decision, live and on replay alike: a baseline it could not read caps the decision at GO WITH WARNINGS.</summary>
internal static class HistoryVerdict
{
    public static (ReleaseDecision Decision, IReadOnlyList<string> Reasons) Apply(ReleaseDecision decision, IReadOnlyList<string> reasons,
        HistoryReport? history)
    {
        if (history?.BaselineError is not { } error)
        {
            return (decision, reasons);
        }

        return (decision == ReleaseDecision.Go ? ReleaseDecision.GoWithWarnings : decision,
            [$"History: the baseline ({history.BaselineRule}) could not be read, so no relative condition was compared: {error}", .. reasons]);
    }

    /// <summary>
    /// The decision an evaluation has as a baseline candidate: its decision with every relative condition that had no
    /// baseline to compare with counted as met. The first evaluation of a service (nothing to compare with yet) is then a
    /// passing baseline when all else passed, instead of GO WITH WARNINGS for ever after.
    /// </summary>
    public static ReleaseDecision BaselineDecision(IReadOnlyList<GateReport> gates, ScoringOptions scoring, ReleaseDecision decision)
    {
        static bool Uncompared(Measurement m) => m is { Status: GateStatus.Skipped, Baseline: null, Condition.IsRelative: true };
        if (!gates.Any(g => g.Measurements.Any(Uncompared)))
        {
            return decision;
        }

        var counted = gates.Select(g =>
        {
            if (!g.Measurements.Any(Uncompared))
            {
                return g;
            }

            var measurements = g.Measurements.Select(m => Uncompared(m) ? m with { Status = GateStatus.Passed } : m).ToArray();
            var status = GateVerdict.Worst(g.IntrinsicStatus, GateVerdict.FromEvidence(measurements, g.Findings));
            return g.WithOutcome(status, g.Summary, measurements, g.Findings);
        }).ToArray();
        var outcome = ReleaseScoring.Decide(counted, scoring);
        return outcome.Decision > decision ? outcome.Decision : decision;
    }
}
