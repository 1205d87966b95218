using System.Net.Http.Headers;

namespace ReleaseGates;

/// <summary>
/// Where a Prometheus server (or one that speaks its HTTP API: Thanos, Mimir, VictoriaMetrics) is and how to reach it.
/// Credentials are sent on every request and appear in no report, log or exception message.
/// </summary>
public sealed class PrometheusConnection
{
    /// <summary>The server's base URL, e.g. <c>http://prometheus:9090</c> (a path prefix such as <c>/prometheus</c> is kept). Required.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>A bearer token sent as <c>Authorization: Bearer …</c>. Default: none. Never shown.</summary>
    public string? BearerToken { get; set; }

    /// <summary>The user name of HTTP basic authentication. Default: none.</summary>
    public string? Username { get; set; }

    /// <summary>The password of HTTP basic authentication. Default: none. Never shown.</summary>
    public string? Password { get; set; }

    /// <summary>How long one attempt of a query may take, including the server's evaluation. Default: 10 seconds.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many times a query is retried after a transport error, a timeout or a 429/502/503/504 answer, with exponential
    /// backoff and jitter. Bad queries (400, 422) are not retried. Default: 2.
    /// </summary>
    public int MaximumRetries { get; set; } = 2;

    /// <summary>The delay before the first retry, doubled for each next one. Default: 200 milliseconds.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The HTTP client to send with, e.g. one with a proxy or client certificate. Default: one of the source's own.</summary>
    public HttpClient? HttpClient { get; set; }

    /// <summary>The server as a report may show it: the base address without any user information or query.</summary>
    /// <returns>The base address, or <c>(no address)</c>.</returns>
    public override string ToString()
        => BaseAddress is { IsAbsoluteUri: true } b ? new UriBuilder(b) { UserName = "", Password = "", Query = "",
            Fragment = "" }.Uri.ToString().TrimEnd('/') : "(no address)";

    internal PrometheusConnection Copy() => (PrometheusConnection)MemberwiseClone();

    internal void Validate(ICollection<string> problems, string prefix)
    {
        if (BaseAddress is not { IsAbsoluteUri: true } b || b.Scheme is not ("http" or "https"))
        {
            problems.Add($"{prefix}.{nameof(BaseAddress)} must be an absolute http or https URL of the Prometheus server.");
        }
        else if (!string.IsNullOrEmpty(b.UserInfo))
        {
            problems.Add($"{prefix}.{nameof(BaseAddress)} must not carry credentials: set {nameof(Username)} and {nameof(Password)} (they are kept out of reports).");
        }

        if (BearerToken is not null && (Username is not null || Password is not null))
        {
            problems.Add($"{prefix}: set either {nameof(BearerToken)} or {nameof(Username)} and {nameof(Password)}, not both.");
        }

        if ((Username is null) != (Password is null))
        {
            problems.Add($"{prefix}: basic authentication needs both {nameof(Username)} and {nameof(Password)}.");
        }

        if (AttemptTimeout <= TimeSpan.Zero || AttemptTimeout > TimeSpan.FromMinutes(5))
        {
            problems.Add($"{prefix}.{nameof(AttemptTimeout)} must be more than 0 and at most 5 minutes, but was {AttemptTimeout}.");
        }

        if (MaximumRetries is < 0 or > 10)
        {
            problems.Add($"{prefix}.{nameof(MaximumRetries)} must be 0 to 10, but was {MaximumRetries}.");
        }

        if (RetryDelay < TimeSpan.Zero || RetryDelay > TimeSpan.FromMinutes(1))
        {
            problems.Add($"{prefix}.{nameof(RetryDelay)} must be 0 to 1 minute, but was {RetryDelay}.");
        }
    }

    /// <summary>The credentials as they may be echoed: the token, the password, and <c>user:password</c> (basic's base64 is derived by the masking).</summary>
    internal IEnumerable<string?> Secrets => [BearerToken, Password, Username is not null && Password is not null ? Username + ":" + Password : null];

    internal AuthenticationHeaderValue? Authorization()
    {
        if (BearerToken is { } token)
        {
            return new AuthenticationHeaderValue("Bearer", token);
        }

        return Username is { } user && Password is { } password
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(user + ":" + password)))
            : null;
    }
}
