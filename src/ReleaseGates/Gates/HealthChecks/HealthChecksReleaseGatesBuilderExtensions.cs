namespace ReleaseGates;

/// <summary>Adds the health-checks gate, which runs the application's Microsoft.Extensions.Diagnostics.HealthChecks.</summary>
public static class HealthChecksReleaseGatesBuilderExtensions
{
    /// <summary>
    /// Adds a gate that runs the application's registered health checks (all, by tag, or by predicate): unhealthy
    /// fails, degraded warns, each entry a measurement with its duration and description.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="configure">Selects the checks; sets importance and category.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AddHealthChecks<TBuilder>(this TBuilder builder, string name, Action<HealthChecksGateOptions>? configure = null)
        where TBuilder : IReleaseGatesBuilder
    {
        return builder.AddBuiltInGate<TBuilder, HealthChecksGateOptions>(name, configure, options => new HealthChecksGate(options));
    }

    /// <summary>
    /// Adds a gate that runs the application's registered health checks (all, by tag, or by predicate): unhealthy
    /// fails, degraded warns, each entry a measurement with its duration and description, from an options instance
    /// (bound once, as a configuration file does); the instance is copied and validated now.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="options">The options; copied, so later changes to the instance do nothing.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The options are invalid; every problem is listed.</exception>
    public static TBuilder AddHealthChecks<TBuilder>(this TBuilder builder, string name, HealthChecksGateOptions options)
        where TBuilder : IReleaseGatesBuilder
        => builder.AddBuiltInGate(name, options, o => new HealthChecksGate(o));
}
