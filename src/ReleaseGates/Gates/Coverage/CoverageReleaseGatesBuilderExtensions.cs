namespace ReleaseGates;

/// <summary>Adds the coverage gate.</summary>
public static class CoverageReleaseGatesBuilderExtensions
{
    /// <summary>Adds a gate over coverage reports (Cobertura, OpenCover, lcov, JaCoCo; several merged).</summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="configure">Sets the reports and thresholds.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The options are invalid; every problem is listed.</exception>
    public static TBuilder AddCoverage<TBuilder>(this TBuilder builder, string name, Action<CoverageGateOptions> configure)
        where TBuilder : IReleaseGatesBuilder
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddBuiltInGate<TBuilder, CoverageGateOptions>(name, configure, options => new CoverageGate(options));
    }

    /// <summary>
    /// Adds a gate over coverage reports (Cobertura, OpenCover, lcov, JaCoCo; several merged), from an options instance
    /// (bound once, as a configuration file does); the instance is copied and validated now.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="options">The options; copied, so later changes to the instance do nothing.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The options are invalid; every problem is listed.</exception>
    public static TBuilder AddCoverage<TBuilder>(this TBuilder builder, string name, CoverageGateOptions options)
        where TBuilder : IReleaseGatesBuilder
        => builder.AddBuiltInGate(name, options, o => new CoverageGate(o));
}
