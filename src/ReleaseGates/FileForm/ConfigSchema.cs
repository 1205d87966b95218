using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace ReleaseGates;

/// <summary>
/// JSON Schema (draft 2020-12) fragments generated from the same public properties <see cref="ConfigBinder"/> binds, so
/// that the schema of <c>releasegates.json</c> says exactly what the loader accepts.
/// </summary>
internal static class ConfigSchema
{
    /// <summary>The schema of an object bound by its public properties.</summary>
    public static JsonObject ObjectSchemaOf<[DynamicallyAccessedMembers(ConfigTypes.Members)] T>() where T : class
    {
        ConfigTypes.Of<T>();
        return ObjectSchema(typeof(T));
    }

    /// <summary>The schema of a class <see cref="ConfigTypes"/> describes.</summary>
    public static JsonObject ObjectSchema(Type type)
    {
        var properties = new JsonObject();
        foreach (var property in ConfigBinder.BindableProperties(type).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            properties[ConfigBinder.CamelCase(property.Name)] = TypeSchema(property.PropertyType);
        }

        var schema = new JsonObject { ["type"] = "object", ["properties"] = properties, ["additionalProperties"] = false };
        var required = ConfigBinder.BindableProperties(type)
            .Where(p => p.IsDefined(typeof(System.Runtime.CompilerServices.RequiredMemberAttribute), inherit: false))
            .Select(p => ConfigBinder.CamelCase(p.Name))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (required.Length > 0)
        {
            schema["required"] = new JsonArray([.. required.Select(r => JsonValue.Create(r))]);
        }

        return schema;
    }

    public static JsonObject TypeSchema(Type type)
    {
        var nullable = Nullable.GetUnderlyingType(type) is not null;
        type = Nullable.GetUnderlyingType(type) ?? type;
        JsonObject schema;
        if (ConfigBinder.Shape(type) is { } shape)
        {
            schema = shape.IsDictionary
                ? new JsonObject { ["type"] = "object", ["additionalProperties"] = TypeSchema(shape.Item) }
                : new JsonObject { ["type"] = "array", ["items"] = TypeSchema(shape.Item) };
        }
        else if (type.IsEnum && type.IsDefined(typeof(FlagsAttribute), inherit: false))
        {
            var names = string.Join("|", Enum.GetNames(type).SelectMany(n => new[] { n, ConfigBinder.CamelCase(n) }).Distinct(StringComparer.Ordinal));
            schema = new JsonObject
            {
                ["type"] = "string",
                ["pattern"] = $"^\\s*({names})(\\s*,\\s*({names}))*\\s*$",
                ["description"] = "One or more names, separated by commas.",
            };
        }
        else if (type.IsEnum)
        {
            schema = new JsonObject { ["enum"] = new JsonArray([.. Enum.GetNames(type).Select(n => JsonValue.Create(ConfigBinder.CamelCase(n)))]) };
        }
        else
        {
            schema = type switch
            {
                _ when type == typeof(bool) => new JsonObject { ["type"] = "boolean" },
                _ when type == typeof(int) || type == typeof(long) => new JsonObject { ["type"] = "integer" },
                _ when type == typeof(double) => new JsonObject
                {
                    ["anyOf"] = new JsonArray(new JsonObject { ["type"] = "number" }, new JsonObject { ["type"] = "string", ["pattern"] = "^-?[0-9.]+\\s*%$" }),
                },
                _ when type == typeof(TimeSpan) => new JsonObject { ["type"] = "string", ["description"] = "A duration: 300ms, 1.5s, 2min, 1h or 00:05:00." },
                _ when type == typeof(Uri) => new JsonObject { ["type"] = "string", ["format"] = "uri" },
                _ when type == typeof(DateOnly) => new JsonObject { ["type"] = "string", ["format"] = "date" },
                _ when type == typeof(DateTime) => new JsonObject
                {
                    ["type"] = "string", ["pattern"] = "^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?)?$",
                    ["description"] = "A date and time without an offset: 2027-01-01T00:00:00.",
                },
                _ when type == typeof(string) || type == typeof(HttpMethod) => new JsonObject { ["type"] = "string" },
                _ when ConfigTypes.Find(type) is not null => ObjectSchema(type),
                _ => new JsonObject { ["type"] = "object" }, // bound by the gate's kind itself (a source), which gives its own schema
            };
        }

        return nullable
            ? new JsonObject { ["anyOf"] = new JsonArray(schema, new JsonObject { ["type"] = "null" }) }
            : schema;
    }
}
