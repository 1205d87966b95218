namespace ReleaseGates;

/// <summary>Adds the SLO (error budget) gate.</summary>
public static class SloReleaseGatesBuilderExtensions
{
    /// <summary>
    /// Adds a gate over a service level objective: the share of good requests over the SLO's window, the error budget
    /// that is left, and the SRE workbook's multiwindow burn rates, from a request-metrics source with windows.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="configure">Sets the source, the objective and the rules.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The options are invalid; every problem is listed.</exception>
    public static TBuilder AddSlo<TBuilder>(this TBuilder builder, string name, Action<SloGateOptions> configure)
        where TBuilder : IReleaseGatesBuilder
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddBuiltInGate<TBuilder, SloGateOptions>(name, configure, options => new SloGate(options));
    }

    /// <summary>
    /// Adds a gate over a service level objective from an options instance (bound once, as a configuration file does);
    /// the instance is copied and validated now.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="options">The options; copied, so later changes to the instance do nothing.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The options are invalid; every problem is listed.</exception>
    public static TBuilder AddSlo<TBuilder>(this TBuilder builder, string name, SloGateOptions options)
        where TBuilder : IReleaseGatesBuilder
        => builder.AddBuiltInGate(name, options, o => new SloGate(o));
}
