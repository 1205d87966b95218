using System.Globalization;
using System.Text;

namespace ReleaseGates;

/// <summary>
/// The report as a pull-request comment (<see cref="ReleaseReport.ToPullRequestComment"/>): a marker line a workflow
/// finds to edit one comment instead of adding one per push, the decision, the reasons, what fell short with its value,
/// limit and change against the baseline, and a link to the full report. Bounded so that a NO-GO fits on one screen.
/// </summary>
internal static class PullRequestCommentWriter
{
    /// <summary>The most shortfall rows listed; the rest are counted.</summary>
    internal const int MaximumRows = 10;

    /// <summary>The most reasons listed; the rest are counted.</summary>
    internal const int MaximumReasons = 3;

    /// <summary>The longest cell, in characters; a longer one is cut with an ellipsis (the full text is in the full report).</summary>
    internal const int MaximumCell = 160;

    public static string Write(ReleaseReport report, Uri? fullReport)
    {
        var sb = new StringBuilder();
        sb.Append(ReleaseReport.PullRequestCommentMarker).Append('\n');
        var icon = report.Decision switch { ReleaseDecision.Go => "✅", ReleaseDecision.GoWithWarnings => "⚠️", _ => "❌" };
        sb.Append("### ").Append(icon).Append(" Release decision: **").Append(ReportFormat.Decision(report.Decision)).Append("** · score ")
          .Append(ReportFormat.Score(report.Score));
        if (ReportView.SubjectLine(report.Subject) is { Length: > 0 } subject)
        {
            sb.Append(" · ").Append(Cell(subject));
        }

        sb.Append("\n\n");
        foreach (var reason in report.Reasons.Take(MaximumReasons))
        {
            sb.Append("- ").Append(Cell(reason)).Append('\n');
        }

        if (report.Reasons.Count > MaximumReasons)
        {
            sb.Append("- and ").Append((report.Reasons.Count - MaximumReasons).ToString(CultureInfo.InvariantCulture)).Append(" more reasons\n");
        }

        var rows = Rows(report);
        if (rows.Count > 0)
        {
            sb.Append(report.Reasons.Count > 0 ? "\n" : "").Append("| Gate | What | Value | Limit | Change |\n|---|---|--:|---|--:|\n");
            foreach (var row in rows.Take(MaximumRows))
            {
                sb.Append("| ").Append(string.Join(" | ", row.Select(Cell))).Append(" |\n");
            }

            if (rows.Count > MaximumRows)
            {
                sb.Append("\n_and ").Append((rows.Count - MaximumRows).ToString(CultureInfo.InvariantCulture)).Append(" more in the full report_\n");
            }
        }

        sb.Append('\n').Append(Counts(report));
        if (fullReport is not null && (fullReport.Scheme == Uri.UriSchemeHttps || fullReport.Scheme == Uri.UriSchemeHttp))
        {
            sb.Append(" · [Full report](").Append(fullReport.AbsoluteUri.Replace(")", "%29", StringComparison.Ordinal)).Append(')');
        }

        return sb.Append('\n').ToString();
    }

    /// <summary>Each measurement or finding that fell short (waived ones left out), worst first: gate, what, value, limit, change.</summary>
    private static List<string[]> Rows(ReleaseReport report)
    {
        var rows = new List<(GateStatus Status, string[] Row)>();
        foreach (var gate in report.Gates.Where(g => g.Status != GateStatus.Passed && !g.ReportOnly))
        {
            var before = rows.Count;
            foreach (var m in gate.Measurements.Where(m => m.Status != GateStatus.Passed && m.WaivedBy is null))
            {
                rows.Add((m.Status, [gate.Name, m.Target is null ? m.Name : $"{m.Name} [{m.Target}]", MetricUnitFormat.Format(m.Value, m.Unit),
                    Limit(m), Change(report, gate, m)]));
            }

            foreach (var f in gate.Findings.Where(f => f.Severity != FindingSeverity.Info && f.WaivedBy is null))
            {
                rows.Add((f.ImpliedStatus, [gate.Name, f.Location is null ? f.Code : $"{f.Code} [{f.Location}]", "", f.Message, ""]));
            }

            if (rows.Count == before)
            {
                rows.Add((gate.Status, [gate.Name, ReportView.StatusLabel(gate.Status), "", gate.Summary, ""]));
            }
        }

        return [.. rows.OrderBy(r => Rank(r.Status)).Select(r => r.Row)];
    }

    private static int Rank(GateStatus status) => status switch
    {
        GateStatus.Failed => 0,
        GateStatus.Error => 1,
        GateStatus.Warning => 2,
        _ => 3,
    };

    /// <summary>The number the value was held to: the condition, or for a relative one the limit it resolved to.</summary>
    private static string Limit(Measurement m)
    {
        if (m.Condition is not { } condition)
        {
            return "";
        }

        if (!condition.IsRelative)
        {
            return condition.ToString();
        }

        return condition.Evaluate(m.Value, m.Unit, m.Baseline).Limit is { } limit && double.IsFinite(limit)
            ? $"{GateCondition.OperatorSymbol(condition.Operator)} {MetricUnitFormat.Format(limit, m.Unit)} ({condition})"
            : $"{condition} (no baseline)";
    }

    /// <summary>The change against the baseline the condition used, or else against the previous recorded evaluation.</summary>
    private static string Change(ReleaseReport report, GateReport gate, Measurement m)
    {
        var (previous, from) = m.Baseline is { } b
            ? (b, report.BaselineSubject?.Version)
            : report.History?.Trends.FirstOrDefault(t => t.Gate == gate.Name && t.Measurement == m.Name && t.Target == m.Target)
                is { Points: [{ Value: { } v } point, ..] } ? (v, point.Version) : (double.NaN, null);
        if (!double.IsFinite(previous) || !double.IsFinite(m.Value))
        {
            return "";
        }

        var change = previous == 0
            ? (m.Value == 0 ? "0%" : "new")
            : ((m.Value - previous) / Math.Abs(previous)).ToString("+0.0%;-0.0%;0.0%", CultureInfo.InvariantCulture);
        return from is null ? change : $"{change} vs {from}";
    }

    private static string Counts(ReleaseReport report)
    {
        var parts = new[] { GateStatus.Passed, GateStatus.Warning, GateStatus.Failed, GateStatus.Error, GateStatus.Skipped }
            .Select(s => (Status: s, Count: report.Gates.Count(g => g.Status == s)))
            .Where(p => p.Count > 0)
            .Select(p => $"{p.Count.ToString(CultureInfo.InvariantCulture)} {p.Status.ToString().ToLowerInvariant()}");
        return string.Join(" · ", parts) + (WaiverRows.Summary(report) is { Length: > 0 } waivers ? " · " + waivers : "");
    }

    /// <summary>
    /// A table cell: one line, Markdown and HTML inert, no @mention (a gate name must not notify anyone), at most
    /// <see cref="MaximumCell"/> characters.
    /// </summary>
    private static string Cell(string text)
    {
        var line = HtmlReportWriter.Shorten(IO.ReportText.Line(text), MaximumCell);
        return MarkdownReportWriter.Escape(line).Replace("@", "&#64;", StringComparison.Ordinal).Replace("[", "\\[", StringComparison.Ordinal);
    }
}
