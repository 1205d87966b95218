using System.Globalization;

namespace ReleaseGates;

/// <summary>
/// The scoring and the decision rule, as pure functions of gate reports and scoring settings (see <c>docs/scoring.md</c>).
/// A gate's own status is <see cref="GateVerdict"/>'s; replaying a saved report is <see cref="ReportReplay"/>'s.
/// </summary>
internal static class ReleaseScoring
{
    internal sealed record Outcome(
        ReleaseDecision Decision,
        double? Score,
        IReadOnlyList<CategoryScore> Categories,
        IReadOnlyList<ImportanceScore> Importances,
        IReadOnlyList<string> Reasons,
        IReadOnlyList<string> DecidingGates);

    /// <summary>
    /// The score of one gate, <see langword="null"/> when not scored. By status: passed 100, warning
    /// <see cref="ScoringOptions.WarningGateScore"/>, failed and error 0. By objectives: the share of its objectives met
    /// (see <see cref="ObjectiveShare"/>), unless it has none or its status is worse than they show (a gate that fails on
    /// its own judgement scores by its status, never better).
    /// </summary>
    public static double? GateScore(GateReport gate, ScoringOptions scoring)
    {
        if (!gate.IsScored)
        {
            return null;
        }

        if (scoring.Method == ScoringMethod.Objectives
            && gate.Status != GateStatus.Error
            && GateVerdict.FromEvidence(gate.Measurements, gate.Findings) == gate.Status
            && ObjectiveShare(gate) is { } share)
        {
            return 100 * share;
        }

        return gate.Status switch
        {
            GateStatus.Passed => 100,
            GateStatus.Warning => scoring.WarningGateScore,
            _ => 0,
        };
    }

    /// <summary>
    /// Keptn's objectives of a gate: each measurement held to a condition and each error or warning finding, scored 1 when
    /// met, 0.5 for a warning and 0 otherwise; their mean, or <see langword="null"/> when the gate has none.
    /// </summary>
    internal static double? ObjectiveShare(GateReport gate)
    {
        double met = 0;
        var count = 0;
        foreach (var m in gate.Measurements.Where(m => m.Condition is not null))
        {
            met += m.ImpliedStatus switch { GateStatus.Passed => 1, GateStatus.Warning => 0.5, _ => 0 };
            count++;
        }

        foreach (var f in gate.Findings.Where(f => f.Severity != FindingSeverity.Info))
        {
            met += f.WaivedBy is not null ? 1 : f.Severity == FindingSeverity.Warning ? 0.5 : 0;
            count++;
        }

        return count == 0 ? null : met / count;
    }

    public static Outcome Decide(IReadOnlyList<GateReport> gates, ScoringOptions scoring)
    {
        var categories = ScoreCategories(gates, scoring);
        var importances = ScoreImportances(gates, scoring);
        var objectives = scoring.Method == ScoringMethod.Objectives;
        double weighted = 0, totalWeight = 0;
        foreach (var c in categories)
        {
            if (c.Score is { } s)
            {
                weighted += s * c.Weight;
                totalWeight += c.Weight;
            }
        }

        double? score = totalWeight > 0 ? weighted / totalWeight : null;

        var noGo = new List<string>();
        var warnings = new List<string>();
        var noGoGates = new List<string>();
        var warningGates = new List<string>();
        foreach (var gate in gates)
        {
            if (gate.ReportOnly)
            {
                continue;
            }

            var required = gate.Importance == GateImportance.Required;
            switch (gate.Status)
            {
                case GateStatus.Failed or GateStatus.Error when required:
                    noGo.Add($"Required gate '{gate.Name}' {Verb(gate.Status)}: {gate.Summary}");
                    noGoGates.Add(gate.Name);
                    break;
                case GateStatus.Failed or GateStatus.Error when !objectives:
                    warnings.Add($"{gate.Importance} gate '{gate.Name}' {Verb(gate.Status)}: {gate.Summary}");
                    warningGates.Add(gate.Name);
                    break;
                case GateStatus.Warning when !objectives:
                    warnings.Add($"Gate '{gate.Name}' warned: {gate.Summary}");
                    warningGates.Add(gate.Name);
                    break;
                case GateStatus.Skipped when required:
                    warnings.Add($"Required gate '{gate.Name}' was inconclusive: {gate.Summary}");
                    warningGates.Add(gate.Name);
                    break;
            }
        }

        if (score is null)
        {
            noGo.Add("No gate was scored: every gate was skipped or report-only, so nothing shows the release is ready.");
        }
        else if (score < scoring.WarningScore)
        {
            noGo.Add($"Score {ReportFormat.Number(score.Value)} is below the warning score {ReportFormat.Number(scoring.WarningScore)}.");
            noGoGates.AddRange(gates.Where(g => g.IsScored && g.Status != GateStatus.Passed).Select(g => g.Name));
        }
        else if (score < scoring.PassScore)
        {
            warnings.Add($"Score {ReportFormat.Number(score.Value)} is below the pass score {ReportFormat.Number(scoring.PassScore)}.");
        }

        if (noGo.Count > 0)
        {
            return new Outcome(ReleaseDecision.NoGo, score, categories, importances, [.. noGo, .. warnings],
                noGoGates.Distinct(StringComparer.Ordinal).ToArray());
        }

        if (warnings.Count > 0)
        {
            return new Outcome(ReleaseDecision.GoWithWarnings, score, categories, importances, warnings,
                warningGates.Distinct(StringComparer.Ordinal).ToArray());
        }

        return new Outcome(ReleaseDecision.Go, score, categories, importances, [], []);
    }

    /// <summary>The weighted mean score of each importance tier's scored gates, most important first; tiers without gates are left out.</summary>
    public static IReadOnlyList<ImportanceScore> ScoreImportances(IReadOnlyList<GateReport> gates, ScoringOptions scoring)
        => gates.Where(g => !g.ReportOnly).GroupBy(g => g.Importance).OrderBy(g => g.Key)
            .Select(group => new ImportanceScore(group.Key, WeightedScore(group, scoring).Score, group.Count()))
            .ToArray();

    /// <summary>
    /// The gate-weighted mean score of the scored gates among <paramref name="gates"/>, and the weight behind it; no
    /// score when none is scored.
    /// </summary>
    private static (double? Score, double Weight) WeightedScore(IEnumerable<GateReport> gates, ScoringOptions scoring)
    {
        double weighted = 0, weight = 0;
        foreach (var gate in gates)
        {
            if (GateScore(gate, scoring) is { } s)
            {
                weighted += s * gate.Weight;
                weight += gate.Weight;
            }
        }

        return (weight > 0 ? weighted / weight : null, weight);
    }

    public static IReadOnlyList<CategoryScore> ScoreCategories(IReadOnlyList<GateReport> gates, ScoringOptions scoring)
    {
        var result = new List<CategoryScore>();
        foreach (var group in gates.GroupBy(g => g.Category, StringComparer.OrdinalIgnoreCase))
        {
            var (score, weight) = WeightedScore(group, scoring);
            var categoryWeight = scoring.CategoryWeights.TryGetValue(group.Key, out var w) ? w : weight;
            result.Add(new CategoryScore(group.Key, score, categoryWeight, group.Count()));
        }

        return result;
    }

    private static string Verb(GateStatus status) => status == GateStatus.Error ? "could not be evaluated" : "failed";
}
