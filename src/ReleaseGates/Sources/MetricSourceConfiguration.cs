namespace ReleaseGates;

/// <summary>The <c>source</c> of a metric gate in a configuration file: a PromQL query on a Prometheus server.</summary>
internal sealed class MetricSourceConfiguration
{
    /// <summary>The server.</summary>
    public PrometheusConnection? Prometheus { get; set; }

    /// <summary>The PromQL expression; it must yield a scalar or a one-element vector.</summary>
    public string? Query { get; set; }
}
