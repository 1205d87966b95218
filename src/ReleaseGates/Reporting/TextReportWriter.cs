using System.Globalization;
using System.Text;

namespace ReleaseGates;

/// <summary>Plain-text rendering for consoles and exception messages.</summary>
internal static class TextReportWriter
{
    private static readonly string[] GateHeader = ["Gate", "Category", "Importance", "Status", "Time", "Summary"];
    private static readonly string[] ShortfallHeader = ["Gate", "Status", "What", "Actual", "Threshold"];
    private static readonly string[] NoteHeader = ["Gate", "Finding", "Detail"];
    private static readonly string[] WatchHeader = ["Round", "Started", "Decision", "Counts as", "What fell short"];

    /// <summary>A watch's rounds as table rows, the header first; empty when the report is not a watch's.</summary>
    internal static List<string[]> WatchRows(ReleaseReport report)
    {
        if (report.Watch is not { } watch)
        {
            return [];
        }

        var rows = new List<string[]> { WatchHeader.ToArray() };
        rows.AddRange(watch.Rounds.Select(r => new[]
        {
            r.Number.ToString(CultureInfo.InvariantCulture), r.StartedAt.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
            ReportFormat.Decision(r.Decision), r.Outcome.ToString(), r.FellShort.Count == 0 ? "" : string.Join("; ", r.FellShort),
        }));
        return rows;
    }

    public static string Write(ReleaseReport report)
    {
        var sb = new StringBuilder();
        sb.Append("Release decision: ").Append(ReportFormat.Decision(report.Decision));
        sb.Append("  (score ").Append(ReportFormat.Score(report.Score)).Append(", pass ").Append(ReportFormat.Number(report.Scoring.PassScore));
        sb.Append(", warning ").Append(ReportFormat.Number(report.Scoring.WarningScore)).AppendLine(")");
        var subject = SubjectLine(report.Subject);
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

        sb.AppendLine();
        var rows = new List<string[]> { GateHeader.ToArray() };
        rows.AddRange(report.Gates.Select(g => new[]
        {
            g.Name + (g.ReportOnly ? " (report-only)" : ""), g.Category, g.Importance.ToString(), StatusLabel(g.Status),
            FormatDuration(g.Duration), g.Summary,
        }));
        AppendTable(sb, rows);

        AppendScores(sb, report);

        if (WatchRows(report) is { Count: > 1 } rounds)
        {
            sb.AppendLine();
            sb.Append("Watch: ").Append(rounds.Count - 1).AppendLine(" round(s); the gates above are the last round's.");
            AppendTable(sb, rounds);
        }

        AppendTitled(sb, Shortfalls(report), "What fell short:");

        AppendTitled(sb, WaiverRows.Waivers(report), "Waivers (every one configured):");
        AppendTitled(sb, WaiverRows.Covered(report), "What the waivers covered:");
        AppendTitled(sb, Notes(report), "Notes (informational findings):");

        return sb.ToString();
    }

    /// <summary>A header row plus one row per informational finding: the weaknesses that cost no status, with what was seen and the fix.</summary>
    internal static List<string[]> Notes(ReleaseReport report, Func<GateReport, bool>? which = null)
    {
        var rows = new List<string[]> { NoteHeader.ToArray() };
        foreach (var gate in report.Gates.Where(which ?? (_ => true)))
        {
            foreach (var f in gate.Findings.Where(f => f.Severity == FindingSeverity.Info))
            {
                rows.Add([gate.Name, f.Code + (f.Location is null ? "" : $" [{f.Location}]"), Describe(f)]);
            }
        }

        return rows;
    }

    /// <summary>A finding's message with what was seen and the fix, as every writer shows it.</summary>
    /// <summary>The category scores, and the importance tiers' when there is more than one tier.</summary>
    private static void AppendScores(StringBuilder sb, ReleaseReport report)
    {
        if (report.Categories.Count == 0)
        {
            return;
        }

        sb.AppendLine();
        sb.AppendLine(IO.ReportText.Line("Category scores: " + string.Join(", ", report.Categories.Select(c => $"{c.Category} {ReportFormat.Score(c.Score)}"))));
        if (report.Importances.Count > 1)
        {
            sb.AppendLine(IO.ReportText.Line("Importance scores: " + string.Join(", ", report.Importances.Select(i => $"{i.Importance} {ReportFormat.Score(i.Score)}"))));
        }
    }

    internal static string Describe(Finding f) => f.Message + (f.Observed is null ? "" : $" Seen: {f.Observed}.") + (f.Remediation is null ? "" : $" Fix: {f.Remediation}");

    /// <summary>The table <see cref="ReleaseReport.EnsureGo"/> throws with: the decision, its reasons and every measurement or finding that fell short.</summary>
    public static string ShortfallTable(ReleaseReport report)
    {
        var sb = new StringBuilder();
        sb.Append("Release is ").Append(ReportFormat.Decision(report.Decision)).Append(" (score ").Append(ReportFormat.Score(report.Score)).AppendLine(").");
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
            foreach (var m in gate.Measurements.Where(m => m.Status != GateStatus.Passed && m.WaivedBy is null))
            {
                rows.Add([gate.Name, StatusLabel(m.Status), m.Target is null ? m.Name : $"{m.Name} [{m.Target}]", MetricUnitFormat.Format(m.Value, m.Unit), Threshold(m, report.BaselineSubject)]);
            }

            foreach (var f in gate.Findings.Where(f => f.Severity != FindingSeverity.Info && f.WaivedBy is null))
            {
                rows.Add([gate.Name, StatusLabel(f.ImpliedStatus), f.Code + (f.Location is null ? "" : $" [{f.Location}]"), Describe(f), ""]);
            }

            if (rows.Count == before)
            {
                rows.Add([gate.Name, StatusLabel(gate.Status), "gate", gate.Summary, ""]);
            }
        }

        return rows;
    }

    /// <summary>
    /// The condition, and for a relative one what it resolved to: <c>p(95) &lt;= +10% floor 50ms (limit 110 ms; baseline
    /// 100 ms, checkout 2.3.0)</c>, so that a reader sees the number the value was really held to.
    /// </summary>
    internal static string Threshold(Measurement m, ReleaseSubject? baseline)
    {
        if (m.Condition is not { } condition)
        {
            return "";
        }

        if (!condition.IsRelative)
        {
            return condition.ToString();
        }

        if (m.Baseline is not { } b)
        {
            return $"{condition} (no baseline)";
        }

        var outcome = condition.Evaluate(m.Value, m.Unit, b);
        var limit = outcome.Limit is { } l ? $"limit {MetricUnitFormat.Format(l, m.Unit)}; " : "";
        var from = baseline is null ? "" : SubjectLine(baseline) is { Length: > 0 } line ? ", " + line : "";
        return $"{condition} ({limit}baseline {MetricUnitFormat.Format(b, m.Unit)}{from})";
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

    internal static string FormatDuration(TimeSpan t) => t.TotalSeconds >= 1
        ? t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"
        : t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";

    internal static string SubjectLine(ReleaseSubject subject)
    {
        var parts = new List<string>();
        if (subject.Service is { } s)
        {
            parts.Add(s);
        }

        if (subject.Version is { } v)
        {
            parts.Add("version " + v);
        }

        if (subject.Commit is { } c)
        {
            parts.Add("commit " + (c.Length > 12 ? c[..12] : c));
        }

        if (subject.Environment is { } e)
        {
            parts.Add("to " + e);
        }

        return string.Join(", ", parts);
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
