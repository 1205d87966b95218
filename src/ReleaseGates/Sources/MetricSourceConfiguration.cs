namespace ReleaseGates;

/// <summary>The <c>source</c> of a metric gate in a configuration file: a PromQL query on a Prometheus server, or a number in a JSON file.</summary>
internal sealed class MetricSourceConfiguration
{
    /// <summary>The server.</summary>
    public PrometheusConnection? Prometheus { get; set; }

    /// <summary>The PromQL expression; it must yield a scalar or a one-element vector.</summary>
    public string? Query { get; set; }

    /// <summary>A JSON file, relative to this file, that holds the number.</summary>
    public string? JsonFile { get; set; }

    /// <summary>The JSON Pointer (RFC 6901) to the number in <see cref="JsonFile"/>, such as <c>/ratios/record</c>.</summary>
    public string? Pointer { get; set; }
}
