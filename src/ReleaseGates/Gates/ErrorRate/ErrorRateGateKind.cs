using System.Diagnostics.CodeAnalysis;

namespace ReleaseGates;

/// <summary><c>"type": "errorRate"</c> in <c>releasegates.json</c>, with its request-metrics <c>source</c>.</summary>
internal sealed class ErrorRateGateKind() : GateKind<ErrorRateGateOptions>("errorRate")
{
    /// <inheritdoc />
    internal override IReadOnlyList<GateFileProperty<ErrorRateGateOptions>> Properties
    {
        [RequiresUnreferencedCode("Options are bound by reflection over their public properties.")]
        [RequiresDynamicCode("Collections of options are created by reflection.")]
        get => [RequestMetricsSourceForm.Property<ErrorRateGateOptions>("source", (o, s) => o.Source = s)];
    }

    /// <inheritdoc />
    protected override void Register(IReleaseGatesBuilder builder, string name, ErrorRateGateOptions options) => builder.AddErrorRate(name, options);
}
