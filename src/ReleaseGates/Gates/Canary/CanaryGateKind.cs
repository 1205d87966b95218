using System.Diagnostics.CodeAnalysis;

namespace ReleaseGates;

/// <summary>
/// <c>"type": "canary"</c> in <c>releasegates.json</c>, with a request-metrics source for each side (<c>baseline</c>,
/// <c>canary</c>) and the metrics' <c>metricSeries</c>.
/// </summary>
internal sealed class CanaryGateKind : GateKind<CanaryGateOptions>
{
    /// <summary>Creates the kind, declaring the classes its options hold.</summary>
    public CanaryGateKind()
        : base("canary")
    {
        AddOptionsType<CanaryMetric>();
        AddOptionsType<PrometheusConnection>();
    }

    /// <inheritdoc />
    internal override IReadOnlyList<GateFileProperty<CanaryGateOptions>> Properties
    {
        get => [
            RequestMetricsSourceForm.Property<CanaryGateOptions>("baseline", (o, s) => o.Baseline = s),
            RequestMetricsSourceForm.Property<CanaryGateOptions>("canary", (o, s) => o.Canary = s),
            CanaryMetricSeriesForm.Property(),
        ];
    }

    /// <inheritdoc />
    protected override void Register(IReleaseGatesBuilder builder, string name, CanaryGateOptions options) => builder.AddCanary(name, options);
}
