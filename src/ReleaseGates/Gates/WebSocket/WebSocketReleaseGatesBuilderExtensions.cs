namespace ReleaseGates;

/// <summary>Adds the WebSocket gate.</summary>
public static class WebSocketReleaseGatesBuilderExtensions
{
    /// <summary>
    /// Adds a gate that opens WebSocket connections to an endpoint at once, times each connect and message round trip,
    /// holds them open and, when asked, reconnects each; the error share and the percentiles are held to conditions.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="configure">Sets the endpoint, the traffic and the conditions.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AddWebSocket<TBuilder>(this TBuilder builder, string name, Action<WebSocketGateOptions> configure)
        where TBuilder : IReleaseGatesBuilder
        => builder.AddBuiltInGate<TBuilder, WebSocketGateOptions>(name, configure, options => new WebSocketGate(options));

    /// <summary>
    /// Adds the WebSocket gate from an options instance (bound once, as a configuration file does); the instance is
    /// copied and validated now.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="options">The options; copied, so later changes to the instance do nothing.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The options are invalid; every problem is listed.</exception>
    public static TBuilder AddWebSocket<TBuilder>(this TBuilder builder, string name, WebSocketGateOptions options)
        where TBuilder : IReleaseGatesBuilder
        => builder.AddBuiltInGate(name, options, o => new WebSocketGate(o));
}
