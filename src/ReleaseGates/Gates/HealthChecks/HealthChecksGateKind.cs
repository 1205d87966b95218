namespace ReleaseGates;

/// <summary><c>"type": "healthChecks"</c> in <c>releasegates.json</c>: every property bound by name.</summary>
internal sealed class HealthChecksGateKind : GateKind<HealthChecksGateOptions>
{
    /// <summary>Creates the kind, declaring the classes its options hold.</summary>
    public HealthChecksGateKind()
        : base("healthChecks")
    {
        AddOptionsType<HttpProbeOptions>();
    }

    /// <inheritdoc />
    protected override void Register(IReleaseGatesBuilder builder, string name, HealthChecksGateOptions options) => builder.AddHealthChecks(name, options);
}
