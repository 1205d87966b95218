namespace ReleaseGates;

/// <summary>Options of the WebSocket gate (<c>AddWebSocket</c>). See <c>docs/gates/websocket.md</c>.</summary>
public sealed class WebSocketGateOptions : GateOptions
{
    /// <summary>The metrics the gate measures, which <see cref="Conditions"/> may name.</summary>
    internal static readonly string[] Metrics =
    [
        "connect-p50", "connect-p95", "connect-p99", "connect-max", "round-trip-p50", "round-trip-p95", "round-trip-p99", "round-trip-max",
        "error-rate", "errors",
    ];

    /// <summary>Creates the options with the gate's defaults: category <see cref="GateCategories.Performance"/>.</summary>
    public WebSocketGateOptions() => Category = GateCategories.Performance;

    /// <summary>
    /// The endpoint: a <c>ws://</c> or <c>wss://</c> address (<c>wss://</c> trusts what the system trusts, as the HTTP
    /// probe does). Required.
    /// </summary>
    public Uri? Url { get; set; }

    /// <summary>
    /// The client whose handler opens the connections (a <c>SocketsHttpHandler</c> with its own certificate validation, a
    /// proxy), as the HTTP probe takes one; the gate does not dispose it. Default: none, the system's trust store and
    /// settings.
    /// </summary>
    public HttpMessageInvoker? HttpClient { get; set; }

    /// <summary>Headers sent with the upgrade request (an <c>Authorization</c> token); credential headers are never shown.</summary>
    public IDictionary<string, string> Headers { get; private set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The text message each connection sends, one round trip per message; <see langword="null"/> to only connect. Default: <c>ping</c>.</summary>
    public string? Message { get; set; } = "ping";

    /// <summary>Text the reply must contain (a JSON field and value, a word); <see langword="null"/> for any reply. Default: none.</summary>
    public string? ExpectedReply { get; set; }

    /// <summary>How many connections are open at once. Default: 10.</summary>
    public int Connections { get; set; } = 10;

    /// <summary>How many round trips each connection makes. Default: 5.</summary>
    public int MessagesPerConnection { get; set; } = 5;

    /// <summary>How long every connection is held open, all at once, after its round trips. Default: none.</summary>
    public TimeSpan HoldFor { get; set; }

    /// <summary>
    /// Whether each connection, once done (closed by the server or by the gate), connects again and makes one more round
    /// trip: "reconnect works". Default: false.
    /// </summary>
    public bool Reconnect { get; set; }

    /// <summary>How long one connect, or one reply, may take; longer is an error. Default: 5 seconds.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The most a reply may hold; more is an error. Default: 1 MiB.</summary>
    public int MaximumReplyBytes { get; set; } = 1 << 20;

    /// <summary>
    /// Conditions in the condition language on <c>connect-p50</c>/<c>-p95</c>/<c>-p99</c>/<c>-max</c>,
    /// <c>round-trip-p50</c>/…, <c>errors</c> and <c>error-rate</c>: <c>"connect-p95 &lt; 100ms"</c>. Default:
    /// <c>error-rate &lt;= 0%</c>.
    /// </summary>
    public IList<string> Conditions { get; private set; } = ["error-rate <= 0%"];

    internal override IEnumerable<string?> Secrets => Headers.Where(h => IO.Redaction.IsCredentialHeader(h.Key)).Select(h => (string?)h.Value)
        .Concat(QueryValues(Url));

    /// <summary>The query string's values: a token in a WebSocket URL is common, and never shown.</summary>
    internal static IEnumerable<string?> QueryValues(Uri? url) => url is { IsAbsoluteUri: true, Query.Length: > 1 }
        ? url.Query[1..].Split('&').Select(p => p.Split('=', 2)).Where(p => p.Length == 2 && p[1].Length > 0).Select(p => Uri.UnescapeDataString(p[1]))
        : [];

    /// <inheritdoc />
    protected internal override void Validate(ICollection<string> problems)
    {
        base.Validate(problems);
        if (Url is not { IsAbsoluteUri: true } || Url.Scheme is not ("ws" or "wss"))
        {
            problems.Add($"{nameof(Url)} must be an absolute ws:// or wss:// address.");
        }

        if (Connections is < 1 or > 1000)
        {
            problems.Add($"{nameof(Connections)} must be 1 to 1,000, but was {Connections}.");
        }

        if (MessagesPerConnection is < 0 or > 10_000)
        {
            problems.Add($"{nameof(MessagesPerConnection)} must be 0 to 10,000, but was {MessagesPerConnection}.");
        }

        if (HoldFor < TimeSpan.Zero || HoldFor > TimeSpan.FromMinutes(10))
        {
            problems.Add($"{nameof(HoldFor)} must be 0 to 10 minutes, but was {HoldFor}.");
        }

        if (OperationTimeout <= TimeSpan.Zero || OperationTimeout > TimeSpan.FromMinutes(2))
        {
            problems.Add($"{nameof(OperationTimeout)} must be above zero and at most 2 minutes, but was {OperationTimeout}.");
        }

        if (MaximumReplyBytes < 1)
        {
            problems.Add($"{nameof(MaximumReplyBytes)} must be positive, but was {MaximumReplyBytes}.");
        }

        if (Conditions.Count == 0)
        {
            problems.Add($"{nameof(Conditions)} is empty: without one (\"error-rate <= 0%\" by default) failed connections could not fail the gate.");
        }

        ConditionList.Validate(Conditions, m => Metrics.Contains(m) ? (m.StartsWith("error", StringComparison.Ordinal)
            ? (m == "errors" ? MetricUnit.Count : MetricUnit.Percent) : MetricUnit.Milliseconds) : null, string.Join(", ", Metrics), problems);
    }

    /// <inheritdoc />
    protected internal override GateOptions Clone()
    {
        var copy = (WebSocketGateOptions)base.Clone();
        copy.Headers = new Dictionary<string, string>(Headers, StringComparer.OrdinalIgnoreCase);
        copy.Conditions = [.. Conditions];
        return copy;
    }
}
