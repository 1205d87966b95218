using System.Globalization;
using System.Text;

namespace ReleaseGates;

/// <summary>Plain-text rendering for consoles and exception messages: the layout only, over the rows of <see cref="ReportView"/>.</summary>
internal static class TextReportWriter
{
    private static readonly string[] GateHeader = ["Gate", "Category", "Importance", "Status", "Time", "Summary"];

    public static string Write(ReleaseReport report)
    {
        var sb = new StringBuilder();
        sb.Append("Release decision: ").Append(ReportFormat.Decision(report.Decision));
        sb.Append("  (score ").Append(ReportFormat.Score(report.Score)).Append(", pass ").Append(ReportFormat.Number(report.Scoring.PassScore));
        sb.Append(", warning ").Append(ReportFormat.Number(report.Scoring.WarningScore)).AppendLine(")");
        var subject = ReportView.SubjectLine(report.Subject);
        if (subject.Length > 0)
        {
            sb.AppendLine(IO.ReportText.Line(subject));
        }

        foreach (var reason in report.Reasons)
        {
            sb.Append("  - ").AppendLine(IO.ReportText.Line(reason));
        }

        if (WaiverRows.Summary(report) is { Length: > 0 } waivers)
        {
            sb.AppendLine(waivers);
        }

        foreach (var line in ReportView.HistoryLines(report))
        {
            sb.Append("  ").AppendLine(IO.ReportText.Line(line));
        }

        sb.AppendLine();
        var rows = new List<string[]> { GateHeader.ToArray() };
        rows.AddRange(report.Gates.Select(g => new[]
        {
            g.Name + (g.ReportOnly ? " (report-only)" : ""), g.Category, g.Importance.ToString(), ReportView.StatusLabel(g.Status),
            ReportView.FormatDuration(g.Duration), g.Summary,
        }));
        AppendTable(sb, rows);

        AppendScores(sb, report);

        if (ReportView.WatchRows(report) is { Count: > 1 } rounds)
        {
            sb.AppendLine();
            sb.Append("Watch: ").Append(rounds.Count - 1).AppendLine(" round(s); the gates above are the last round's.");
            AppendTable(sb, rounds);
        }

        AppendTitled(sb, ReportView.Shortfalls(report), "What fell short:");
        AppendTitled(sb, ReportView.Changes(report), "Since the previous evaluation:");

        AppendTitled(sb, WaiverRows.Waivers(report), "Waivers (every one configured):");
        AppendTitled(sb, WaiverRows.Covered(report), "What the waivers covered:");
        AppendTitled(sb, ReportView.Notes(report), "Notes (informational findings):");

        return sb.ToString();
    }

    /// <summary>The category scores, and the importance tiers' when there is more than one tier.</summary>
    private static void AppendScores(StringBuilder sb, ReleaseReport report)
    {
        if (report.Categories.Count == 0)
        {
            return;
        }

        sb.AppendLine();
        sb.AppendLine(IO.ReportText.Line("Category scores: " + string.Join(", ",
            report.Categories.Select(c => $"{c.Category} {ReportFormat.Score(c.Score)}"))));
        if (report.Importances.Count > 1)
        {
            sb.AppendLine(IO.ReportText.Line("Importance scores: " + string.Join(", ",
                report.Importances.Select(i => $"{i.Importance} {ReportFormat.Score(i.Score)}"))));
        }
    }

    /// <summary>
    /// The table <see cref="ReleaseReport.EnsureGo"/> throws with: the decision, its reasons and every measurement or
    /// finding that fell short.
    /// </summary>
    public static string ShortfallTable(ReleaseReport report)
    {
        var sb = new StringBuilder();
        sb.Append("Release is ").Append(ReportFormat.Decision(report.Decision)).Append(" (score ").Append(ReportFormat.Score(report.Score)).AppendLine(").");
        foreach (var reason in report.Reasons)
        {
            sb.Append("  - ").AppendLine(IO.ReportText.Line(reason));
        }

        var rows = ReportView.Shortfalls(report);
        if (rows.Count > 1)
        {
            sb.AppendLine();
            AppendTable(sb, rows);
        }

        return sb.ToString().TrimEnd();
    }

    /// <summary>A titled table of rows whose first is the header; nothing when there is no row under it.</summary>
    private static void AppendTitled(StringBuilder sb, List<string[]> rows, string title)
    {
        if (rows.Count > 1)
        {
            sb.AppendLine();
            sb.AppendLine(title);
            AppendTable(sb, rows);
        }
    }

    /// <summary>
    /// A plain-text table whose cells wrap at word boundaries (at most <c>MaxCell</c> characters wide): a long reason is
    /// shown whole over several lines, never cut.
    /// </summary>
    private static void AppendTable(StringBuilder sb, List<string[]> rows)
    {
        const int MaxCell = 80;
        var cells = rows.Select(r => r.Select(IO.ReportText.Line).ToArray()).ToList();
        var widths = Enumerable.Range(0, cells[0].Length).Select(i => Math.Min(MaxCell, cells.Max(r => r[i].Length))).ToArray();
        for (var r = 0; r < cells.Count; r++)
        {
            var wrapped = cells[r].Select((c, i) => Wrap(c, widths[i])).ToArray();
            var height = wrapped.Max(w => w.Count);
            for (var line = 0; line < height; line++)
            {
                var start = sb.Length;
                sb.Append("  ");
                for (var i = 0; i < widths.Length; i++)
                {
                    sb.Append((line < wrapped[i].Count ? wrapped[i][line] : "").PadRight(widths[i]));
                    if (i < widths.Length - 1)
                    {
                        sb.Append("  ");
                    }
                }

                var end = sb.Length;
                while (end > start && sb[end - 1] == ' ')
                {
                    end--;
                }

                sb.Length = end;
                sb.AppendLine();
            }

            if (r == 0)
            {
                sb.Append("  ").AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
            }
        }
    }

    /// <summary>Splits text into lines of at most <paramref name="width"/> characters at spaces; a word longer than that is split.</summary>
    internal static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        var rest = text.AsSpan().Trim();
        while (rest.Length > width)
        {
            var cut = rest[..(width + 1)].LastIndexOf(' ');
            if (cut <= 0)
            {
                cut = width;
            }

            lines.Add(rest[..cut].TrimEnd().ToString());
            rest = rest[cut..].TrimStart();
        }

        lines.Add(rest.ToString());
        return lines;
    }
}
