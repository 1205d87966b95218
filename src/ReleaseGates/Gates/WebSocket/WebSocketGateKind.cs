using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace ReleaseGates;

/// <summary>
/// <c>"type": "webSocket"</c> in <c>releasegates.json</c>: every property bound by name, but <c>url</c>, which is a
/// <c>ws://</c> or <c>wss://</c> address (the binder's URLs are http and https).
/// </summary>
internal sealed class WebSocketGateKind() : GateKind<WebSocketGateOptions>("webSocket")
{
    /// <inheritdoc />
    internal override IReadOnlyList<GateFileProperty<WebSocketGateOptions>> Properties
    {
        get => [new("url", () => new JsonObject { ["type"] = "string", ["pattern"] = "^wss?://" }, (node, options, file) =>
        {
            if (file.Binder.ReadString(node) is not { } text)
            {
                return;
            }

            if (Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "ws" or "wss")
            {
                options.Url = url;
            }
            else
            {
                file.AddProblem(node, "expected an absolute ws:// or wss:// address.");
            }
        })];
    }

    /// <inheritdoc />
    protected override void Register(IReleaseGatesBuilder builder, string name, WebSocketGateOptions options) => builder.AddWebSocket(name, options);
}
