using System.Globalization;
using System.Text;
using System.Xml;
using ReleaseGates.IO;

namespace ReleaseGates;

/// <summary>JUnit XML so that CI dashboards show each gate as a test case.</summary>
internal static class JUnitReportWriter
{
    public static string Write(ReleaseReport report)
    {
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), OmitXmlDeclaration = false };
        var sb = new StringBuilder();
        using (var sw = new Utf8StringWriter(sb))
        using (var xml = XmlWriter.Create(sw, settings))
        {
            var failures = report.Gates.Count(g => !g.ReportOnly && IsFailure(g));
            var errors = report.Gates.Count(g => g.Status == GateStatus.Error && !g.ReportOnly);
            var skipped = report.Gates.Count(g => g.Status == GateStatus.Skipped || (g.ReportOnly && g.Status != GateStatus.Passed));
            var time = Seconds(report.Duration);
            xml.WriteStartElement("testsuites");
            xml.WriteAttributeString("name", "release-gates");
            xml.WriteAttributeString("tests", report.Gates.Count.ToString(CultureInfo.InvariantCulture));
            xml.WriteAttributeString("failures", failures.ToString(CultureInfo.InvariantCulture));
            xml.WriteAttributeString("errors", errors.ToString(CultureInfo.InvariantCulture));
            xml.WriteAttributeString("skipped", skipped.ToString(CultureInfo.InvariantCulture));
            xml.WriteAttributeString("time", time);
            xml.WriteStartElement("testsuite");
            xml.WriteAttributeString("name", ReportText.Xml("release-gates" + (report.Subject.Service is { } s ? "." + s : "")));
            xml.WriteAttributeString("tests", report.Gates.Count.ToString(CultureInfo.InvariantCulture));
            xml.WriteAttributeString("failures", failures.ToString(CultureInfo.InvariantCulture));
            xml.WriteAttributeString("errors", errors.ToString(CultureInfo.InvariantCulture));
            xml.WriteAttributeString("skipped", skipped.ToString(CultureInfo.InvariantCulture));
            xml.WriteAttributeString("time", time);
            xml.WriteAttributeString("timestamp", report.StartedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
            xml.WriteStartElement("properties");
            WriteProperty(xml, "decision", ReportFormat.Decision(report.Decision));
            WriteProperty(xml, "score", ReportFormat.Score(report.Score));
            WriteProperty(xml, "commit", report.Subject.Commit);
            WriteProperty(xml, "version", report.Subject.Version);
            foreach (var row in WaiverRows.Waivers(report).Skip(1))
            {
                // Id, state, gate, covers, approved by, last day, reason: every waiver, so none is forgotten.
                WriteProperty(xml, "waiver." + row[0], string.Join("; ", row.Skip(1)));
            }

            xml.WriteEndElement();

            foreach (var gate in report.Gates)
            {
                xml.WriteStartElement("testcase");
                xml.WriteAttributeString("name", ReportText.Xml(gate.Name));
                xml.WriteAttributeString("classname", ReportText.Xml("release-gates." + gate.Category));
                xml.WriteAttributeString("time", Seconds(gate.Duration));

                // JUnit has no "warning": the status (and importance) travel as properties, and a warning's summary
                // opens system-out, so dashboards that show either can tell a warned gate from a clean pass.
                xml.WriteStartElement("properties");
                WriteProperty(xml, "status", gate.Status.ToString());
                WriteProperty(xml, "importance", gate.Importance.ToString());
                var waivedBy = gate.Measurements.Select(m =>
                    m.WaivedBy).Concat(gate.Findings.Select(f => f.WaivedBy)).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
                WriteProperty(xml, "waived", waivedBy.Length == 0 ? null : string.Join(", ", waivedBy));
                xml.WriteEndElement();
                if (gate.Status == GateStatus.Skipped || (gate.ReportOnly && gate.Status != GateStatus.Passed))
                {
                    xml.WriteStartElement("skipped");
                    xml.WriteAttributeString("message", ReportText.Xml((gate.ReportOnly ? $"report-only, {gate.Status}: " : "") + gate.Summary));
                    xml.WriteEndElement();
                }
                else if (gate.Status == GateStatus.Error)
                {
                    xml.WriteStartElement("error");
                    xml.WriteAttributeString("message", ReportText.Xml(gate.Summary));
                    xml.WriteAttributeString("type", "GateError");
                    xml.WriteString(Details(gate));
                    xml.WriteEndElement();
                }
                else if (IsFailure(gate))
                {
                    xml.WriteStartElement("failure");
                    xml.WriteAttributeString("message", ReportText.Xml(gate.Summary));
                    xml.WriteAttributeString("type", "GateFailed");
                    xml.WriteString(Details(gate));
                    xml.WriteEndElement();
                }

                var warning = gate.Status == GateStatus.Warning && !gate.ReportOnly ? $"WARNING: {gate.Summary}\n" : "";
                if (warning.Length > 0 || gate.Measurements.Count > 0 || gate.Findings.Count > 0)
                {
                    xml.WriteElementString("system-out", ReportText.Xml(warning) + Details(gate));
                }

                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        return sb.ToString();
    }

    /// <summary>A failed gate is a failure; a gate that only warned is a passing test case whose output shows the warning.</summary>
    private static bool IsFailure(GateReport gate) => gate.Status == GateStatus.Failed;

    private static void WriteProperty(XmlWriter xml, string name, string? value)
    {
        if (value is null)
        {
            return;
        }

        xml.WriteStartElement("property");
        xml.WriteAttributeString("name", ReportText.Xml(name));
        xml.WriteAttributeString("value", ReportText.Xml(value));
        xml.WriteEndElement();
    }

    private static string Details(GateReport gate)
    {
        var sb = new StringBuilder();
        foreach (var m in gate.Measurements)
        {
            sb.Append(ReportView.StatusLabel(m.Status)).Append(' ').Append(m.Name);
            if (m.Target is not null)
            {
                sb.Append(" [").Append(m.Target).Append(']');
            }

            sb.Append(" = ").Append(MetricUnitFormat.Format(m.Value, m.Unit));
            if (m.Condition is not null)
            {
                sb.Append("  (").Append(m.Condition).Append(')');
            }

            sb.AppendLine(m.WaivedBy is null ? "" : $"  waived by {m.WaivedBy}");
        }

        foreach (var f in gate.Findings)
        {
            sb.Append(f.Severity).Append(' ').Append(f.Code);
            if (f.Location is not null)
            {
                sb.Append(" [").Append(f.Location).Append(']');
            }

            sb.Append(": ").AppendLine(f.Message + (f.WaivedBy is null ? "" : $" (waived by {f.WaivedBy})"));
            if (f.Observed is not null)
            {
                sb.Append("  seen: ").AppendLine(f.Observed);
            }

            if (f.Remediation is not null)
            {
                sb.Append("  fix: ").AppendLine(f.Remediation);
            }
        }

        return ReportText.Xml(sb.ToString());
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private sealed class Utf8StringWriter(StringBuilder sb) : StringWriter(sb, CultureInfo.InvariantCulture)
    {
        public override Encoding Encoding => Encoding.UTF8;
    }
}
