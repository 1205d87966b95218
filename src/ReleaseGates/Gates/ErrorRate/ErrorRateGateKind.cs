using System.Diagnostics.CodeAnalysis;

namespace ReleaseGates;

/// <summary><c>"type": "errorRate"</c> in <c>releasegates.json</c>, with its request-metrics <c>source</c>.</summary>
internal sealed class ErrorRateGateKind : GateKind<ErrorRateGateOptions>
{
    /// <summary>Creates the kind, declaring the classes its options hold.</summary>
    public ErrorRateGateKind()
        : base("errorRate")
    {
        AddOptionsType<BurnRateCondition>();
    }

    /// <inheritdoc />
    internal override IReadOnlyList<GateFileProperty<ErrorRateGateOptions>> Properties
    {
        get => [RequestMetricsSourceForm.Property<ErrorRateGateOptions>("source", (o, s) => o.Source = s)];
    }

    /// <inheritdoc />
    protected override void Register(IReleaseGatesBuilder builder, string name, ErrorRateGateOptions options) => builder.AddErrorRate(name, options);
}
