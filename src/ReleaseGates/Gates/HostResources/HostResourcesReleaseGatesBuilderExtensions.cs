namespace ReleaseGates;

/// <summary>Adds the host-resources gate.</summary>
public static class HostResourcesReleaseGatesBuilderExtensions
{
    /// <summary>
    /// Adds a gate over host CPU (sampled over a short window), memory in use and disk usage (seeds: CPU &lt; 70 %,
    /// memory &lt; 80 %, disk &lt; 60 %).
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="configure">Sets the thresholds.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AddHostResources<TBuilder>(this TBuilder builder, string name, Action<HostResourcesGateOptions>? configure = null)
        where TBuilder : IReleaseGatesBuilder
        => builder.AddBuiltInGate<TBuilder, HostResourcesGateOptions>(name, configure, options => new HostResourcesGate(options));

    /// <summary>
    /// Adds a gate over host CPU (sampled over a short window), memory in use and disk usage (seeds: CPU &lt; 70 %,
    /// memory &lt; 80 %, disk &lt; 60 %), from an options instance (bound once, as a configuration file does); the
    /// instance is copied and validated now.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="options">The options; copied, so later changes to the instance do nothing.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The options are invalid; every problem is listed.</exception>
    public static TBuilder AddHostResources<TBuilder>(this TBuilder builder, string name, HostResourcesGateOptions options)
        where TBuilder : IReleaseGatesBuilder
        => builder.AddBuiltInGate(name, options, o => new HostResourcesGate(o));
}
