namespace ReleaseGates;

/// <summary>Adds the latency gate.</summary>
public static class LatencyReleaseGatesBuilderExtensions
{
    /// <summary>Adds a gate over latency percentiles, mean, extremes and throughput of a request-metrics source.</summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="configure">Sets the source and conditions.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The options are invalid; every problem is listed.</exception>
    public static TBuilder AddLatency<TBuilder>(this TBuilder builder, string name, Action<LatencyGateOptions> configure)
        where TBuilder : IReleaseGatesBuilder
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddBuiltInGate<TBuilder, LatencyGateOptions>(name, configure, options => new LatencyGate(options));
    }
}
