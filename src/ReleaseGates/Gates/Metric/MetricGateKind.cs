using System.Diagnostics.CodeAnalysis;

namespace ReleaseGates;

/// <summary><c>"type": "metric"</c> in <c>releasegates.json</c>, with its Prometheus <c>source</c> and query.</summary>
internal sealed class MetricGateKind() : GateKind<MetricGateOptions>("metric")
{
    /// <inheritdoc />
    internal override IReadOnlyList<GateFileProperty<MetricGateOptions>> Properties
    {
        get => [MetricSourceForm.Property<MetricGateOptions>("source", (o, s) => o.Source = s)];
    }

    /// <inheritdoc />
    protected override void Register(IReleaseGatesBuilder builder, string name, MetricGateOptions options) => builder.AddMetric(name, options);
}
