namespace ReleaseGates;

/// <summary>Adds the canary judge.</summary>
public static class CanaryReleaseGatesBuilderExtensions
{
    /// <summary>
    /// Adds a gate that compares a canary's latency distribution with its baseline's, read at the same time: the
    /// Hodges–Lehmann shift of canary over baseline with its confidence interval (and the Mann–Whitney U test's p-value as
    /// evidence). It passes when the interval lies within the allowed increase, fails when it lies wholly above it, and is
    /// inconclusive when the data cannot tell.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="configure">Sets the two sources and the allowed increase.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The options are invalid; every problem is listed.</exception>
    public static TBuilder AddCanary<TBuilder>(this TBuilder builder, string name, Action<CanaryGateOptions> configure)
        where TBuilder : IReleaseGatesBuilder
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddBuiltInGate<TBuilder, CanaryGateOptions>(name, configure, options => new CanaryGate(options));
    }

    /// <summary>
    /// Adds a gate that compares a canary's latency distribution with its baseline's, read at the same time: the
    /// Hodges–Lehmann shift of canary over baseline with its confidence interval (and the Mann–Whitney U test's p-value
    /// as evidence). It passes when the interval lies within the allowed increase, fails when it lies wholly above it,
    /// and is inconclusive when the data cannot tell, from an options instance (bound once, as a configuration file
    /// does); the instance is copied and validated now.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="options">The options; copied, so later changes to the instance do nothing.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The options are invalid; every problem is listed.</exception>
    public static TBuilder AddCanary<TBuilder>(this TBuilder builder, string name, CanaryGateOptions options)
        where TBuilder : IReleaseGatesBuilder
        => builder.AddBuiltInGate(name, options, o => new CanaryGate(o));
}
