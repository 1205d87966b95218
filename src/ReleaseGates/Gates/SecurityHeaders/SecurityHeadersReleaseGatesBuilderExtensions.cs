namespace ReleaseGates;

/// <summary>Adds the security-headers gate.</summary>
public static class SecurityHeadersReleaseGatesBuilderExtensions
{
    /// <summary>
    /// Adds a gate that fetches <see cref="SecurityHeadersGateOptions.Url"/> and scores its security headers the way Mozilla HTTP
    /// Observatory does (score and grade A+ to F), checks the http → https redirect and CORS, and reports each weakness with
    /// the value seen and the ASP.NET Core line that fixes it.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="configure">Sets the URL, grade and profile.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AddSecurityHeaders<TBuilder>(this TBuilder builder, string name, Action<SecurityHeadersGateOptions> configure)
        where TBuilder : IReleaseGatesBuilder
        => builder.AddBuiltInGate<TBuilder, SecurityHeadersGateOptions>(name, configure, options => new SecurityHeadersGate(options));

    /// <summary>
    /// Adds a gate that fetches <see cref="SecurityHeadersGateOptions.Url"/> and scores its security headers the way
    /// Mozilla HTTP Observatory does (score and grade A+ to F), checks the http → https redirect and CORS, and reports
    /// each weakness with the value seen and the ASP.NET Core line that fixes it, from an options instance (bound once,
    /// as a configuration file does); the instance is copied and validated now.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="options">The options; copied, so later changes to the instance do nothing.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The options are invalid; every problem is listed.</exception>
    public static TBuilder AddSecurityHeaders<TBuilder>(this TBuilder builder, string name, SecurityHeadersGateOptions options)
        where TBuilder : IReleaseGatesBuilder
        => builder.AddBuiltInGate(name, options, o => new SecurityHeadersGate(o));
}
