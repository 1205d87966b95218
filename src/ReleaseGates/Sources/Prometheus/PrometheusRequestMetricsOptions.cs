namespace ReleaseGates;

/// <summary>
/// What <see cref="RequestMetricsSource.FromPrometheus"/> reads: a request-duration histogram as the OpenTelemetry HTTP
/// semantic conventions name it (<c>http_server_request_duration_seconds</c>, with <c>_bucket</c>, <c>_sum</c> and
/// <c>_count</c> series), summed over every instance the label filters select.
/// </summary>
public sealed class PrometheusRequestMetricsOptions
{
    /// <summary>The Prometheus server. Required: set its <see cref="PrometheusConnection.BaseAddress"/>.</summary>
    public PrometheusConnection Connection { get; set; } = new();

    /// <summary>The histogram's name without the <c>_bucket</c> suffix. Default: <c>http_server_request_duration_seconds</c>.</summary>
    public string Metric { get; set; } = "http_server_request_duration_seconds";

    /// <summary>
    /// Label filters every series must match exactly, e.g. <c>job</c>, <c>service_name</c>, <c>http_route</c> or a
    /// version label. Default: none (every series of the metric).
    /// </summary>
    public IDictionary<string, string> Labels { get; private set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Further PromQL label matchers, joined to <see cref="Labels"/> as written: <c>http_route=~"/api/.*"</c>,
    /// <c>instance!="canary-0"</c>. Default: none.
    /// </summary>
    public string? Selector { get; set; }

    /// <summary>
    /// The label matcher that selects failed requests among the counted ones. Default:
    /// <c>http_response_status_code=~"5.."</c> (server errors; a 404 is the client's).
    /// </summary>
    public string ErrorSelector { get; set; } = "http_response_status_code=~\"5..\"";

    /// <summary>
    /// The period to judge: the requests of the last <c>Window</c> before the evaluation (PromQL <c>increase</c>, which
    /// Prometheus extrapolates to the window's edges, so counts are estimates), or <see langword="null"/> for every
    /// request since the instances started (the counters as they stand: exact, and right for a fresh canary).
    /// Default: 5 minutes.
    /// </summary>
    public TimeSpan? Window { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The interval of per-step windows read with range queries (<c>/api/v1/query_range</c>), for sustained error-rate
    /// conditions and burn rates over every instance the labels select; <see langword="null"/> for none. Whole seconds;
    /// choose at least twice the scrape interval, since each step's counts are a PromQL <c>increase</c> over it.
    /// Default: none.
    /// </summary>
    public TimeSpan? Step { get; set; }

    /// <summary>How far back the range queries of <see cref="Step"/> reach: a whole number of steps. Default: 1 hour.</summary>
    public TimeSpan Lookback { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many milliseconds one unit of the histogram's <c>le</c> bounds is. Default: 1000 (a <c>_seconds</c> histogram).</summary>
    public double MillisecondsPerUnit { get; set; } = 1000;

    internal PrometheusRequestMetricsOptions Copy()
    {
        var copy = (PrometheusRequestMetricsOptions)MemberwiseClone();
        copy.Connection = Connection.Copy();
        copy.Labels = new Dictionary<string, string>(Labels, StringComparer.Ordinal);
        return copy;
    }

    internal void Validate(ICollection<string> problems)
    {
        if (Connection is null)
        {
            problems.Add($"Prometheus.{nameof(Connection)} is required.");
        }
        else
        {
            Connection.Validate(problems, "Prometheus");
        }

        if (string.IsNullOrWhiteSpace(Metric) || !PromQl.IsMetricName(Metric))
        {
            problems.Add($"Prometheus.{nameof(Metric)} must be a metric name ([a-zA-Z_:][a-zA-Z0-9_:]*), but was '{Metric}'.");
        }
        else if (Metric.EndsWith("_bucket", StringComparison.Ordinal))
        {
            problems.Add($"Prometheus.{nameof(Metric)} is the histogram's name without _bucket: '{Metric[..^7]}'.");
        }

        foreach (var name in Labels.Keys.Where(k => !PromQl.IsLabelName(k)))
        {
            problems.Add($"Prometheus.{nameof(Labels)}: '{name}' is not a label name ([a-zA-Z_][a-zA-Z0-9_]*).");
        }

        if (Window is { } w && (w < TimeSpan.FromSeconds(1) || w.TotalMilliseconds % 1000 != 0))
        {
            problems.Add($"Prometheus.{nameof(Window)} must be whole seconds, at least 1, but was {w}.");
        }

        if (Step is { } step)
        {
            if (step < TimeSpan.FromSeconds(1) || step.TotalMilliseconds % 1000 != 0)
            {
                problems.Add($"Prometheus.{nameof(Step)} must be whole seconds, at least 1, but was {step}.");
            }
            else if (Lookback < step * 2 || Lookback.Ticks % step.Ticks != 0 || Lookback / step > 10_000)
            {
                problems.Add($"Prometheus.{nameof(Lookback)} must be 2 to 10,000 whole steps of {step}, but was {Lookback}.");
            }
        }

        if (!(MillisecondsPerUnit > 0) || double.IsInfinity(MillisecondsPerUnit))
        {
            problems.Add($"Prometheus.{nameof(MillisecondsPerUnit)} must be a positive number, but was {MillisecondsPerUnit}.");
        }

        if (string.IsNullOrWhiteSpace(ErrorSelector))
        {
            problems.Add($"Prometheus.{nameof(ErrorSelector)} is required: a label matcher such as http_response_status_code=~\"5..\".");
        }
    }
}
