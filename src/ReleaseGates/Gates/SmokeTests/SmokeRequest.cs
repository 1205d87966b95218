namespace ReleaseGates;

/// <summary>One request of the smoke-endpoint gate and what its response must look like. Build with <see cref="Get"/> or <see cref="Send"/> and the <c>Expect…</c> methods.</summary>
public sealed class SmokeRequest
{
    private string? _name;

    private SmokeRequest(HttpMethod method, string path)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Method = method;
        Path = path;
    }

    /// <summary>The method.</summary>
    public HttpMethod Method { get; }

    /// <summary>The path (relative to the gate's base address) or an absolute URL.</summary>
    public string Path { get; }

    /// <summary>The name in the report. Default: <c>METHOD path</c>.</summary>
    public string Name => _name ?? $"{Method} {Path}";

    /// <summary>Request headers.</summary>
    public IDictionary<string, string> Headers { get; private set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The request body, or <see langword="null"/>.</summary>
    public string? Body { get; private set; }

    /// <summary>The body's content type. Default: <c>application/json</c>.</summary>
    public string BodyContentType { get; private set; } = "application/json";

    /// <summary>Whether redirects are followed (the expectations then apply to the final response). Default: true.</summary>
    public bool FollowRedirects { get; set; } = true;

    /// <summary>Statuses that pass. Default: 200.</summary>
    public ISet<int> ExpectedStatuses { get; private set; } = new HashSet<int>();

    /// <summary>The media type the response must have (parameters such as charset ignored), or <see langword="null"/>.</summary>
    public string? ExpectedContentType { get; private set; }

    /// <summary>The most the request may take, redirects and body included, or <see langword="null"/>.</summary>
    public TimeSpan? MaximumLatency { get; private set; }

    /// <summary>Texts the body must contain (ordinal).</summary>
    public IList<string> BodyContains { get; private set; } = [];

    /// <summary>JSON paths (<c>$.status</c>, <c>$.items[0].id</c>) and the JSON value each must equal (<c>"Healthy"</c> as a string, <c>3</c>, <c>true</c>).</summary>
    public IDictionary<string, string> JsonEquals { get; private set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Response headers that must be present.</summary>
    public IList<string> HeadersPresent { get; private set; } = [];

    /// <summary>A GET request.</summary>
    /// <param name="path">The path or absolute URL.</param>
    /// <returns>The request.</returns>
    public static SmokeRequest Get(string path) => new(HttpMethod.Get, path);

    /// <summary>A request with any method and an optional body.</summary>
    /// <param name="method">The method.</param>
    /// <param name="path">The path or absolute URL.</param>
    /// <param name="body">The body, or <see langword="null"/>.</param>
    /// <param name="contentType">The body's content type.</param>
    /// <returns>The request.</returns>
    public static SmokeRequest Send(HttpMethod method, string path, string? body = null, string contentType = "application/json")
        => new(method, path) { Body = body, BodyContentType = contentType };

    /// <summary>Names the request in the report.</summary>
    /// <param name="name">The name.</param>
    /// <returns>This request.</returns>
    public SmokeRequest Named(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _name = name;
        return this;
    }

    /// <summary>Adds a request header.</summary>
    /// <param name="name">The header.</param>
    /// <param name="value">Its value.</param>
    /// <returns>This request.</returns>
    public SmokeRequest WithHeader(string name, string value)
    {
        Headers[name] = value;
        return this;
    }

    /// <summary>Accepts these statuses (replacing the default 200).</summary>
    /// <param name="statuses">The statuses.</param>
    /// <returns>This request.</returns>
    public SmokeRequest ExpectStatus(params int[] statuses)
    {
        foreach (var s in statuses)
        {
            ExpectedStatuses.Add(s);
        }

        return this;
    }

    /// <summary>Requires a media type, e.g. <c>application/json</c>.</summary>
    /// <param name="mediaType">The media type.</param>
    /// <returns>This request.</returns>
    public SmokeRequest ExpectContentType(string mediaType)
    {
        ExpectedContentType = mediaType;
        return this;
    }

    /// <summary>Requires the response within <paramref name="latency"/>.</summary>
    /// <param name="latency">The most the request may take.</param>
    /// <returns>This request.</returns>
    public SmokeRequest ExpectLatencyBelow(TimeSpan latency)
    {
        MaximumLatency = latency;
        return this;
    }

    /// <summary>Requires the body to contain <paramref name="text"/>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>This request.</returns>
    public SmokeRequest ExpectBodyContains(string text)
    {
        BodyContains.Add(text);
        return this;
    }

    /// <summary>Requires the JSON value at <paramref name="path"/> to equal <paramref name="json"/> (a JSON literal; a bare word is taken as a string).</summary>
    /// <param name="path">The path, e.g. <c>$.status</c> or <c>$.items[0].id</c>.</param>
    /// <param name="json">The expected value.</param>
    /// <returns>This request.</returns>
    public SmokeRequest ExpectJson(string path, string json)
    {
        JsonEquals[path] = json;
        return this;
    }

    /// <summary>Requires a response header.</summary>
    /// <param name="header">The header.</param>
    /// <returns>This request.</returns>
    public SmokeRequest ExpectHeader(string header)
    {
        HeadersPresent.Add(header);
        return this;
    }

    /// <summary>
    /// Requires a JSON value at <paramref name="path"/>, and with <paramref name="kind"/> of that kind: <c>string</c>,
    /// <c>number</c>, <c>boolean</c>, <c>object</c>, <c>array</c> or <c>null</c>.
    /// </summary>
    /// <param name="path">The path, e.g. <c>$.items[0].id</c>.</param>
    /// <param name="kind">The kind, or <see langword="null"/> for any value.</param>
    /// <returns>This request.</returns>
    public SmokeRequest ExpectJsonExists(string path, string? kind = null)
    {
        JsonExists[path] = kind ?? AnyJsonKind;
        return this;
    }

    /// <summary>
    /// Requires a response header with exactly <paramref name="value"/> (leading and trailing spaces aside), for example
    /// <c>Access-Control-Allow-Origin</c> being the front end's origin. A differing value is shown in the report unless
    /// the header carries credentials (cookies, authorization, API keys).
    /// </summary>
    /// <param name="header">The header.</param>
    /// <param name="value">The value it must have.</param>
    /// <returns>This request.</returns>
    public SmokeRequest ExpectHeader(string header, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        HeaderValues[header] = value;
        return this;
    }

    /// <summary>
    /// Keeps the JSON value at <paramref name="path"/> of this response as <paramref name="variable"/>, for later requests
    /// to use as <c>{{variable}}</c> in their path, headers and body (a token from a login, an id from a create). Requests
    /// then run one after another in their order. A captured value is never shown in a report.
    /// </summary>
    /// <param name="variable">The name, letters, digits, <c>_</c> and <c>-</c>.</param>
    /// <param name="path">The JSON path of the value, e.g. <c>$.access_token</c>.</param>
    /// <returns>This request.</returns>
    public SmokeRequest Capture(string variable, string path)
    {
        Captures[variable] = path;
        return this;
    }

    /// <summary>
    /// Requires the endpoint to limit its rate: the request is sent up to <paramref name="requests"/> times, one after
    /// another, until a response is 429 Too Many Requests, which must carry <c>Retry-After</c>. The other expectations
    /// are held to that last response, whose expected status is 429 unless <see cref="ExpectStatus"/> says otherwise.
    /// </summary>
    /// <param name="requests">The most requests to send, 2 to 1,000.</param>
    /// <returns>This request.</returns>
    public SmokeRequest ExpectRateLimitedWithin(int requests)
    {
        RateLimitWithin = requests;
        return this;
    }

    /// <summary>With <see cref="ExpectRateLimitedWithin"/>: the most requests sent to see a 429; otherwise <see langword="null"/>.</summary>
    public int? RateLimitWithin { get; private set; }

    /// <summary>The JSON paths that must exist, and the kind each must have (<c>any</c> for any).</summary>
    public IDictionary<string, string> JsonExists { get; private set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Response headers and the exact value each must have.</summary>
    public IDictionary<string, string> HeaderValues { get; private set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Variables captured from this response for later requests: name → JSON path.</summary>
    public IDictionary<string, string> Captures { get; private set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    internal const string AnyJsonKind = "any";

    internal static readonly string[] JsonKinds = [AnyJsonKind, "string", "number", "boolean", "object", "array", "null"];

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>A copy that shares no mutable state with these options.</summary>
    internal SmokeRequest Copy()
    {
        var copy = (SmokeRequest)MemberwiseClone();
        copy.Headers = new Dictionary<string, string>(Headers, StringComparer.OrdinalIgnoreCase);
        copy.ExpectedStatuses = new HashSet<int>(ExpectedStatuses);
        copy.BodyContains = [.. BodyContains];
        copy.JsonEquals = new Dictionary<string, string>(JsonEquals, StringComparer.Ordinal);
        copy.HeadersPresent = [.. HeadersPresent];
        copy.JsonExists = new Dictionary<string, string>(JsonExists, StringComparer.Ordinal);
        copy.HeaderValues = new Dictionary<string, string>(HeaderValues, StringComparer.OrdinalIgnoreCase);
        copy.Captures = new Dictionary<string, string>(Captures, StringComparer.Ordinal);
        return copy;
    }
}
