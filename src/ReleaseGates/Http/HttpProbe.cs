using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text;
using Polly;
using Polly.Timeout;

namespace ReleaseGates;

/// <summary>A request the probe sends.</summary>
internal sealed record ProbeRequest(HttpMethod Method, Uri Url)
{
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public string? Body { get; init; }

    public string? BodyContentType { get; init; }

    public bool FollowRedirects { get; init; } = true;
}

/// <summary>One response on the way to the final one.</summary>
internal sealed record ProbeHop(Uri Url, int Status, Uri? Location);

/// <summary>What came back: the final response (headers multi-valued, body capped) and every hop, or why nothing did.</summary>
internal sealed class ProbeResponse
{
    public required Uri FinalUrl { get; init; }

    public int Status { get; init; }

    /// <summary>Response and content headers, each with all its values, names compared without case.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> Headers { get; init; }

    public byte[] Body { get; init; } = [];

    public bool BodyTruncated { get; init; }

    public TimeSpan Elapsed { get; init; }

    public required IReadOnlyList<ProbeHop> Hops { get; init; }

    /// <summary>How many times the caller sent the request to get this response (a rate-limit check sends it until a 429).</summary>
    public int Attempts { get; set; } = 1;

    /// <summary>Why no response arrived (refused, DNS, TLS, timeout after retries), or null.</summary>
    public string? Failure { get; init; }

    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Succeeded => Failure is null;

    public bool IsHttps => FinalUrl.Scheme == Uri.UriSchemeHttps;

    public string? MediaType => Header("Content-Type")?.Split(';')[0].Trim().ToLowerInvariant();

    public string? Header(string name) => Headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    public IReadOnlyList<string> All(string name) => Headers.TryGetValue(name, out var values) ? values : [];

    public string BodyText => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// Sends requests with a Polly.Core pipeline (retry with exponential backoff and jitter on transient failures, a timeout per
/// attempt), follows redirects by hand up to a limit recording each hop, and reads bodies up to a cap.
/// </summary>
internal sealed class HttpProbe : IDisposable
{
    private static readonly int[] RedirectStatuses = [301, 302, 303, 307, 308];
    private readonly HttpProbeOptions _options;
    private readonly TimeProvider _time;
    private readonly HttpClient _client;
    private readonly bool _ownsClient;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public HttpProbe(HttpProbeOptions options, GateContext context)
    {
        var time = context.TimeProvider;
        _options = options;
        _time = time;
        _ownsClient = options.HttpClient is null;
        _client = options.HttpClient ?? options.CreateHttpClient?.Invoke(context.Services) ?? new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = options.AttemptTimeout,
        })
        { Timeout = Timeout.InfiniteTimeSpan };

        _pipeline = IO.HttpRetry.Build(time, options.MaximumRetries, options.RetryDelay, options.AttemptTimeout, IO.HttpRetry.IsTransient,
            options.ConfigureResilience);
    }

    public async Task<ProbeResponse> SendAsync(ProbeRequest request, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var hops = new List<ProbeHop>();
        var url = request.Url;
        var method = request.Method;
        var body = request.Body;
        var origin = request.Url;
        var sendCredentials = true;
        for (var hop = 0; ; hop++)
        {
            HttpResponseMessage response;
            byte[] content;
            bool truncated;
            try
            {
                (response, content, truncated) = await SendOnceAsync(method, url, request, body, sendCredentials, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or IOException
                || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                var attempts = _options.MaximumRetries + 1;
                return new ProbeResponse
                {
                    FinalUrl = url,
                    Headers = new Dictionary<string, IReadOnlyList<string>>(),
                    Hops = hops,
                    Elapsed = _time.GetElapsedTime(started),
                    Failure = $"{method} {url}: {Describe(ex)} ({attempts} attempt{(attempts == 1 ? string.Empty : "s")})",
                };
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                var location = response.Headers.Location is { } l ? new Uri(url, l) : null;
                hops.Add(new ProbeHop(url, status, location));
                if (request.FollowRedirects && RedirectStatuses.Contains(status) && location is not null)
                {
                    if (hop >= _options.MaximumRedirects)
                    {
                        return new ProbeResponse
                        {
                            FinalUrl = url,
                            Headers = Collect(response),
                            Hops = hops,
                            Elapsed = _time.GetElapsedTime(started),
                            Failure = $"{request.Method} {request.Url}: more than {_options.MaximumRedirects} redirects ({string.Join(" → ", hops.Select(h => $"{h.Status} {h.Url}"))})",
                        };
                    }

                    if (status == 303 || (status is 301 or 302 && method == HttpMethod.Post))
                    {
                        method = HttpMethod.Get;
                        body = null;
                    }

                    // Once the chain leaves the first origin, credentials stay behind for the rest of it (even back home).
                    if (!SameOrigin(origin, location) && !_options.KeepCredentialsOnCrossOriginRedirect)
                    {
                        sendCredentials = false;
                    }

                    url = location;
                    continue;
                }

                return new ProbeResponse
                {
                    FinalUrl = url,
                    Status = status,
                    Headers = Collect(response),
                    Body = content,
                    BodyTruncated = truncated,
                    Hops = hops,
                    Elapsed = _time.GetElapsedTime(started),
                };
            }
        }
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    /// <summary>Whether a header carries a credential that must not follow a redirect to another origin.</summary>
    internal static bool IsCredentialHeader(string name) => IO.Redaction.IsCredentialHeader(name);

    private static bool SameOrigin(Uri a, Uri b)
        => string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase) && string.Equals(a.IdnHost, b.IdnHost,
            StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    private async Task<(HttpResponseMessage Response, byte[] Body, bool Truncated)> SendOnceAsync(HttpMethod method, Uri url,
        ProbeRequest request, string? body, bool sendCredentials, CancellationToken cancellationToken)
    {
        byte[] content = [];
        var truncated = false;
        var response = await _pipeline.ExecuteAsync(
            async token =>
            {
                using var message = new HttpRequestMessage(method, url);
                foreach (var (name, value) in request.Headers)
                {
                    if (!sendCredentials && IsCredentialHeader(name))
                    {
                        continue;
                    }

                    if (!message.Headers.TryAddWithoutValidation(name, value))
                    {
                        message.Content ??= new ByteArrayContent([]);
                        message.Content.Headers.TryAddWithoutValidation(name, value);
                    }
                }

                if (body is not null)
                {
                    message.Content = new StringContent(body, Encoding.UTF8, request.BodyContentType ?? "application/json");
                }

                var r = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
                try
                {
                    (content, truncated) = await IO.HttpBody.ReadCappedAsync(r.Content, _options.MaximumBodyBytes, token).ConfigureAwait(false);
                }
                catch
                {
                    r.Dispose();
                    throw;
                }

                return r;
            },
            cancellationToken).ConfigureAwait(false);
        return (response, content, truncated);
    }

    private static Dictionary<string, IReadOnlyList<string>> Collect(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated))
        {
            var list = headers.TryGetValue(name, out var existing) ? existing.ToList() : [];
            list.AddRange(values);
            headers[name] = list;
        }

        return headers;
    }

    private string Describe(Exception ex) => ex switch
    {
        TimeoutRejectedException => $"no response within {_options.AttemptTimeout.TotalSeconds:0.###} s",
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => $"DNS lookup failed ({ex.Message})",
        HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => $"TLS handshake failed ({(ex.InnerException ?? ex).Message})",
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => $"connection failed ({ex.Message})",
        OperationCanceledException => $"no response within {_options.AttemptTimeout.TotalSeconds:0.###} s",
        _ => ex.Message,
    };
}
