namespace ReleaseGates;

/// <summary>One request of a smoke-tests gate in a configuration file; turned into a <see cref="SmokeRequest"/>.</summary>
internal sealed class SmokeRequestConfiguration
{
    /// <summary>The name in the report. Default: method and path.</summary>
    public string? Name { get; set; }

    /// <summary>The method. Default GET.</summary>
    public HttpMethod Method { get; set; } = HttpMethod.Get;

    /// <summary>The path, relative to the gate's base address. Required.</summary>
    public string? Path { get; set; }

    /// <summary>Request headers.</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>A request body.</summary>
    public string? Body { get; set; }

    /// <summary>The body's content type. Default <c>application/json</c>.</summary>
    public string BodyContentType { get; set; } = "application/json";

    /// <summary>Whether redirects are followed. Default: true.</summary>
    public bool FollowRedirects { get; set; } = true;

    /// <summary>The statuses that pass. Default: any 2xx.</summary>
    public IList<int> ExpectedStatuses { get; } = [];

    /// <summary>The media type the response must have.</summary>
    public string? ExpectedContentType { get; set; }

    /// <summary>The slowest response that passes.</summary>
    public TimeSpan? MaximumLatency { get; set; }

    /// <summary>Texts the body must contain.</summary>
    public IList<string> BodyContains { get; } = [];

    /// <summary>JSON paths and the literal each must equal (a bare word is a string).</summary>
    public IDictionary<string, string> JsonEquals { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Response headers that must be present.</summary>
    public IList<string> HeadersPresent { get; } = [];

    /// <summary>JSON paths that must exist, and the kind each must have (<c>any</c>, <c>string</c>, <c>number</c>, <c>boolean</c>, <c>object</c>, <c>array</c>, <c>null</c>).</summary>
    public IDictionary<string, string> JsonExists { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Response headers and the exact value each must have.</summary>
    public IDictionary<string, string> HeaderValues { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Look for a 429 with <c>Retry-After</c> within this many requests (2 to 1,000).</summary>
    public int? RateLimitedWithin { get; set; }

    /// <summary>Values kept from this response for later requests' <c>{{name}}</c>: name → JSON path.</summary>
    public IDictionary<string, string> Captures { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The request these settings describe.</summary>
    public SmokeRequest ToRequest()
    {
        var request = SmokeRequest.Send(Method, Path!, Body, BodyContentType);
        request.FollowRedirects = FollowRedirects;
        if (Name is not null)
        {
            request.Named(Name);
        }

        foreach (var (name, value) in Headers)
        {
            request.WithHeader(name, value);
        }

        if (ExpectedStatuses.Count > 0)
        {
            request.ExpectStatus([.. ExpectedStatuses]);
        }

        if (ExpectedContentType is not null)
        {
            request.ExpectContentType(ExpectedContentType);
        }

        if (MaximumLatency is { } latency)
        {
            request.ExpectLatencyBelow(latency);
        }

        if (RateLimitedWithin is { } within)
        {
            request.ExpectRateLimitedWithin(within);
        }

        AddBodyExpectations(request);
        return request;
    }

    /// <summary>What the response body and headers must hold, and what it gives later requests.</summary>
    private void AddBodyExpectations(SmokeRequest request)
    {
        foreach (var text in BodyContains)
        {
            request.ExpectBodyContains(text);
        }

        foreach (var (path, json) in JsonEquals)
        {
            request.ExpectJson(path, json);
        }

        foreach (var header in HeadersPresent)
        {
            request.ExpectHeader(header);
        }

        foreach (var (path, kind) in JsonExists)
        {
            request.ExpectJsonExists(path, kind);
        }

        foreach (var (header, value) in HeaderValues)
        {
            request.ExpectHeader(header, value);
        }

        foreach (var (variable, path) in Captures)
        {
            request.Capture(variable, path);
        }
    }
}
