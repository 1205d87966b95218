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

        return root.Deserialize(Context.ReleaseReport)
            ?? throw new ReleaseReportFormatException("Not a release report: the JSON is null.");
    }
}
