namespace ReleaseGates;

/// <summary>Adds the TLS gate.</summary>
public static class TlsReleaseGatesBuilderExtensions
{
    /// <summary>
    /// Adds a gate over each endpoint's TLS: which protocol versions it accepts (each tried on a handshake of its own),
    /// whether its certificate chain is valid for the host name, how many days it has left, its key size and signature
    /// algorithm, and the cipher suite negotiated.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="configure">Sets the endpoints and limits.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The options are invalid; every problem is listed.</exception>
    public static TBuilder AddTls<TBuilder>(this TBuilder builder, string name, Action<TlsGateOptions> configure)
        where TBuilder : IReleaseGatesBuilder
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddBuiltInGate<TBuilder, TlsGateOptions>(name, configure, options => new TlsGate(options));
    }

    /// <summary>
    /// Adds a gate over each endpoint's TLS: which protocol versions it accepts (each tried on a handshake of its own),
    /// whether its certificate chain is valid for the host name, how many days it has left, its key size and signature
    /// algorithm, and the cipher suite negotiated, from an options instance (bound once, as a configuration file does);
    /// the instance is copied and validated now.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="options">The options; copied, so later changes to the instance do nothing.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The options are invalid; every problem is listed.</exception>
    public static TBuilder AddTls<TBuilder>(this TBuilder builder, string name, TlsGateOptions options)
        where TBuilder : IReleaseGatesBuilder
        => builder.AddBuiltInGate(name, options, o => new TlsGate(o));
}
