namespace ReleaseGates;

/// <summary>
/// What <see cref="RequestMetricsSource.FromFleet"/> reads: the exact request histograms every instance of a service
/// serves (<c>app.MapReleaseGatesHistograms()</c> of the <c>ReleaseGates.AspNetCore</c> package), from a list of URLs or
/// from the targets Prometheus scrapes for a job, merged into one fleet.
/// </summary>
public sealed class FleetRequestMetricsOptions
{
    /// <summary>The default path of the histograms endpoint on an instance.</summary>
    public const string DefaultHistogramsPath = "/releasegates/histograms";

    /// <summary>
    /// The instances' histogram endpoints, e.g. <c>http://web-1:8080/releasegates/histograms</c>. Set these or
    /// <see cref="Prometheus"/> and <see cref="PrometheusJob"/>, not both.
    /// </summary>
    public IList<Uri> Instances { get; private set; } = [];

    /// <summary>A Prometheus server whose active targets of <see cref="PrometheusJob"/> are the instances. Default: none.</summary>
    public PrometheusConnection? Prometheus { get; set; }

    /// <summary>The scrape job whose targets are the instances (<c>job</c> label). Required with <see cref="Prometheus"/>.</summary>
    public string? PrometheusJob { get; set; }

    /// <summary>
    /// The path of the histograms endpoint on each instance Prometheus lists, on the scheme, host and port it scrapes.
    /// Default: <see cref="DefaultHistogramsPath"/>.
    /// </summary>
    public string HistogramsPath { get; set; } = DefaultHistogramsPath;

    /// <summary>Only requests of this method (with <see cref="Route"/>, one endpoint). Default: every method.</summary>
    public string? Method { get; set; }

    /// <summary>Only requests of this route template, e.g. <c>/api/orders/{id}</c>. Default: every request of the instances.</summary>
    public string? Route { get; set; }

    /// <summary>
    /// How far back per-interval histograms are fetched, for sustained conditions and burn rates over the fleet; at most
    /// what the instances' windows keep. Default: <see langword="null"/>, cumulative counts only (no windows).
    /// </summary>
    public TimeSpan? Lookback { get; set; }

    /// <summary>
    /// The share of instances that must answer for a result, 0 (exclusive) to 1. Fewer is the gate's
    /// <see cref="GateStatus.Error"/>; every instance that did not answer is named in the evidence either way. Default: 1,
    /// all of them.
    /// </summary>
    public double MinimumAnsweredShare { get; set; } = 1;

    /// <summary>How long one request to an instance may take. Default: 5 seconds.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many times a request to an instance is retried after a transport error, a timeout or a 502/503/504. Default: 2.</summary>
    public int MaximumRetries { get; set; } = 2;

    /// <summary>The delay before the first retry, doubled for each next one. Default: 100 milliseconds.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How many instances are fetched at once. Default: 64.</summary>
    public int MaximumConcurrency { get; set; } = 64;

    /// <summary>The largest answer read from one instance. Default: 16 MiB.</summary>
    public long MaximumResponseBytes { get; set; } = 16L << 20;

    /// <summary>Headers sent to every instance, e.g. <c>Authorization</c>; credential headers are masked in reports.</summary>
    public IDictionary<string, string> Headers { get; private set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The HTTP client to fetch instances with (a proxy, a client certificate). Default: one of the source's own.</summary>
    public HttpClient? HttpClient { get; set; }

    internal FleetRequestMetricsOptions Copy()
    {
        var copy = (FleetRequestMetricsOptions)MemberwiseClone();
        copy.Instances = [.. Instances];
        copy.Prometheus = Prometheus?.Copy();
        copy.Headers = new Dictionary<string, string>(Headers, StringComparer.OrdinalIgnoreCase);
        return copy;
    }

    internal IEnumerable<string?> Secrets => [.. Headers.Where(h => IO.Redaction.IsCredentialHeader(h.Key)).Select(h => (string?)h.Value),
        .. Prometheus?.Secrets ?? []];

    internal void Validate(ICollection<string> problems)
    {
        const string prefix = "Fleet";
        var listed = Instances.Count > 0;
        var discovered = Prometheus is not null || PrometheusJob is not null;
        if (listed == discovered)
        {
            problems.Add($"{prefix}: set either {nameof(Instances)} or {nameof(Prometheus)} and {nameof(PrometheusJob)}.");
        }

        foreach (var instance in Instances)
        {
            if (instance is not { IsAbsoluteUri: true } || instance.Scheme is not ("http" or "https"))
            {
                problems.Add($"{prefix}.{nameof(Instances)}: '{instance}' is not an absolute http or https URL.");
            }
            else if (!string.IsNullOrEmpty(instance.UserInfo))
            {
                problems.Add($"{prefix}.{nameof(Instances)}: '{instance.GetLeftPart(UriPartial.Scheme)}…' carries credentials in the URL; send them "
                    + $"in {nameof(Headers)} (they are kept out of reports).");
            }
        }

        if (discovered)
        {
            if (Prometheus is null)
            {
                problems.Add($"{prefix}.{nameof(Prometheus)} is required with {nameof(PrometheusJob)}.");
            }
            else
            {
                Prometheus.Validate(problems, $"{prefix}.{nameof(Prometheus)}");
            }

            if (string.IsNullOrWhiteSpace(PrometheusJob))
            {
                problems.Add($"{prefix}.{nameof(PrometheusJob)} is required with {nameof(Prometheus)}: the scrape job whose targets are the instances.");
            }
        }

        ValidateBounds(problems, prefix);
    }

    private void ValidateBounds(ICollection<string> problems, string prefix)
    {
        if (string.IsNullOrWhiteSpace(HistogramsPath) || !HistogramsPath.StartsWith('/'))
        {
            problems.Add($"{prefix}.{nameof(HistogramsPath)} must be a path starting with '/', but was '{HistogramsPath}'.");
        }

        if (Lookback is { } lookback && (lookback < TimeSpan.FromSeconds(1) || lookback > TimeSpan.FromDays(7)))
        {
            problems.Add($"{prefix}.{nameof(Lookback)} must be 1 second to 7 days, but was {lookback}.");
        }

        if (!(MinimumAnsweredShare > 0 && MinimumAnsweredShare <= 1))
        {
            problems.Add($"{prefix}.{nameof(MinimumAnsweredShare)} must be more than 0 and at most 1, but was {MinimumAnsweredShare}.");
        }

        if (AttemptTimeout <= TimeSpan.Zero || AttemptTimeout > TimeSpan.FromMinutes(2))
        {
            problems.Add($"{prefix}.{nameof(AttemptTimeout)} must be more than 0 and at most 2 minutes, but was {AttemptTimeout}.");
        }

        if (MaximumRetries is < 0 or > 10)
        {
            problems.Add($"{prefix}.{nameof(MaximumRetries)} must be 0 to 10, but was {MaximumRetries}.");
        }

        if (RetryDelay < TimeSpan.Zero || RetryDelay > TimeSpan.FromMinutes(1))
        {
            problems.Add($"{prefix}.{nameof(RetryDelay)} must be 0 to 1 minute, but was {RetryDelay}.");
        }

        if (MaximumConcurrency is < 1 or > 1024)
        {
            problems.Add($"{prefix}.{nameof(MaximumConcurrency)} must be 1 to 1024, but was {MaximumConcurrency}.");
        }

        if (MaximumResponseBytes < 1024)
        {
            problems.Add($"{prefix}.{nameof(MaximumResponseBytes)} must be at least 1024, but was {MaximumResponseBytes}.");
        }
    }
}
