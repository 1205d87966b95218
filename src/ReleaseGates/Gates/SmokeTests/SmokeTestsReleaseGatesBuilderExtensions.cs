namespace ReleaseGates;

/// <summary>Adds the smoke-endpoint gate.</summary>
public static class SmokeTestsReleaseGatesBuilderExtensions
{
    /// <summary>
    /// Adds a gate that sends each request (concurrently, within bounds; retries and timeouts from
    /// <see cref="SmokeTestsGateOptions.Probe"/>) and checks status, content type, latency, body text, JSON values and headers;
    /// each check is a measurement. An endpoint that cannot be reached makes the gate <see cref="GateStatus.Error"/>.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="configure">Sets the base address and requests.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AddSmokeTests<TBuilder>(this TBuilder builder, string name, Action<SmokeTestsGateOptions> configure)
        where TBuilder : IReleaseGatesBuilder
        => builder.AddBuiltInGate<TBuilder, SmokeTestsGateOptions>(name, configure, options => new SmokeTestsGate(options));

    /// <summary>
    /// Adds a gate that sends each request (concurrently, within bounds; retries and timeouts from <see
    /// cref="SmokeTestsGateOptions.Probe"/>) and checks status, content type, latency, body text, JSON values and
    /// headers; each check is a measurement. An endpoint that cannot be reached makes the gate <see
    /// cref="GateStatus.Error"/>, from an options instance (bound once, as a configuration file does); the instance is
    /// copied and validated now.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="options">The options; copied, so later changes to the instance do nothing.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The options are invalid; every problem is listed.</exception>
    public static TBuilder AddSmokeTests<TBuilder>(this TBuilder builder, string name, SmokeTestsGateOptions options)
        where TBuilder : IReleaseGatesBuilder
        => builder.AddBuiltInGate(name, options, o => new SmokeTestsGate(o));
}
