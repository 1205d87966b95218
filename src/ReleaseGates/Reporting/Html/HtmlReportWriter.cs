using System.Globalization;
using System.Text;

namespace ReleaseGates;

/// <summary>
/// The report as one offline HTML page (<see cref="ReleaseReport.ToHtml"/>): the decision banner, scores, what fell short,
/// every gate with its measurements drawn against their limits, distributions, findings, waivers, the watch's timeline and
/// the history's trends. Inline CSS and SVG only, admitted by a Content-Security-Policy that allows nothing else: the page
/// makes no request and runs no script. Every string from evidence goes through <see cref="HtmlText"/>.
/// </summary>
internal static partial class HtmlReportWriter
{
    public static string Write(ReleaseReport report)
    {
        var sb = new StringBuilder(16 * 1024 + (report.Gates.Count * 4096));
        var subject = ReportView.SubjectLine(report.Subject);
        var title = $"{ReportFormat.Decision(report.Decision)} · {(subject.Length > 0 ? subject : "release")} · Release report";
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
          .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"").Append(HtmlReportStyle.ContentSecurityPolicy).Append("\">\n")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"color-scheme\" content=\"light dark\">\n")
          .Append("<meta name=\"generator\" content=\"ReleaseGates ").AppendText(Version).Append("\">\n")
          .Append("<link rel=\"icon\" href=\"data:,\">\n<title>").AppendText(title).Append("</title>\n<style>")
          .Append(HtmlReportStyle.Css).Append("</style>\n</head>\n<body>\n<main>\n");
        Banner(sb, report);
        Contents(sb, report);
        Scores(sb, report);
        Shortfalls(sb, report);
        Watch(sb, report);
        History(sb, report);
        sb.Append("<section id=\"gates\">\n<h2>Gates</h2>\n");
        for (var i = 0; i < report.Gates.Count; i++)
        {
            Gate(sb, report, report.Gates[i], i);
        }

        sb.Append("</section>\n");
        Waivers(sb, report);
        sb.Append("<footer>Written by ReleaseGates ").AppendText(Version).Append(" · report schema ")
          .Append(report.SchemaVersion.ToString(CultureInfo.InvariantCulture))
          .Append(" · the page is self-contained: no script, no font, no request.</footer>\n</main>\n</body>\n</html>\n");
        return sb.ToString();
    }

    private static string Version => typeof(HtmlReportWriter).Assembly.GetName().Version?.ToString(3) ?? "";

    private static string StatusClass(GateStatus status) => status.ToString().ToLowerInvariant();

    private static StringBuilder Badge(this StringBuilder sb, GateStatus status)
        => sb.Append("<span class=\"badge ").Append(StatusClass(status)).Append("\">").Append(ReportView.StatusLabel(status)).Append("</span>");

    private static void Banner(StringBuilder sb, ReleaseReport report)
    {
        var mark = report.Decision switch { ReleaseDecision.Go => "✔", ReleaseDecision.GoWithWarnings => "⚠", _ => "✖" };
        sb.Append("<header class=\"banner ").Append(report.Decision.ToString().ToLowerInvariant()).Append("\" id=\"decision\">\n<h1>")
          .Append(mark).Append(' ').Append(ReportFormat.Decision(report.Decision)).Append("</h1>\n<p>Score <strong>")
          .Append(ReportFormat.Score(report.Score)).Append("</strong> (pass ").Append(ReportFormat.Number(report.Scoring.PassScore))
          .Append(", warning ").Append(ReportFormat.Number(report.Scoring.WarningScore)).Append(')');
        if (ReportView.SubjectLine(report.Subject) is { Length: > 0 } subject)
        {
            sb.Append(" · ").AppendText(subject);
        }

        sb.Append(" · ").Append(report.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append(" UTC, ")
          .Append(ReportView.FormatDuration(report.Duration)).Append("</p>\n<p class=\"counts\">");
        foreach (var (status, symbol) in Marks)
        {
            var n = report.Gates.Count(g => g.Status == status);
            if (n > 0 || status is GateStatus.Passed or GateStatus.Failed)
            {
                sb.Append("<span>").Append(symbol).Append(' ').Append(n.ToString(CultureInfo.InvariantCulture)).Append(' ')
                  .Append(status.ToString().ToLowerInvariant()).Append("</span>");
            }
        }

        sb.Append("</p>\n");
        if (WaiverRows.Summary(report) is { Length: > 0 } waivers)
        {
            sb.Append("<p>").AppendText(waivers).Append("</p>\n");
        }

        if (report.Reasons.Count > 0)
        {
            sb.Append("<ul class=\"reasons\">\n");
            foreach (var reason in report.Reasons)
            {
                sb.Append("<li>").AppendText(reason).Append("</li>\n");
            }

            sb.Append("</ul>\n");
        }

        sb.Append("</header>\n");
    }

    private static readonly (GateStatus Status, string Symbol)[] Marks =
        [(GateStatus.Passed, "✔"), (GateStatus.Warning, "⚠"), (GateStatus.Failed, "✖"), (GateStatus.Error, "⚡"), (GateStatus.Skipped, "–")];

    private static void Contents(StringBuilder sb, ReleaseReport report)
    {
        sb.Append("<nav aria-label=\"Gates\"><ul class=\"toc\">\n");
        for (var i = 0; i < report.Gates.Count; i++)
        {
            var g = report.Gates[i];
            sb.Append("<li><a href=\"#gate-").Append(i.ToString(CultureInfo.InvariantCulture)).Append("\">").Badge(g.Status)
              .Append(' ').AppendText(Shorten(g.Name, 60)).Append("</a></li>\n");
        }

        sb.Append("</ul></nav>\n");
    }

    private static void Scores(StringBuilder sb, ReleaseReport report)
    {
        if (report.Categories.Count == 0 && report.Importances.Count == 0)
        {
            return;
        }

        sb.Append("<section id=\"scores\">\n<h2>Scores</h2>\n<div class=\"scroll\"><table>\n")
          .Append("<tr><th>Category or tier</th><th>Gates</th><th>Score</th><th>0–100, pass and warning lines</th></tr>\n");
        foreach (var c in report.Categories)
        {
            ScoreRow(sb, c.Category, c.Gates, c.Score, report.Scoring);
        }

        foreach (var i in report.Importances)
        {
            ScoreRow(sb, i.Importance + " gates", i.Gates, i.Score, report.Scoring);
        }

        sb.Append("</table></div>\n<p class=\"legend\"><span class=\"key-limit\">│ pass score</span>")
          .Append("<span class=\"key-warn\">┆ warning score</span></p>\n</section>\n");
    }

    private static void ScoreRow(StringBuilder sb, string name, int gates, double? score, ScoringOptions scoring)
    {
        sb.Append("<tr><td>").AppendText(name).Append("</td><td class=\"num\">").Append(gates.ToString(CultureInfo.InvariantCulture))
          .Append("</td><td class=\"num\">").Append(ReportFormat.Score(score)).Append("</td><td>");
        var status = score is not { } s ? GateStatus.Skipped : s >= scoring.PassScore ? GateStatus.Passed
            : s >= scoring.WarningScore ? GateStatus.Warning : GateStatus.Failed;
        HtmlCharts.Bar(sb, score ?? 0, status, 0, 100, scoring.PassScore, scoring.WarningScore, null,
            $"score {ReportFormat.Score(score)} of 100; pass {ReportFormat.Number(scoring.PassScore)}, warning {ReportFormat.Number(scoring.WarningScore)}");
        sb.Append("</td></tr>\n");
    }

    private static void Shortfalls(StringBuilder sb, ReleaseReport report)
    {
        var rows = ReportView.Shortfalls(report);
        sb.Append("<section id=\"shortfalls\">\n<h2>What fell short</h2>\n");
        if (rows.Count == 1)
        {
            sb.Append("<p>Nothing: every gate passed.</p>\n");
        }
        else
        {
            Table(sb, rows, status: 1, widths: ["c16", "c8", "c26", "c28", "c22"]);
        }

        // What waivers covered is not a shortfall, and is not hidden either.
        var waived = report.Gates.Sum(g => g.Measurements.Count(m => m.WaivedBy is not null) + g.Findings.Count(f => f.WaivedBy is not null));
        if (waived > 0)
        {
            sb.Append("<p>").Append(waived.ToString(CultureInfo.InvariantCulture))
              .Append(" shortfalls are covered by waivers: see <a href=\"#waivers\">Waivers</a>.</p>\n");
        }

        sb.Append("</section>\n");
    }

    /// <summary>
    /// A table of rows, the first the header: the column <paramref name="numeric"/> right-aligned, the column
    /// <paramref name="status"/> (a <see cref="ReportView.StatusLabel"/>) drawn as a badge, and with <paramref name="widths"/>
    /// (width classes of the stylesheet, one per column) a fixed layout in which long values wrap inside their column.
    /// </summary>
    internal static void Table(StringBuilder sb, List<string[]> rows, int numeric = -1, int status = -1, string[]? widths = null)
    {
        sb.Append("<div class=\"scroll\"><table").Append(widths is null ? "" : " class=\"fixed\"").Append(">\n<tr>");
        for (var i = 0; i < rows[0].Length; i++)
        {
            sb.Append(widths is null ? "<th>" : $"<th class=\"{widths[i]}\">").AppendText(rows[0][i]).Append("</th>");
        }

        sb.Append("</tr>\n");
        foreach (var row in rows.Skip(1))
        {
            sb.Append("<tr>");
            for (var i = 0; i < row.Length; i++)
            {
                sb.Append(i == numeric ? "<td class=\"num\">" : "<td>");
                if (i == status && StatusOf(row[i]) is { } label)
                {
                    sb.Badge(label);
                }
                else
                {
                    sb.AppendText(row[i]);
                }

                sb.Append("</td>");
            }

            sb.Append("</tr>\n");
        }

        sb.Append("</table></div>\n");
    }

    private static GateStatus? StatusOf(string label)
        => Enum.GetValues<GateStatus>().Cast<GateStatus?>().FirstOrDefault(s => ReportView.StatusLabel(s!.Value) == label);

    private static void Watch(StringBuilder sb, ReleaseReport report)
    {
        if (report.Watch is not { Rounds.Count: > 0 } watch)
        {
            return;
        }

        sb.Append("<section id=\"watch\">\n<h2>Watch: ").Append(watch.Rounds.Count.ToString(CultureInfo.InvariantCulture)).Append(" rounds</h2>\n");
        HtmlCharts.Timeline(sb, watch.Rounds);
        Table(sb, ReportView.WatchRows(report), widths: ["c8", "c12", "c16", "c16", "c48"]);
        sb.Append("</section>\n");
    }

    private static void History(StringBuilder sb, ReleaseReport report)
    {
        var lines = ReportView.HistoryLines(report);
        if (lines.Count == 0)
        {
            return;
        }

        sb.Append("<section id=\"history\">\n<h2>History</h2>\n<ul>\n");
        foreach (var line in lines)
        {
            sb.Append("<li>").AppendText(line).Append("</li>\n");
        }

        sb.Append("</ul>\n");
        if (ReportView.Changes(report) is { Count: > 1 } changes)
        {
            sb.Append("<h3>Since the previous evaluation</h3>\n");
            Table(sb, changes, numeric: 2, widths: ["c20", "c30", "c16", "c22", "c12"]);
        }

        sb.Append("</section>\n");
    }

    private static void Waivers(StringBuilder sb, ReleaseReport report)
    {
        var rows = WaiverRows.Waivers(report);
        if (rows.Count <= 1)
        {
            return;
        }

        sb.Append("<section id=\"waivers\">\n<h2>Waivers</h2>\n");
        Table(sb, rows, widths: ["c12", "c16", "c12", "c16", "c12", "c12", "c20"]);
        if (WaiverRows.Covered(report) is { Count: > 1 } covered)
        {
            sb.Append("<h3>What the waivers cover</h3>\n");
            Table(sb, covered, widths: ["c20", "c16", "c30", "c34"]);
        }

        sb.Append("</section>\n");
    }

    /// <summary>At most <paramref name="length"/> characters, with an ellipsis when cut (a heading or a link; the full text is shown elsewhere).</summary>
    internal static string Shorten(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "…");
}
