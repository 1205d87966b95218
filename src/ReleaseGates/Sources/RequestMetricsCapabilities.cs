using ReleaseGates.Metrics;

namespace ReleaseGates;

/// <summary>What a request-metrics source can provide, checked against a gate's conditions at registration.</summary>
[Flags]
public enum RequestMetricsCapabilities
{
    /// <summary>Nothing beyond what every source has.</summary>
    None = 0,

    /// <summary>A latency histogram.</summary>
    Latency = 1,

    /// <summary>Total and failed request counts.</summary>
    Errors = 2,

    /// <summary>The length of the measured window, for requests per second.</summary>
    Duration = 4,

    /// <summary>Per-interval counts, for sustained conditions and burn rates.</summary>
    Windows = 8,
}
