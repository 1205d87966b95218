using System.Text;

namespace ReleaseGates;

/// <summary>Markdown for a CI job summary (GitHub <c>$GITHUB_STEP_SUMMARY</c>, Azure Pipelines <c>##vso[task.uploadsummary]</c>).</summary>
internal static partial class MarkdownReportWriter
{
    public static string Write(ReleaseReport report)
    {
        var sb = new StringBuilder();
        var icon = report.Decision switch { ReleaseDecision.Go => "✅", ReleaseDecision.GoWithWarnings => "⚠️", _ => "❌" };
        sb.Append("## ").Append(icon).Append(' ').Append("Release decision: **").Append(ReportFormat.Decision(report.Decision)).AppendLine("**");
        sb.AppendLine();
        sb.Append("Score **").Append(ReportFormat.Score(report.Score)).Append("** (pass ").Append(ReportFormat.Number(report.Scoring.PassScore))
          .Append(", warning ").Append(ReportFormat.Number(report.Scoring.WarningScore)).Append(')');
        var subject = ReportView.SubjectLine(report.Subject);
        if (subject.Length > 0)
        {
            sb.Append(" · ").Append(Escape(subject));
        }

        sb.Append(" · ").Append(report.StartedAt.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture));
        if (WaiverRows.Summary(report) is { Length: > 0 } waivers)
        {
            sb.Append(" · ").Append(waivers);
        }

        sb.AppendLine();
        if (report.Reasons.Count > 0)
        {
            sb.AppendLine();
            foreach (var reason in report.Reasons)
            {
                sb.Append("- ").AppendLine(Escape(reason));
            }
        }

        if (ReportView.HistoryLines(report) is { Count: > 0 } history)
        {
            sb.AppendLine();
            foreach (var line in history)
            {
                sb.Append("> ").Append(Escape(line)).AppendLine("  ");
            }
        }

        sb.AppendLine();
        sb.AppendLine("| Gate | Category | Importance | Status | Time | Summary |");
        sb.AppendLine("|---|---|---|---|---|---|");
        foreach (var g in report.Gates)
        {
            sb.Append("| ").Append(Escape(g.Name)).Append(g.ReportOnly ? " _(report-only)_" : "")
              .Append(" | ").Append(Escape(g.Category))
              .Append(" | ").Append(g.Importance)
              .Append(" | ").Append(StatusCell(g.Status))
              .Append(" | ").Append(ReportView.FormatDuration(g.Duration))
              .Append(" | ").Append(Escape(g.Summary)).AppendLine(" |");
        }

        if (report.Categories.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("| Category | Score | Weight | Gates |");
            sb.AppendLine("|---|---:|---:|---:|");
            foreach (var c in report.Categories)
            {
                sb.Append("| ").Append(Escape(c.Category)).Append(" | ").Append(ReportFormat.Score(c.Score))
                  .Append(" | ").Append(ReportFormat.Number(c.Weight)).Append(" | ").Append(c.Gates).AppendLine(" |");
            }
        }

        if (report.Importances.Count > 1)
        {
            sb.AppendLine();
            sb.AppendLine("| Importance | Score | Gates |");
            sb.AppendLine("|---|---:|---:|");
            foreach (var i in report.Importances)
            {
                sb.Append("| ").Append(i.Importance).Append(" | ").Append(ReportFormat.Score(i.Score)).Append(" | ").Append(i.Gates).AppendLine(" |");
            }
        }

        if (ReportView.WatchRows(report) is { Count: > 1 } rounds)
        {
            sb.AppendLine();
            sb.Append("### Watch: ").Append(rounds.Count - 1).AppendLine(rounds.Count == 2 ? " round (the gates above are the last)"
                : " rounds (the gates above are the last)");
            sb.AppendLine();
            sb.AppendLine("| Round | Started | Decision | Counts as | What fell short |");
            sb.AppendLine("|---:|---|---|---|---|");
            foreach (var row in rounds.Skip(1))
            {
                sb.Append("| ").Append(string.Join(" | ", row.Select(Escape))).AppendLine(" |");
            }
        }

        AppendTable(sb, ReportView.Shortfalls(report), "### What fell short");
        AppendTable(sb, ReportView.Changes(report), "### Since the previous evaluation");

        AppendTable(sb, WaiverRows.Waivers(report), "### Waivers");
        AppendTable(sb, WaiverRows.Covered(report), "### What the waivers covered");

        // The notes of a gate that fell short are its evidence (every weakness and its fix): shown open. A passing gate's
        // notes are folded away.
        AppendNotes(sb, ReportView.Notes(report, g => g.Status != GateStatus.Passed), "### Notes on the gates that fell short", folded: false);
        AppendNotes(sb, ReportView.Notes(report, g => g.Status == GateStatus.Passed), "Notes on passing gates", folded: true);

        return sb.ToString();
    }

    /// <summary>A titled table of rows whose first is the header; nothing when there is no row under it.</summary>
    private static void AppendTable(StringBuilder sb, List<string[]> rows, string title)
    {
        if (rows.Count <= 1)
        {
            return;
        }

        sb.AppendLine();
        sb.AppendLine(title);
        sb.AppendLine();
        sb.Append("| ").Append(string.Join(" | ", rows[0])).AppendLine(" |");
        sb.Append('|').Append(string.Concat(rows[0].Select(_ => "---|"))).AppendLine();
        foreach (var row in rows.Skip(1))
        {
            sb.Append("| ").Append(string.Join(" | ", row.Select(Escape))).AppendLine(" |");
        }
    }

    private static void AppendNotes(StringBuilder sb, List<string[]> notes, string title, bool folded)
    {
        if (notes.Count <= 1)
        {
            return;
        }

        sb.AppendLine();
        sb.AppendLine(folded ? $"<details><summary>{title}: {notes.Count - 1} informational finding{(notes.Count == 2 ? "" : "s")}</summary>" : title);
        sb.AppendLine();
        sb.AppendLine("| Gate | Finding | Detail |");
        sb.AppendLine("|---|---|---|");
        foreach (var row in notes.Skip(1))
        {
            sb.Append("| ").Append(string.Join(" | ", row.Select(Escape))).AppendLine(" |");
        }

        if (folded)
        {
            sb.AppendLine();
            sb.AppendLine("</details>");
        }
    }

    private static string StatusCell(GateStatus status) => status switch
    {
        GateStatus.Passed => "✅ Passed",
        GateStatus.Warning => "⚠️ Warning",
        GateStatus.Failed => "❌ Failed",
        GateStatus.Error => "💥 Error",
        _ => "⏭️ Skipped",
    };

    /// <summary>
    /// Keeps table cells intact: pipes and line breaks escaped, and '&lt;' only where it could open an HTML tag (so
    /// "p(95) &lt; 300ms" stays readable).
    /// </summary>
    internal static string Escape(string text)
    {
        var escaped = IO.ReportText.Line(text).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal)
            .Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
        return HtmlTagStart().Replace(escaped, "&lt;");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"<(?=[A-Za-z/!?])")]
    private static partial System.Text.RegularExpressions.Regex HtmlTagStart();
}
