using System.Diagnostics.CodeAnalysis;

namespace ReleaseGates;

/// <summary><c>"type": "latency"</c> in <c>releasegates.json</c>, with its request-metrics <c>source</c>.</summary>
internal sealed class LatencyGateKind() : GateKind<LatencyGateOptions>("latency")
{
    /// <inheritdoc />
    internal override IReadOnlyList<GateFileProperty<LatencyGateOptions>> Properties
    {
        get => [RequestMetricsSourceForm.Property<LatencyGateOptions>("source", (o, s) => o.Source = s)];
    }

    /// <inheritdoc />
    protected override void Register(IReleaseGatesBuilder builder, string name, LatencyGateOptions options) => builder.AddLatency(name, options);
}
