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

    /// <summary>
    /// Adds a gate over latency percentiles, mean, extremes and throughput of a request-metrics source, from an options
    /// instance (bound once, as a configuration file does); the instance is copied and validated now.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="options">The options; copied, so later changes to the instance do nothing.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The options are invalid; every problem is listed.</exception>
    public static TBuilder AddLatency<TBuilder>(this TBuilder builder, string name, LatencyGateOptions options)
        where TBuilder : IReleaseGatesBuilder
        => builder.AddBuiltInGate(name, options, o => new LatencyGate(o));
}
