using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReleaseGates;

[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    WriteIndented = true,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    Converters = [typeof(GateConditionJsonConverter)])]
[JsonSerializable(typeof(ReleaseReport))]
internal sealed partial class ReleaseReportJsonContext : JsonSerializerContext;

/// <summary>Writes conditions in their text form so that a report reads like the configuration that produced it.</summary>
internal sealed class GateConditionJsonConverter : JsonConverter<GateCondition>
{
    public override GateCondition? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"A condition is written as a string such as \"p(95) < 300ms\", but found {reader.TokenType}.");
        }

        try
        {
            return GateCondition.Parse(reader.GetString()!);
        }
        catch (ConditionFormatException ex)
        {
            throw new JsonException(ex.Message, ex);
        }
    }

    public override void Write(Utf8JsonWriter writer, GateCondition value, JsonSerializerOptions options)
        => writer.WriteStringValue(value.ToString());
}

internal static class ReleaseReportJson
{
    /// <summary>The source-generated context with relaxed escaping, so that "p(95) &lt; 300ms" is written as is, not as "\u003C".</summary>
    public static readonly ReleaseReportJsonContext Context = new(new JsonSerializerOptions(ReleaseReportJsonContext.Default.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>
    /// What reading a report may throw: <see cref="ReleaseReportFormatException"/> (a <see cref="FormatException"/>),
    /// malformed JSON, and what the deserializer throws for JSON of the wrong shape (<c>null</c> where an object it fills
    /// belongs).
    /// </summary>
    public static bool IsFormatError(Exception ex) => ex is JsonException or InvalidOperationException or NotSupportedException or FormatException;

    /// <summary>The documented exception for <paramref name="ex"/>, with the JSON path where the reader gave one.</summary>
    public static ReleaseReportFormatException FormatError(Exception ex) => ex switch
    {
        ReleaseReportFormatException format => format,
        JsonException { Path: { Length: > 0 } path } json when !json.Message.Contains(path, StringComparison.Ordinal)
            => new ReleaseReportFormatException($"Not a release report: at {path}: {json.Message}", ex),
        _ => new ReleaseReportFormatException($"Not a release report: {ex.Message}", ex),
    };

    public static ReleaseReport Read(JsonDocument document)
    {
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ReleaseReportFormatException($"Not a release report: the JSON root is {root.ValueKind}, expected an object.");
        }

        if (!root.TryGetProperty("schemaVersion", out var version) || version.ValueKind != JsonValueKind.Number)
        {
            throw new ReleaseReportFormatException("Not a release report: the property 'schemaVersion' (a number) is missing.");
        }

        if (!version.TryGetInt32(out var v) || v != ReleaseReport.CurrentSchemaVersion)
        {
            throw new ReleaseReportFormatException(
                $"Unsupported release report schema version {version.GetRawText()}: this version of ReleaseGates reads schema version {ReleaseReport.CurrentSchemaVersion}.");
        }

        // Objects the reader fills in place take no null (the deserializer's own error would not say where).
        if (root.TryGetProperty("scoring", out var scoringElement) && scoringElement.ValueKind == JsonValueKind.Object
            && scoringElement.TryGetProperty("categoryWeights", out var weights) && weights.ValueKind != JsonValueKind.Object)
        {
            throw new ReleaseReportFormatException($"Not a valid release report: '$.scoring.categoryWeights' must be an object of category weights, not {weights.ValueKind}.");
        }

        var report = root.Deserialize(Context.ReleaseReport)
            ?? throw new ReleaseReportFormatException("Not a release report: the JSON is null.");
        var problems = new List<string>();
        Validate(report, problems);
        return problems.Count == 0
            ? Recheck(report)
            : throw new ReleaseReportFormatException($"Not a valid release report: {string.Join("; ", problems.Take(10))}{(problems.Count > 10 ? $"; and {problems.Count - 10} more" : "")}.");
    }

    /// <summary>
    /// A report from a file is evidence to re-check, never a verdict to trust: its gates' statuses and its decision are
    /// decided again from its measurements, findings and scoring (as <c>Replay</c> does), so that <c>EnsureGo</c>, the
    /// exit code, <c>compare</c> and the writers never believe a GO that its own failed Required gate contradicts. A
    /// stored decision worse than the evidence's (a watch stopped by its limits, a cancelled run) is kept: reading can
    /// make a report stricter, never better.
    /// </summary>
    private static ReleaseReport Recheck(ReleaseReport stored)
    {
        // Where the stored decision is as strict as the evidence's or stricter, its reasons stand too (a watch's reason
        // first, which replaying the last round alone would drop); where it is better, the evidence decides and says why.
        var rechecked = ReportReplay.Replay(stored, stored.Scoring);
        return stored.Decision <= rechecked.Decision
            ? rechecked.WithDecision(stored.Decision, stored.Reasons)
            : rechecked;
    }

    /// <summary>
    /// What the deserializer lets through but no report may hold: nulls where lists or strings belong, undefined enum
    /// values (written as numbers), weights and scores that are not finite. Each problem names its JSON path.
    /// </summary>
    private static void Validate(ReleaseReport report, List<string> problems)
    {
        void Require(bool ok, string path, string expected)
        {
            if (!ok)
            {
                problems.Add($"'{path}' must be {expected}");
            }
        }

        Require(report.Subject is not null, "$.subject", "an object");
        Require(report.Scoring is not null, "$.scoring", "an object");
        if (report.Scoring is { } scoring)
        {
            Require(double.IsFinite(scoring.PassScore) && double.IsFinite(scoring.WarningScore)
                && double.IsFinite(scoring.WarningGateScore), "$.scoring", "finite scores");
            Require(scoring.CategoryWeights is not null && scoring.CategoryWeights.Values.All(w => double.IsFinite(w) && w >= 0),
                "$.scoring.categoryWeights", "an object of finite, non-negative weights");
        }

        Require(Enum.IsDefined(report.Decision), "$.decision", "Go, GoWithWarnings or NoGo");
        Require(report.Score is not { } score || double.IsFinite(score), "$.score", "a finite number or absent");
        Require(report.Categories is not null && report.Categories.All(c => c is not null && c.Category is not null), "$.categories",
            "a list of category scores with names");
        Require(report.Importances is not null && report.Importances.All(i => i is not null && Enum.IsDefined(i.Importance)),
            "$.importances", "a list of importance scores (Required, Recommended or Optional)");
        Require(report.Reasons is not null && report.Reasons.All(r => r is not null), "$.reasons", "a list of strings");
        Require(report.DecidingGates is not null && report.DecidingGates.All(r => r is not null), "$.decidingGates", "a list of strings");
        ValidateWaivers(report, problems);
        if (report.History is { } history)
        {
            Require(Enum.IsDefined(history.Status), "$.history.status", "Error, Failed, Warning, Skipped or Passed");
            Require(history.Store is not null, "$.history.store", "a string");
            Require(history.Baseline is not null && history.Baseline.All(b => b is not null && b.Subject is not null && Enum.IsDefined(b.Decision)),
                "$.history.baseline", "a list of evaluations with a subject and a decision");
            Require(history.Notes is not null && history.Notes.All(n => n is not null), "$.history.notes", "a list of strings");
            Require(history.Problems is not null && history.Problems.All(n => n is not null), "$.history.problems", "a list of strings");
        }

        if (report.Gates is null)
        {
            problems.Add("'$.gates' must be a list");
            return;
        }

        for (var g = 0; g < report.Gates.Count; g++)
        {
            var path = $"$.gates[{g}]";
            if (report.Gates[g] is not { } gate)
            {
                problems.Add($"'{path}' must be an object");
                continue;
            }

            Require(gate.Name is not null, path + ".name", "a string");
            Require(gate.Category is not null, path + ".category", "a string");
            Require(gate.Summary is not null, path + ".summary", "a string");
            Require(Enum.IsDefined(gate.Status), path + ".status", "Error, Failed, Warning, Skipped or Passed");
            Require(Enum.IsDefined(gate.Importance), path + ".importance", "Required, Recommended or Optional");
            Require(double.IsFinite(gate.Weight) && gate.Weight >= 0, path + ".weight", "a finite, non-negative number");
            Require(gate.Score is not { } gs || (gs >= 0 && gs <= 100), path + ".score", "a number from 0 to 100 or absent");
            Require(gate.Tags is not null && gate.Tags.All(t => t is not null), path + ".tags", "a list of strings");
            if (gate.Measurements is null)
            {
                problems.Add($"'{path}.measurements' must be a list");
            }
            else
            {
                for (var i = 0; i < gate.Measurements.Count; i++)
                {
                    var m = gate.Measurements[i];
                    var at = $"{path}.measurements[{i}]";
                    if (m is null)
                    {
                        problems.Add($"'{at}' must be an object");
                        continue;
                    }

                    Require(!string.IsNullOrEmpty(m.Name), at + ".name", "a non-empty string");
                    Require(Enum.IsDefined(m.Unit), at + ".unit", "a unit name");
                    Require(Enum.IsDefined(m.Status), at + ".status", "Error, Failed, Warning, Skipped or Passed");
                }
            }

            if (gate.Findings is null)
            {
                problems.Add($"'{path}.findings' must be a list");
            }
            else
            {
                for (var i = 0; i < gate.Findings.Count; i++)
                {
                    var f = gate.Findings[i];
                    var at = $"{path}.findings[{i}]";
                    if (f is null)
                    {
                        problems.Add($"'{at}' must be an object");
                        continue;
                    }

                    Require(!string.IsNullOrEmpty(f.Code), at + ".code", "a non-empty string");
                    Require(f.Message is not null, at + ".message", "a string");
                    Require(Enum.IsDefined(f.Severity), at + ".severity", "Info, Warning or Error");
                }
            }
        }
    }

    private static void ValidateWaivers(ReleaseReport report, List<string> problems)
    {
        if (report.Waivers is null)
        {
            problems.Add("'$.waivers' must be a list");
            return;
        }

        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < report.Waivers.Count; i++)
        {
            var at = $"$.waivers[{i}]";
            if (report.Waivers[i] is not { Waiver: { } waiver } entry)
            {
                problems.Add($"'{at}' must be an object with a waiver");
                continue;
            }

            if (!Enum.IsDefined(entry.State) || entry.Matches < 0)
            {
                problems.Add($"'{at}' must have a state (Applied, Unused or Expired) and a non-negative match count");
            }

            // The same checks as configuration: a replay applies these waivers again, so each must be one that could be configured.
            problems.AddRange(waiver.Problems(ids).Select(p => $"'{at}.waiver': {p}"));
        }
    }
}
