using System.Globalization;
using System.Text;

namespace ReleaseGates;

/// <content>One gate: its head, its measurements drawn against their limits with their trends, its distributions and findings.</content>
internal static partial class HtmlReportWriter
{
    private static void Gate(StringBuilder sb, ReleaseReport report, GateReport gate, int index)
    {
        sb.Append("<article class=\"gate ").Append(StatusClass(gate.Status)).Append("\" id=\"gate-").Append(index.ToString(CultureInfo.InvariantCulture))
          .Append("\">\n<h3>").Badge(gate.Status).Append(" <span class=\"name\">").AppendText(gate.Name).Append("</span>");
        if (gate.ReportOnly)
        {
            sb.Append(" <span class=\"muted\">(report-only)</span>");
        }

        sb.Append("</h3>\n<p class=\"muted\">").AppendText(gate.Category).Append(" · ").Append(gate.Importance).Append(" · weight ")
          .Append(ReportFormat.Number(gate.Weight)).Append(" · ").Append(ReportView.FormatDuration(gate.Duration));
        if (gate.Score is { } score)
        {
            sb.Append(" · gate score ").Append(ReportFormat.Number(score));
        }

        if (gate.Tags.Count > 0)
        {
            sb.Append(" · tags ").AppendText(string.Join(", ", gate.Tags));
        }

        sb.Append("</p>\n<p class=\"summary\">").AppendText(gate.Summary).Append("</p>\n");
        Measurements(sb, report, gate);
        foreach (var curve in gate.Distributions)
        {
            HtmlCharts.Distribution(sb, curve, gate.Measurements);
        }

        Findings(sb, gate);
        sb.Append("</article>\n");
    }

    private static void Measurements(StringBuilder sb, ReleaseReport report, GateReport gate)
    {
        if (gate.Measurements.Count == 0)
        {
            return;
        }

        var trends = report.History?.Trends.Where(t => t.Gate == gate.Name).ToList() ?? [];
        sb.Append("<div class=\"scroll\"><table class=\"fixed measurements\">\n<tr><th>Measurement</th><th class=\"c20\">Value</th>")
          .Append("<th class=\"c22\">Condition</th><th class=\"cbar\">Against the limit</th>")
          .Append(trends.Count > 0 ? "<th class=\"cspark\">Last evaluations</th>" : "").Append("</tr>\n");
        foreach (var m in gate.Measurements)
        {
            sb.Append("<tr><td>").AppendText(m.Name);
            if (m.Target is { } target)
            {
                sb.Append(" <span class=\"muted\">").AppendText(target).Append("</span>");
            }

            sb.Append("</td><td class=\"num\">");
            if (m.Condition is not null || m.Status != GateStatus.Passed)
            {
                sb.Badge(m.Status).Append(' ');
            }

            sb.AppendText(MetricUnitFormat.Format(m.Value, m.Unit));
            if (m.WaivedBy is { } waiver)
            {
                sb.Append(" <span class=\"muted\">waived by ").AppendText(waiver).Append("</span>");
            }

            sb.Append("</td><td>").AppendText(ReportView.Threshold(m, report.BaselineSubject)).Append("</td><td>");
            MeasurementBar(sb, m);
            sb.Append("</td>");
            if (trends.Count > 0)
            {
                sb.Append("<td>");
                if (trends.FirstOrDefault(t => t.Measurement == m.Name && t.Target == m.Target) is { } trend)
                {
                    HtmlCharts.Sparkline(sb, trend, m.Value);
                }

                sb.Append("</td>");
            }

            sb.Append("</tr>\n");
        }

        sb.Append("</table></div>\n");
        if (gate.Measurements.Any(m => m.Condition is not null))
        {
            sb.Append("<p class=\"legend\"><span class=\"key-limit\">│ limit</span><span class=\"key-warn\">┆ warning limit</span>")
              .Append("<span class=\"key-base\">│ baseline</span></p>\n");
        }
    }

    /// <summary>The value against its limit, warning limit and baseline, when it was held to a condition with a numeric limit.</summary>
    private static void MeasurementBar(StringBuilder sb, Measurement m)
    {
        if (m.Condition is not { } condition || !double.IsFinite(m.Value))
        {
            return;
        }

        var outcome = condition.Evaluate(m.Value, m.Unit, m.Baseline);
        var limit = outcome.Limit is { } l && double.IsFinite(l) ? l : (double?)null;
        var warning = outcome.WarningLimit is { } w && double.IsFinite(w) ? w : (double?)null;
        var baseline = m.Baseline is { } b && double.IsFinite(b) ? b : (double?)null;
        var values = new[] { m.Value, limit, warning, baseline }.OfType<double>().ToArray();
        double low = Math.Min(0, values.Min()), high = values.Max();
        if (m.Unit == MetricUnit.Ratio && low >= 0 && high <= 1)
        {
            high = 1;
        }
        else
        {
            high = high <= low ? low + 1 : high + ((high - low) * 0.15);
        }

        var label = new StringBuilder().Append(MetricUnitFormat.Format(m.Value, m.Unit));
        if (limit is { } lim)
        {
            label.Append("; limit ").Append(MetricUnitFormat.Format(lim, m.Unit));
        }

        if (warning is { } warn)
        {
            label.Append("; warning at ").Append(MetricUnitFormat.Format(warn, m.Unit));
        }

        if (baseline is { } bas)
        {
            label.Append("; baseline ").Append(MetricUnitFormat.Format(bas, m.Unit));
        }

        HtmlCharts.Bar(sb, m.Value, m.Status, low, high, limit, warning, baseline, label.ToString());
    }

    private static void Findings(StringBuilder sb, GateReport gate)
    {
        if (gate.Findings.Count == 0)
        {
            return;
        }

        sb.Append("<div class=\"scroll\"><table class=\"fixed findings\">\n")
          .Append("<tr><th class=\"c26\">Finding</th><th class=\"c22\">Where</th><th>What was seen, and the fix</th></tr>\n");
        foreach (var f in gate.Findings)
        {
            var (css, label) = f.Severity switch
            {
                FindingSeverity.Error => ("failed", "ERROR"),
                FindingSeverity.Warning => ("warning", "WARNING"),
                _ => ("info", "INFO"),
            };
            sb.Append("<tr><td><span class=\"badge ").Append(css).Append("\">").Append(label).Append("</span>").Append(" <code>").AppendText(f.Code)
              .Append("</code>");
            if (f.WaivedBy is { } waiver)
            {
                sb.Append(" <span class=\"muted\">waived by ").AppendText(waiver).Append("</span>");
            }

            sb.Append("</td><td>");
            if (HtmlText.FileHref(f.Target, f.Line) is { } href)
            {
                sb.Append("<a href=\"").Append(href).Append("\">").AppendText(f.Location).Append("</a>");
            }
            else
            {
                sb.AppendText(f.Location);
            }

            sb.Append("</td><td>").AppendText(ReportView.Describe(f)).Append("</td></tr>\n");
        }

        sb.Append("</table></div>\n");
    }
}
