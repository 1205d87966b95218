using System.Diagnostics.CodeAnalysis;

namespace ReleaseGates;

/// <summary><c>"type": "slo"</c> in <c>releasegates.json</c>, with its request-metrics <c>source</c>.</summary>
internal sealed class SloGateKind() : GateKind<SloGateOptions>("slo")
{
    /// <inheritdoc />
    internal override IReadOnlyList<GateFileProperty<SloGateOptions>> Properties
    {
        [RequiresUnreferencedCode("Options are bound by reflection over their public properties.")]
        [RequiresDynamicCode("Collections of options are created by reflection.")]
        get => [RequestMetricsSourceForm.Property<SloGateOptions>("source", (o, s) => o.Source = s)];
    }

    /// <inheritdoc />
    protected override void Register(IReleaseGatesBuilder builder, string name, SloGateOptions options) => builder.AddSlo(name, options);
}
