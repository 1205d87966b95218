using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace ReleaseGates;

/// <summary>
/// A metric <c>source</c> in <c>releasegates.json</c>: a Prometheus server and a PromQL query that yields one number,
/// or a number in a JSON file.
/// </summary>
internal static class MetricSourceForm
{
    /// <summary>A property of a gate's object that holds a metric source, set on the options with <paramref name="set"/>.</summary>
    public static GateFileProperty<TOptions> Property<TOptions>(string name, Action<TOptions, MetricSource?> set)
    {
        // The classes the form holds, declared for the binder before any file is read.
        ConfigTypes.Item<PrometheusConnection>();
        return new(name, Schema, (node, options, file) => set(options, Read(node, file)));
    }

    private static MetricSource? Read(ConfigNode node, GateFileContext file)
    {
        var config = new MetricSourceConfiguration();
        if (!file.Binder.TryBindObject(node, config))
        {
            return null;
        }

        if (config.JsonFile is { } jsonFile && config.Prometheus is null && config.Query is null)
        {
            if (config.Pointer is null)
            {
                file.AddProblem(node, "a jsonFile source needs pointer: the JSON Pointer to the number, such as \"/ratios/record\".");
                return null;
            }

            return MetricSource.FromJsonFile(file.ResolvePath(jsonFile), config.Pointer);
        }

        if (config.Prometheus is not { } connection || string.IsNullOrWhiteSpace(config.Query)
            || config.JsonFile is not null || config.Pointer is not null)
        {
            file.AddProblem(node,
                "set either prometheus (the server: baseAddress and, if needed, bearerToken or username and password) and query "
                + "(PromQL that yields one number), or jsonFile and pointer.");
            return null;
        }

        return MetricSource.FromPrometheus(connection, config.Query);
    }

    private static JsonObject Schema()
    {
        var schema = ConfigSchema.ObjectSchemaOf<MetricSourceConfiguration>();
        schema["description"] = "A Prometheus server and a PromQL query that yields one number, or a JSON file and the JSON Pointer to a number in it.";
        schema["oneOf"] = new JsonArray(
            new JsonObject { ["required"] = new JsonArray("prometheus", "query") },
            new JsonObject { ["required"] = new JsonArray("jsonFile", "pointer") });
        return schema;
    }
}
