namespace ReleaseGates;

/// <summary>The WebSocket gate's finding codes, each listed on its docs page, and where that page is.</summary>
internal static class WebSocketGateConstants
{
    /// <summary>The gate's page, which documents every finding code below.</summary>
    public const string DocsPage = "docs/gates/websocket.md";

    public const string Failed = "websocket.failed";

    public const string UnexpectedReply = "websocket.unexpected-reply";

    public const string ReconnectFailed = "websocket.reconnect-failed";
}
