namespace ReleaseGates;

/// <summary>The <c>source</c> of a latency or error-rate gate in a configuration file; exactly one kind is set.</summary>
internal sealed class RequestMetricsSourceConfiguration
{
    /// <summary>A k6 <c>--summary-export</c> file.</summary>
    public string? K6Summary { get; set; }

    /// <summary>The k6 trend metric of durations. Default <c>http_req_duration</c>.</summary>
    public string? DurationMetric { get; set; }

    /// <summary>A JMeter results file (CSV JTL).</summary>
    public string? JMeterJtl { get; set; }

    /// <summary>The JTL sample labels to include. Default: all.</summary>
    public IList<string> Labels { get; } = [];

    /// <summary>A HAR file.</summary>
    public string? Har { get; set; }

    /// <summary>The HAR request URLs to include. Default: all.</summary>
    public IList<string> Urls { get; } = [];

    /// <summary>A load probe run when the gate is evaluated.</summary>
    public HttpLoadProbeOptions? LoadProbe { get; set; }

    /// <summary>A request-duration histogram in Prometheus, read when the gate is evaluated.</summary>
    public PrometheusRequestMetricsOptions? Prometheus { get; set; }

    /// <summary>Events counted by PromQL (total, and good or bad), read over a lookback when the gate is evaluated.</summary>
    public PrometheusEventsOptions? PrometheusEvents { get; set; }

    /// <summary>The exact histograms of every instance of a fleet, fetched and merged when the gate is evaluated.</summary>
    public FleetRequestMetricsOptions? Fleet { get; set; }
}
