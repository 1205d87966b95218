using System.Globalization;

namespace ReleaseGates;

/// <summary>The waiver tables every human-readable writer shows: each configured waiver with its state, and what they covered.</summary>
internal static class WaiverRows
{
    private static readonly string[] WaiverHeader = ["Waiver", "State", "Gate", "Covers", "Approved by", "Last day", "Reason"];
    private static readonly string[] CoveredHeader = ["Gate", "Waiver", "What", "Actual"];

    /// <summary>A header row plus one row per configured waiver; just the header when there are none.</summary>
    public static List<string[]> Waivers(ReleaseReport report)
    {
        var rows = new List<string[]> { WaiverHeader.ToArray() };
        rows.AddRange(report.Waivers.Select(w => new[]
        {
            w.Waiver.Id, State(w, DateOnly.FromDateTime(report.StartedAt.UtcDateTime)), w.Waiver.Gate, Covers(w.Waiver), w.Waiver.ApprovedBy,
            w.Waiver.Expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            w.Waiver.Reason + (w.Waiver.Link is { } link ? $" ({link.OriginalString})" : ""),
        }));
        return rows;
    }

    /// <summary>A header row plus one row per finding or measurement a waiver covered, with the value that fell short.</summary>
    public static List<string[]> Covered(ReleaseReport report)
    {
        var rows = new List<string[]> { CoveredHeader.ToArray() };
        foreach (var gate in report.Gates)
        {
            foreach (var m in gate.Measurements.Where(m => m.WaivedBy is not null))
            {
                var threshold = ReportView.Threshold(m, report.BaselineSubject);
                rows.Add([gate.Name, m.WaivedBy!, m.Target is null ? m.Name : $"{m.Name} [{m.Target}]",
                    MetricUnitFormat.Format(m.Value, m.Unit) + (threshold.Length == 0 ? "" : $" against {threshold}")]);
            }

            foreach (var f in gate.Findings.Where(f => f.WaivedBy is not null))
            {
                rows.Add([gate.Name, f.WaivedBy!, f.Code + (f.Location is null ? "" : $" [{f.Location}]"), ReportView.Describe(f)]);
            }
        }

        return rows;
    }

    /// <summary>A one-line count for a report's head: <c>2 waivers applied, 1 expired</c>; empty without waivers.</summary>
    public static string Summary(ReleaseReport report)
    {
        var parts = new[] { WaiverState.Applied, WaiverState.Unused, WaiverState.Expired }
            .Select(state => (State: state, Count: report.Waivers.Count(w => w.State == state)))
            .Where(p => p.Count > 0)
            .Select(p => $"{p.Count} {p.State.ToString().ToLowerInvariant()}");
        var text = string.Join(", ", parts);
        return text.Length == 0 ? "" : $"Waivers: {text}";
    }

    /// <summary>What the waiver did, and for one in force how long it still holds: an exception about to lapse is seen before it does.</summary>
    private static string State(WaiverReport w, DateOnly day)
    {
        var left = w.Waiver.Expires.DayNumber - day.DayNumber;
        var holds = left switch
        {
            < 0 => "",
            0 => ", last day today",
            1 => ", 1 day left",
            _ => $", {left.ToString(CultureInfo.InvariantCulture)} days left",
        };
        return w.State switch
        {
            WaiverState.Applied => $"applied ({w.Matches}){holds}",
            WaiverState.Expired when w.Matches > 0 => $"EXPIRED: {w.Matches} count{(w.Matches == 1 ? "s" : "")} again",
            WaiverState.Expired => "expired",
            _ => $"unused{holds}",
        };
    }

    private static string Covers(Waiver w)
        => (w.Finding is { } code ? $"finding {code}" : $"measurement {w.Measurement}") + (w.Target is { } target ? $" [{target}]" : "");
}
