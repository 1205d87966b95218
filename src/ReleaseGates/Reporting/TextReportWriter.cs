using System.Globalization;
using System.Text;

namespace ReleaseGates;

/// <summary>Plain-text rendering for consoles and exception messages.</summary>
internal static class TextReportWriter
{
    private static readonly string[] GateHeader = ["Gate", "Category", "Importance", "Status", "Time", "Summary"];
    private static readonly string[] ShortfallHeader = ["Gate", "Status", "What", "Actual", "Threshold"];

    public static string Write(ReleaseReport report)
    {
        var sb = new StringBuilder();
        sb.Append("Release decision: ").Append(ReleaseDecisions.Label(report.Decision));
        sb.Append("  (score ").Append(FormatScore(report.Score)).Append(", pass ").Append(ReleaseScoring.Format(report.Scoring.PassScore));
        sb.Append(", warning ").Append(ReleaseScoring.Format(report.Scoring.WarningScore)).AppendLine(")");
        var subject = SubjectLine(report.Subject);
        if (subject.Length > 0)
        {
            sb.AppendLine(IO.ReportText.Line(subject));
        }

        foreach (var reason in report.Reasons)
        {
            sb.Append("  - ").AppendLine(IO.ReportText.Line(reason));
        }

        sb.AppendLine();
        var rows = new List<string[]> { GateHeader.ToArray() };
        rows.AddRange(report.Gates.Select(g => new[]
        {
            g.Name + (g.ReportOnly ? " (report-only)" : ""), g.Category, g.Importance.ToString(), StatusLabel(g.Status),
            FormatDuration(g.Duration), g.Summary,
        }));
        AppendTable(sb, rows);

        if (report.Categories.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine(IO.ReportText.Line("Category scores: " + string.Join(", ", report.Categories.Select(c => $"{c.Category} {FormatScore(c.Score)}"))));
        }

        var shortfalls = Shortfalls(report);
        if (shortfalls.Count > 1)
        {
            sb.AppendLine();
            sb.AppendLine("What fell short:");
            AppendTable(sb, shortfalls);
        }

        return sb.ToString();
    }

    /// <summary>The table <see cref="ReleaseReport.EnsureGo"/> throws with: the decision, its reasons and every measurement or finding that fell short.</summary>
    public static string ShortfallTable(ReleaseReport report)
    {
        var sb = new StringBuilder();
        sb.Append("Release is ").Append(ReleaseDecisions.Label(report.Decision)).Append(" (score ").Append(FormatScore(report.Score)).AppendLine(").");
        foreach (var reason in report.Reasons)
        {
            sb.Append("  - ").AppendLine(IO.ReportText.Line(reason));
        }

        var rows = Shortfalls(report);
        if (rows.Count > 1)
        {
            sb.AppendLine();
            AppendTable(sb, rows);
        }

        return sb.ToString().TrimEnd();
    }

    /// <summary>A header row plus one row per measurement or finding that did not pass, and one per errored or skipped gate.</summary>
    internal static List<string[]> Shortfalls(ReleaseReport report)
    {
        var rows = new List<string[]> { ShortfallHeader.ToArray() };
        foreach (var gate in report.Gates.Where(g => g.Status != GateStatus.Passed))
        {
            var before = rows.Count;
            foreach (var m in gate.Measurements.Where(m => m.Status != GateStatus.Passed))
            {
                rows.Add([gate.Name, StatusLabel(m.Status), m.Target is null ? m.Name : $"{m.Name} [{m.Target}]", MetricUnits.Format(m.Value, m.Unit), m.Condition?.ToString() ?? ""]);
            }

            foreach (var f in gate.Findings.Where(f => f.Severity != FindingSeverity.Info))
            {
                rows.Add([gate.Name, StatusLabel(f.ImpliedStatus), f.Code + (f.Target is null ? "" : $" [{f.Target}]"), f.Message + (f.Observed is null ? "" : $" Seen: {f.Observed}.") + (f.Remediation is null ? "" : $" Fix: {f.Remediation}"), ""]);
            }

            if (rows.Count == before)
            {
                rows.Add([gate.Name, StatusLabel(gate.Status), "gate", gate.Summary, ""]);
            }
        }

        return rows;
    }

    internal static string StatusLabel(GateStatus status) => status switch
    {
        GateStatus.Passed => "PASS",
        GateStatus.Warning => "WARN",
        GateStatus.Failed => "FAIL",
        GateStatus.Error => "ERROR",
        GateStatus.Skipped => "SKIP",
        _ => status.ToString(),
    };

    internal static string FormatScore(double? score) => score is { } s ? ReleaseScoring.Format(s) : "n/a";

    internal static string FormatDuration(TimeSpan t) => t.TotalSeconds >= 1
        ? t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"
        : t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";

    internal static string SubjectLine(ReleaseSubject subject)
    {
        var parts = new List<string>();
        if (subject.Service is { } s) parts.Add(s);
        if (subject.Version is { } v) parts.Add("version " + v);
        if (subject.Commit is { } c) parts.Add("commit " + (c.Length > 12 ? c[..12] : c));
        if (subject.Environment is { } e) parts.Add("to " + e);
        return string.Join(", ", parts);
    }

    private static void AppendTable(StringBuilder sb, List<string[]> rows)
    {
        const int MaxCell = 80;
        var cells = rows.Select(r => r.Select(IO.ReportText.Line).Select(c => c.Length > MaxCell ? c[..(MaxCell - 1)] + "…" : c).ToArray()).ToList();
        var widths = Enumerable.Range(0, cells[0].Length).Select(i => cells.Max(r => r[i].Length)).ToArray();
        for (var r = 0; r < cells.Count; r++)
        {
            sb.Append("  ");
            for (var i = 0; i < widths.Length; i++)
            {
                sb.Append(cells[r][i].PadRight(widths[i]));
                if (i < widths.Length - 1) sb.Append("  ");
            }

            sb.Length = sb.ToString().TrimEnd().Length;
            sb.AppendLine();
            if (r == 0)
            {
                sb.Append("  ").AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
            }
        }
    }
}
