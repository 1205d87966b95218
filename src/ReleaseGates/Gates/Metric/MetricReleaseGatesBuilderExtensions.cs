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
}
