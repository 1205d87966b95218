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
}
