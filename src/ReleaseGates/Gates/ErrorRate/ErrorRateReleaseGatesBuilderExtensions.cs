namespace ReleaseGates;

/// <summary>Adds the error-rate gate.</summary>
public static class ErrorRateReleaseGatesBuilderExtensions
{
    /// <summary>
    /// Adds a gate over the error rate of a request-metrics source: a maximum with a warning tier, a sustained
    /// condition and an SRE burn rate.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="configure">Sets the source and thresholds.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The options are invalid; every problem is listed.</exception>
    public static TBuilder AddErrorRate<TBuilder>(this TBuilder builder, string name, Action<ErrorRateGateOptions> configure)
        where TBuilder : IReleaseGatesBuilder
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddBuiltInGate<TBuilder, ErrorRateGateOptions>(name, configure, options => new ErrorRateGate(options));
    }

    /// <summary>
    /// Adds a gate over the error rate of a request-metrics source: a maximum with a warning tier, a sustained
    /// condition and an SRE burn rate, from an options instance (bound once, as a configuration file does); the
    /// instance is copied and validated now.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="options">The options; copied, so later changes to the instance do nothing.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The options are invalid; every problem is listed.</exception>
    public static TBuilder AddErrorRate<TBuilder>(this TBuilder builder, string name, ErrorRateGateOptions options)
        where TBuilder : IReleaseGatesBuilder
        => builder.AddBuiltInGate(name, options, o => new ErrorRateGate(o));
}
