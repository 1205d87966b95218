using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReleaseGates.Cli;

/// <summary>
/// What changed between two reports: gates and measurements that regressed or improved (by status first, then, at the
/// same status, by the measured value in the direction its condition prefers), and gates that appeared or disappeared.
/// </summary>
internal sealed class ReportComparison
{
    private ReportComparison(List<Change> changes, ReleaseReport old, ReleaseReport @new)
    {
        Changes = changes;
        Old = old;
        New = @new;
    }

    public List<Change> Changes { get; }

    public ReleaseReport Old { get; }

    public ReleaseReport New { get; }

    public bool HasRegressions => Changes.Any(c => c.Kind is ChangeKind.Regressed or ChangeKind.Disappeared);

    public static ReportComparison Compare(ReleaseReport old, ReleaseReport @new)
    {
        var changes = new List<Change>();
        if (Rank(@new.Decision) != Rank(old.Decision))
        {
            changes.Add(new Change(Rank(@new.Decision) < Rank(old.Decision) ? ChangeKind.Regressed : ChangeKind.Improved, "(decision)", null, Decision(old.Decision), Decision(@new.Decision)));
        }

        foreach (var gate in @new.Gates)
        {
            if (old.FindGate(gate.Name) is not { } before)
            {
                changes.Add(new Change(ChangeKind.Appeared, gate.Name, null, null, gate.Status.ToString()));
                continue;
            }

            if (Rank(gate.Status) != Rank(before.Status))
            {
                changes.Add(new Change(Rank(gate.Status) < Rank(before.Status) ? ChangeKind.Regressed : ChangeKind.Improved, gate.Name, null, before.Status.ToString(), gate.Status.ToString()));
            }

            CompareMeasurements(before, gate, changes);
        }

        changes.AddRange(old.Gates.Where(g => @new.FindGate(g.Name) is null).Select(g => new Change(ChangeKind.Disappeared, g.Name, null, g.Status.ToString(), null)));
        return new ReportComparison(changes, old, @new);
    }

    public string ToText()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Decision(Old.Decision)} -> {Decision(New.Decision)}: ");
        text.AppendLine(string.Join(", ", Enum.GetValues<ChangeKind>().Select(k => $"{Changes.Count(c => c.Kind == k)} {k.ToString().ToLowerInvariant()}")));
        if (Changes.Count == 0)
        {
            return text.Append("No gate or measurement changed.").ToString();
        }

        var rows = Changes.Select(c => new[] { c.Kind.ToString().ToLowerInvariant(), c.Gate, c.Measurement ?? "", c.Before ?? "-", c.After ?? "-" }).ToList();
        rows.Insert(0, ["change", "gate", "measurement", "before", "after"]);
        var widths = Enumerable.Range(0, 5).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }

        return text.ToString().TrimEnd();
    }

    public string ToJson()
    {
        var json = new JsonObject
        {
            ["old"] = new JsonObject { ["decision"] = Decision(Old.Decision), ["score"] = Old.Score },
            ["new"] = new JsonObject { ["decision"] = Decision(New.Decision), ["score"] = New.Score },
            ["changes"] = new JsonArray([.. Changes.Select(c => (JsonNode)new JsonObject
            {
                ["change"] = c.Kind.ToString().ToLowerInvariant(),
                ["gate"] = c.Gate,
                ["measurement"] = c.Measurement,
                ["before"] = c.Before,
                ["after"] = c.After,
            })]),
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static void CompareMeasurements(GateReport before, GateReport after, List<Change> changes)
    {
        foreach (var measurement in after.Measurements)
        {
            var previous = before.Measurements.FirstOrDefault(m => m.Name == measurement.Name && m.Unit == measurement.Unit);
            if (previous is null || (previous.Value.Equals(measurement.Value) && previous.Status == measurement.Status))
            {
                continue;
            }

            var rank = Rank(measurement.Status).CompareTo(Rank(previous.Status));
            if (rank == 0 && measurement.Condition is { } condition)
            {
                // At the same status, the direction the condition prefers: lower for < and <=, higher for > and >=.
                var lowerIsBetter = condition.Operator is ComparisonOperator.LessThan or ComparisonOperator.LessThanOrEqual;
                var higherIsBetter = condition.Operator is ComparisonOperator.GreaterThan or ComparisonOperator.GreaterThanOrEqual;
                rank = lowerIsBetter ? previous.Value.CompareTo(measurement.Value) : higherIsBetter ? measurement.Value.CompareTo(previous.Value) : 0;
            }

            if (rank != 0)
            {
                changes.Add(new Change(rank < 0 ? ChangeKind.Regressed : ChangeKind.Improved, after.Name, measurement.Name, Format(previous), Format(measurement)));
            }
        }
    }

    private static string Format(Measurement m) => $"{m.Value.ToString("G6", CultureInfo.InvariantCulture)} {m.Unit} ({m.Status})";

    private static string Decision(ReleaseDecision decision) => decision switch
    {
        ReleaseDecision.Go => "GO",
        ReleaseDecision.GoWithWarnings => "GO WITH WARNINGS",
        _ => "NO-GO",
    };

    private static int Rank(ReleaseDecision decision) => decision switch
    {
        ReleaseDecision.Go => 2,
        ReleaseDecision.GoWithWarnings => 1,
        _ => 0,
    };

    /// <summary>Passed above warning above skipped (inconclusive) above failed and error, which are equally bad.</summary>
    private static int Rank(GateStatus status) => status switch
    {
        GateStatus.Passed => 3,
        GateStatus.Warning => 2,
        GateStatus.Skipped => 1,
        _ => 0,
    };

    internal enum ChangeKind
    {
        Regressed,
        Improved,
        Appeared,
        Disappeared,
    }

    internal sealed record Change(ChangeKind Kind, string Gate, string? Measurement, string? Before, string? After);
}
