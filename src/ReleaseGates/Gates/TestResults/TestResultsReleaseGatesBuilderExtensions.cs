namespace ReleaseGates;

/// <summary>Adds the test-results gate.</summary>
public static class TestResultsReleaseGatesBuilderExtensions
{
    /// <summary>
    /// Adds a gate over TRX and JUnit XML result files: at least one test executed, none failed by default; more
    /// conditions on total, executed, passed, failed, skipped and pass-rate through the options.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="configure">Sets the files and conditions.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The options are invalid; every problem is listed.</exception>
    public static TBuilder AddTestResults<TBuilder>(this TBuilder builder, string name, Action<TestResultsGateOptions> configure)
        where TBuilder : IReleaseGatesBuilder
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddBuiltInGate<TBuilder, TestResultsGateOptions>(name, configure, options => new TestResultsGate(options));
    }

    /// <summary>
    /// Adds a gate over TRX and JUnit XML result files: at least one test executed, none failed by default; more
    /// conditions on total, executed, passed, failed, skipped and pass-rate through the options, from an options
    /// instance (bound once, as a configuration file does); the instance is copied and validated now.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="options">The options; copied, so later changes to the instance do nothing.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The options are invalid; every problem is listed.</exception>
    public static TBuilder AddTestResults<TBuilder>(this TBuilder builder, string name, TestResultsGateOptions options)
        where TBuilder : IReleaseGatesBuilder
        => builder.AddBuiltInGate(name, options, o => new TestResultsGate(o));
}
