using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ReleaseGates;

/// <summary>
/// The report as a GitLab Code Quality report (<see cref="ReleaseReport.ToGitLabCodeQuality"/>): GitLab's documented
/// subset of the Code Climate issue format, a JSON array with one issue per measurement or finding that fell short (and
/// one per failed gate without either), each with <c>description</c>, <c>check_name</c>, a <c>fingerprint</c> that is the
/// same in every run for the same shortfall (the values are not part of it), <c>severity</c> and <c>location</c> (the
/// finding's file and line, or the fallback file at line 1). Passing, waived, informational and report-only evidence is
/// left out.
/// </summary>
internal static class CodeQualityReportWriter
{
    public static string Write(ReleaseReport report, string? fallbackPath)
    {
        var fallback = string.IsNullOrWhiteSpace(fallbackPath) ? "releasegates.json" : fallbackPath.Replace('\\', '/');
        using var buffer = new MemoryStream();
        var options = new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using (var json = new Utf8JsonWriter(buffer, options))
        {
            json.WriteStartArray();
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var gate in report.Gates.Where(g => !g.ReportOnly && g.Status != GateStatus.Passed))
            {
                var before = seen.Values.Sum();
                foreach (var m in gate.Measurements.Where(m => m.Status != GateStatus.Passed && m.WaivedBy is null))
                {
                    var what = m.Target is null ? m.Name : $"{m.Name} [{m.Target}]";
                    var threshold = ReportView.Threshold(m, report.BaselineSubject);
                    Issue(json, seen, gate, m.Status, $"{gate.Category}/{m.Name}", ["measurement", gate.Name, m.Name, m.Target ?? ""],
                        $"{gate.Name}: {what} is {MetricUnitFormat.Format(m.Value, m.Unit)}{(threshold.Length == 0 ? "" : $" against {threshold}")}",
                        fallback, null);
                }

                foreach (var f in gate.Findings.Where(f => f.Severity != FindingSeverity.Info && f.WaivedBy is null))
                {
                    var path = HtmlText.FileHref(f.Target, null) is null ? null : f.Target!.Replace('\\', '/');
                    var line = f.Line?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "";
                    var where = path is null && f.Location is { } l ? $" [{l}]" : "";
                    Issue(json, seen, gate, f.ImpliedStatus, f.Code, ["finding", gate.Name, f.Code, f.Target ?? "", line],
                        $"{gate.Name}: {ReportView.Describe(f)}{where}", path ?? fallback, path is null ? null : f.Line);
                }

                if (seen.Values.Sum() == before)
                {
                    Issue(json, seen, gate, gate.Status, $"{gate.Category}/gate", ["gate", gate.Name],
                        $"{gate.Name}: {gate.Status}: {gate.Summary}", fallback, null);
                }
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Issue(Utf8JsonWriter json, Dictionary<string, int> seen, GateReport gate, GateStatus status, string check,
        string[] identity, string description, string path, int? line)
    {
        // The same identity twice (two findings of one code on one line) gets its occurrence number, so that GitLab, which
        // keeps one issue per fingerprint, shows both; the order of the evidence is stable, so the numbers are too.
        var key = string.Join('\0', identity);
        var occurrence = seen.TryGetValue(key, out var n) ? n : 0;
        seen[key] = occurrence + 1;
        var bytes = Encoding.UTF8.GetBytes(key + '\0' + occurrence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var fingerprint = Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
        json.WriteStartObject();
        json.WriteString("description", IO.ReportText.Line(description));
        json.WriteString("check_name", "release-gates/" + check);
        json.WriteString("fingerprint", fingerprint);
        json.WriteString("severity", status switch
        {
            GateStatus.Failed when gate.Importance == GateImportance.Required => "critical",
            GateStatus.Failed or GateStatus.Error => "major",
            GateStatus.Warning => "minor",
            _ => "info",
        });
        json.WriteStartObject("location");
        json.WriteString("path", path);
        json.WriteStartObject("lines");
        json.WriteNumber("begin", line is > 0 ? line.Value : 1);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
