using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReleaseGates;

/// <summary>
/// The JSON Schema (draft 2020-12) of <c>releasegates.json</c>, generated from the same options the file is bound to, so
/// that editors complete and check what the loader accepts. <c>docs/releasegates.schema.json</c> is this text.
/// </summary>
public static class ReleaseGatesConfigurationSchema
{
    /// <summary>The schema as indented JSON text, with the built-in gates and those of the kinds given.</summary>
    /// <param name="kinds">The kinds of gate packages whose gates the file may name, as given to <c>AddFromJsonFile</c>.</param>
    /// <returns>The schema.</returns>
    /// <exception cref="ArgumentException">A kind takes a type already taken.</exception>
    public static string Generate(params GateKind[] kinds)
    {
        JsonConfigurationFile.DeclareTypes();
        var gates = new JsonArray();
        foreach (var kind in BuiltInGateKinds.With(kinds).Values)
        {
            gates.Add((JsonNode)kind.Schema());
        }

        var root = ConfigSchema.ObjectSchemaOf<ReleaseGatesOptions>();
        var rootProperties = (JsonObject)root["properties"]!;
        rootProperties["$schema"] = new JsonObject { ["type"] = "string" };
        rootProperties["waivers"] = new JsonObject
        {
            ["description"] = "Accepted exceptions (docs/waivers.md): an array of waivers, or the path of a JSON file that holds one.",
            ["anyOf"] = new JsonArray(rootProperties["waivers"]!.DeepClone(), new JsonObject { ["type"] = "string" }),
        };
        rootProperties["gatePackages"] = new JsonObject
        {
            ["type"] = "array",
            ["items"] = new JsonObject { ["type"] = "string" },
            ["description"] = "Gate-package assemblies (.dll, relative to this file) the release-gates tool loads; their gate types may then be named in gates.",
        };
        var history = ConfigSchema.ObjectSchemaOf<HistoryFileForm>();
        history["description"] = "The report history (docs/history.md): where evaluations are recorded and baselines chosen by rule.";
        rootProperties["history"] = history;
        rootProperties["gates"] = new JsonObject
        {
            ["type"] = "object",
            ["description"] = "The gates by name; each names its \"type\".",
            ["additionalProperties"] = new JsonObject { ["oneOf"] = gates },
        };
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        root["title"] = "ReleaseGates configuration (releasegates.json)";
        var options = new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        return root.ToJsonString(options) + "\n";
    }
}
