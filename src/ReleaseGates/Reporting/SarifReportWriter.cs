using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace ReleaseGates;

/// <summary>
/// SARIF 2.1.0, so that code-scanning dashboards (GitHub code scanning, Azure DevOps, SonarQube's import) show what fell
/// short: one result per measurement or finding that did not pass, and one per gate that failed or could not evaluate
/// without saying why in either. Passing gates and informational findings are not results: SARIF is a list of problems.
/// </summary>
/// <remarks>
/// A result's rule is the finding's code (<c>hsts.missing</c>), the gate's category and the measurement's name
/// (<c>latency.p(95)</c>), or <c>gate.failed</c> / <c>gate.error</c>. A target that names a file (a path with an
/// extension and no spaces) becomes the result's physical location; any other target (a header, an endpoint, a URL) a
/// logical location. GitHub rejects results without a physical location, so a caller can name a file (the pipeline's
/// <c>releasegates.json</c>) for the results that have none of their own.
/// </remarks>
internal static class SarifReportWriter
{
    private const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    public static string Write(ReleaseReport report, string? fallbackArtifact)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            var results = Results(report);
            w.WriteStartObject();
            w.WriteString("$schema", SchemaUri);
            w.WriteString("version", "2.1.0");
            w.WriteStartArray("runs");
            w.WriteStartObject();
            WriteTool(w, results);
            WriteInvocation(w, report);
            w.WriteStartArray("results");
            foreach (var result in results)
            {
                WriteResult(w, result, fallbackArtifact);
            }

            w.WriteEndArray();
            WriteRunProperties(w, report);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private sealed record Result(string RuleId, string Level, string Message, string? Target, GateReport Gate, Action<Utf8JsonWriter> Properties)
    {
        /// <summary>The line in <see cref="Target"/>, when it is a file and the finding names one.</summary>
        public int? Line { get; init; }

        /// <summary>The waiver that covered it: the result is written with an accepted, external suppression.</summary>
        public Waiver? WaivedBy { get; init; }
    }

    private static List<Result> Results(ReleaseReport report)
    {
        var results = new List<Result>();
        var waivers = report.Waivers.GroupBy(w => w.Waiver.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Waiver, StringComparer.Ordinal);
        Waiver? WaiverOf(string? id) => id is not null && waivers.TryGetValue(id, out var waiver) ? waiver : null;

        // A waived shortfall stays a result, suppressed as accepted with the waiver's reason, as code scanning shows dismissed alerts.
        foreach (var gate in report.Gates.Where(g => g.Status is GateStatus.Failed or GateStatus.Warning or GateStatus.Error
            || g.Measurements.Any(m => m.WaivedBy is not null) || g.Findings.Any(f => f.WaivedBy is not null)))
        {
            var before = results.Count;
            foreach (var m in gate.Measurements.Where(m => m.Status is GateStatus.Failed or GateStatus.Warning or GateStatus.Error))
            {
                var value = MetricUnitFormat.Format(m.Value, m.Unit);
                var threshold = ReportView.Threshold(m, report.BaselineSubject);
                var message = $"{gate.Name}: {m.Name}{(m.Target is null ? "" : $" [{m.Target}]")} is {value}" + (threshold.Length == 0 ? "."
                    : $", against {threshold}.");
                results.Add(new Result($"{gate.Category}.{m.Name}", Level(gate, m.Status), message, m.Target, gate, w =>
                {
                    w.WriteString("measurement", m.Name);
                    WriteNumberOrText(w, "value", m.Value);
                    w.WriteString("unit", m.Unit.ToString());
                    if (m.Condition is not null)
                    {
                        w.WriteString("condition", m.Condition.ToString());
                    }
                }) { WaivedBy = WaiverOf(m.WaivedBy) });
            }

            foreach (var f in gate.Findings.Where(f => f.Severity != FindingSeverity.Info))
            {
                var level = Level(gate, f.Severity == FindingSeverity.Warning ? GateStatus.Warning : GateStatus.Failed);
                results.Add(new Result(f.Code, level, $"{gate.Name}: {ReportView.Describe(f)}", f.Target, gate, w =>
                {
                    if (f.Observed is not null)
                    {
                        w.WriteString("observed", f.Observed);
                    }

                    if (f.Remediation is not null)
                    {
                        w.WriteString("remediation", f.Remediation);
                    }
                }) { Line = f.Line, WaivedBy = WaiverOf(f.WaivedBy) });
            }

            if (results.Count == before && gate.Status != GateStatus.Passed)
            {
                var rule = gate.Status == GateStatus.Error ? "gate.error" : gate.Status == GateStatus.Warning ? "gate.warning" : "gate.failed";
                results.Add(new Result(rule, Level(gate, gate.Status), $"{gate.Name}: {gate.Status}: {gate.Summary}", null, gate, _ => { }));
            }
        }

        return results;
    }

    /// <summary>A report-only gate's shortfalls are notes: they are shown, but nothing is meant to block on them.</summary>
    private static string Level(GateReport gate, GateStatus status)
        => gate.ReportOnly ? "note" : status == GateStatus.Warning ? "warning" : "error";

    private static void WriteTool(Utf8JsonWriter w, List<Result> results)
    {
        w.WriteStartObject("tool");
        w.WriteStartObject("driver");
        w.WriteString("name", "ReleaseGates");
        w.WriteString("semanticVersion", Version());
        w.WriteString("informationUri", "https://github.com/releasegates/releasegates");
        w.WriteStartArray("rules");
        foreach (var rule in results.GroupBy(r => r.RuleId, StringComparer.Ordinal))
        {
            w.WriteStartObject();
            w.WriteString("id", rule.Key);
            w.WriteStartObject("shortDescription");
            w.WriteString("text", $"Release gate check {rule.Key} ({rule.First().Gate.Category})");
            w.WriteEndObject();
            w.WriteStartObject("properties");
            w.WriteString("category", rule.First().Gate.Category);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteInvocation(Utf8JsonWriter w, ReleaseReport report)
    {
        w.WriteStartArray("invocations");
        w.WriteStartObject();
        // Gates that could not evaluate are results (gate.error), not a failed tool run: the evaluation itself completed.
        w.WriteBoolean("executionSuccessful", true);
        w.WriteString("startTimeUtc", Timestamp(report.StartedAt));
        w.WriteString("endTimeUtc", Timestamp(report.StartedAt + report.Duration));
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static void WriteResult(Utf8JsonWriter w, Result result, string? fallbackArtifact)
    {
        w.WriteStartObject();
        w.WriteString("ruleId", result.RuleId);
        w.WriteString("level", result.Level);
        w.WriteStartObject("message");
        w.WriteString("text", result.Message);
        w.WriteEndObject();
        var file = result.Target is { } t && NamesFile(t) ? t : null;
        var artifact = file ?? fallbackArtifact;
        var logical = file is null ? result.Target : null;
        if (artifact is not null || logical is not null)
        {
            w.WriteStartArray("locations");
            w.WriteStartObject();
            if (artifact is not null)
            {
                w.WriteStartObject("physicalLocation");
                w.WriteStartObject("artifactLocation");
                w.WriteString("uri", ToUri(artifact));
                w.WriteEndObject();
                if (file is not null && result.Line is > 0 and var line)
                {
                    w.WriteStartObject("region");
                    w.WriteNumber("startLine", line);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            if (logical is not null)
            {
                w.WriteStartArray("logicalLocations");
                w.WriteStartObject();
                w.WriteString("name", logical);
                w.WriteString("kind", "resource");
                w.WriteEndObject();
                w.WriteEndArray();
            }

            w.WriteEndObject();
            w.WriteEndArray();
        }

        if (result.WaivedBy is { } waiver)
        {
            WriteSuppression(w, waiver);
        }

        w.WriteStartObject("properties");
        w.WriteString("gate", result.Gate.Name);
        w.WriteString("category", result.Gate.Category);
        w.WriteString("importance", result.Gate.Importance.ToString());
        w.WriteString("gateStatus", result.Gate.Status.ToString());
        result.Properties(w);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>A waived result's suppression: accepted outside the code, justified by the waiver.</summary>
    private static void WriteSuppression(Utf8JsonWriter w, Waiver waiver)
    {
        w.WriteStartArray("suppressions");
        w.WriteStartObject();
        w.WriteString("kind", "external");
        w.WriteString("status", "accepted");
        w.WriteString("justification",
            $"{waiver.Id}: {waiver.Reason} (approved by {waiver.ApprovedBy}, until {waiver.Expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})");
        w.WriteEndObject();
        w.WriteEndArray();
    }

    /// <summary>A number, or (JSON has no NaN or infinity) its text: "NaN", "Infinity", "-Infinity", as the JSON report writes them.</summary>
    private static void WriteNumberOrText(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, value);
        }
        else
        {
            w.WriteString(name, value.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static void WriteRunProperties(Utf8JsonWriter w, ReleaseReport report)
    {
        w.WriteStartObject("properties");
        w.WriteString("decision", ReportFormat.Decision(report.Decision));
        if (report.Score is { } score)
        {
            WriteNumberOrText(w, "score", score);
        }

        WriteIfSet(w, "service", report.Subject.Service);
        WriteIfSet(w, "version", report.Subject.Version);
        WriteIfSet(w, "commit", report.Subject.Commit);
        WriteIfSet(w, "environment", report.Subject.Environment);
        w.WriteEndObject();
    }

    private static void WriteIfSet(Utf8JsonWriter w, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            w.WriteString(name, value);
        }
    }

    /// <summary>A path with an extension and no whitespace or scheme: <c>src/Orders/OrderService.cs</c>, <c>/ci/TestResults/a.trx</c>.</summary>
    internal static bool NamesFile(string target)
        => target.Length > 0 && !target.Contains("://", StringComparison.Ordinal) && !target.Any(char.IsWhiteSpace)
           && target.IndexOfAny(Path.GetInvalidPathChars()) < 0 && Path.HasExtension(target) && !target.EndsWith('.');

    /// <summary>An absolute path as a <c>file:</c> URI; a relative one as a relative reference with each segment escaped.</summary>
    internal static string ToUri(string path)
    {
        if (Path.IsPathFullyQualified(path))
        {
            return new Uri(path).AbsoluteUri;
        }

        return string.Join('/', path.Replace('\\', '/').Split('/').Select(Uri.EscapeDataString));
    }

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Version()
    {
        var version = typeof(SarifReportWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
