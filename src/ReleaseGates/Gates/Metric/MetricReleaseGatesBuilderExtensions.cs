namespace ReleaseGates;

/// <summary>Registers the metric gate.</summary>
public static class MetricReleaseGatesBuilderExtensions
{
    /// <summary>
    /// Adds a gate that holds one number from a <see cref="MetricSource"/> (a Prometheus query, an in-process instrument,
    /// a ratio, a delegate) to conditions on <c>value</c>.
    /// </summary>
    /// <typeparam name="TBuilder">The builder.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="configure">Sets the source and conditions.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AddMetric<TBuilder>(this TBuilder builder, string name, Action<MetricGateOptions> configure)
        where TBuilder : IReleaseGatesBuilder
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddBuiltInGate<TBuilder, MetricGateOptions>(name, configure, options => new MetricGate(options));
    }

    /// <summary>
    /// Adds a gate that holds one number from a <see cref="MetricSource"/> (a Prometheus query, an in-process
    /// instrument, a ratio, a delegate) to conditions on <c>value</c>, from an options instance (bound once, as a
    /// configuration file does); the instance is copied and validated now.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="options">The options; copied, so later changes to the instance do nothing.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The options are invalid; every problem is listed.</exception>
    public static TBuilder AddMetric<TBuilder>(this TBuilder builder, string name, MetricGateOptions options)
        where TBuilder : IReleaseGatesBuilder
        => builder.AddBuiltInGate(name, options, o => new MetricGate(o));
}
