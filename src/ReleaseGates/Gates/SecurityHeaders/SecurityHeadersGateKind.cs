namespace ReleaseGates;

/// <summary><c>"type": "securityHeaders"</c> in <c>releasegates.json</c>: every property bound by name.</summary>
internal sealed class SecurityHeadersGateKind() : GateKind<SecurityHeadersGateOptions>("securityHeaders")
{
    /// <inheritdoc />
    protected override void Register(IReleaseGatesBuilder builder, string name,
        SecurityHeadersGateOptions options) => builder.AddSecurityHeaders(name, options);
}
