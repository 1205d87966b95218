using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReleaseGates;

/// <summary><c>"type": "smokeTests"</c> in <c>releasegates.json</c>, with its <c>requests</c>: each an object with a <c>path</c> and the expectations.</summary>
internal sealed class SmokeTestsGateKind : GateKind<SmokeTestsGateOptions>
{
    /// <summary>Creates the kind, declaring the classes its options hold.</summary>
    public SmokeTestsGateKind()
        : base("smokeTests")
    {
        AddOptionsType<HttpProbeOptions>();
    }

    /// <inheritdoc />
    internal override IReadOnlyList<GateFileProperty<SmokeTestsGateOptions>> Properties
    {
        get => [new("requests", RequestsSchema, (node, options, file) => ReadRequests(node, file, options.Requests))];
    }

    /// <inheritdoc />
    protected override void Register(IReleaseGatesBuilder builder, string name, SmokeTestsGateOptions options) => builder.AddSmokeTests(name, options);

    private static void ReadRequests(ConfigNode node, GateFileContext file, IList<SmokeRequest> requests)
    {
        if (node.Kind != JsonTokenType.StartArray)
        {
            file.AddProblem(node, $"expected an array of requests, found {node.KindName}.");
            return;
        }

        foreach (var item in node.Items)
        {
            var config = new SmokeRequestConfiguration();
            if (!file.Binder.TryBindObject(item, config))
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(config.Path))
            {
                file.AddProblem(item, "a request needs a \"path\" (relative to baseAddress, or an absolute URL).");
                continue;
            }

            requests.Add(config.ToRequest());
        }
    }

    private static JsonObject RequestsSchema()
    {
        var request = ConfigSchema.ObjectSchemaOf<SmokeRequestConfiguration>();
        request["required"] = new JsonArray("path");
        return new JsonObject { ["type"] = "array", ["items"] = request };
    }
}
