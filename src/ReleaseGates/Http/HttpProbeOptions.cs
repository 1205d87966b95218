using Polly;

namespace ReleaseGates;

/// <summary>How the security-headers and smoke-endpoint gates send their requests.</summary>
public sealed class HttpProbeOptions
{
    /// <summary>
    /// The client to send with (e.g. one made by <c>IHttpClientFactory</c>, or a test server's). Redirects are followed by hand
    /// and recorded hop by hop only when its handler does not follow them itself (<c>AllowAutoRedirect = false</c>). Default: a
    /// client of the gate's own with a <see cref="System.Net.Http.SocketsHttpHandler"/> that follows no redirects and keeps no cookies.
    /// </summary>
    public HttpClient? HttpClient { get; set; }

    /// <summary>
    /// Creates the client for each evaluation from the application's services when <see cref="HttpClient"/> is not set, e.g.
    /// <c>sp =&gt; sp.GetRequiredService&lt;IHttpClientFactory&gt;().CreateClient("release-gates")</c>. The gate disposes the
    /// client after the evaluation (an <c>IHttpClientFactory</c> client may be disposed; its handler is pooled). Default: none.
    /// </summary>
    public Func<IServiceProvider, HttpClient>? CreateHttpClient { get; set; }

    /// <summary>How many redirects are followed before the probe gives up. Default: 5; 0 to 20.</summary>
    public int MaximumRedirects { get; set; } = 5;

    /// <summary>How many times a transient failure (connection error, attempt timeout, 502/503/504) is retried. Default: 2; 0 to 10.</summary>
    public int MaximumRetries { get; set; } = 2;

    /// <summary>The first retry's delay; later ones back off exponentially, with jitter. Default: 200 ms.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long one attempt (headers and body) may take. Default: 10 seconds. The whole probe is bounded by the gate's <see cref="GateOptions.Timeout"/>.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The most bytes of a response body read; the rest is discarded. Default: 1 MiB.</summary>
    public int MaximumBodyBytes { get; set; } = 1 << 20;

    /// <summary>
    /// Whether credential headers you set on a request (<c>Authorization</c>, <c>Proxy-Authorization</c>, <c>Cookie</c>, and
    /// headers named like a secret such as <c>X-Api-Key</c> or <c>X-Auth-Token</c>) are sent again after a redirect to another
    /// origin (scheme, host or port). Default: <see langword="false"/>, as browsers and HttpClient do: a redirect must not
    /// carry a token to a host it was not meant for. Set it only when every origin in the chain is yours.
    /// </summary>
    public bool KeepCredentialsOnCrossOriginRedirect { get; set; }

    /// <summary>Adds strategies of your own (a circuit breaker, a rate limiter) inside the retry and the attempt timeout.</summary>
    public Action<ResiliencePipelineBuilder<HttpResponseMessage>>? ConfigureResilience { get; set; }

    internal void Validate(ICollection<string> problems)
    {
        if (HttpClient is not null && CreateHttpClient is not null)
        {
            problems.Add($"Probe: set {nameof(HttpClient)} or {nameof(CreateHttpClient)}, not both.");
        }

        if (MaximumRedirects is < 0 or > 20)
        {
            problems.Add($"Probe.{nameof(MaximumRedirects)} must be 0 to 20, but was {MaximumRedirects}.");
        }

        if (MaximumRetries is < 0 or > 10)
        {
            problems.Add($"Probe.{nameof(MaximumRetries)} must be 0 to 10, but was {MaximumRetries}.");
        }

        if (RetryDelay < TimeSpan.Zero || RetryDelay > TimeSpan.FromMinutes(1))
        {
            problems.Add($"Probe.{nameof(RetryDelay)} must be 0 to 1 minute, but was {RetryDelay}.");
        }

        if (AttemptTimeout < TimeSpan.FromMilliseconds(10) || AttemptTimeout > TimeSpan.FromMinutes(10))
        {
            problems.Add($"Probe.{nameof(AttemptTimeout)} must be 10 ms to 10 minutes, but was {AttemptTimeout}.");
        }

        if (MaximumBodyBytes is < 0 or > 64 << 20)
        {
            problems.Add($"Probe.{nameof(MaximumBodyBytes)} must be 0 to 64 MiB, but was {MaximumBodyBytes}.");
        }
    }

    /// <summary>A copy that shares no mutable state with these options.</summary>
    internal HttpProbeOptions Copy()
    {
        var copy = (HttpProbeOptions)MemberwiseClone();
        return copy;
    }
}
