using System.Diagnostics.CodeAnalysis;

namespace ReleaseGates;

/// <summary><c>"type": "slo"</c> in <c>releasegates.json</c>, with its request-metrics <c>source</c>.</summary>
internal sealed class SloGateKind : GateKind<SloGateOptions>
{
    /// <summary>Creates the kind, declaring the classes its options hold.</summary>
    public SloGateKind()
        : base("slo")
    {
        AddOptionsType<SloBurnRateRule>();
        AddOptionsType<SloCalendar>();
        AddOptionsType<SloRecordedRatios>();
        AddOptionsType<PrometheusConnection>();
    }

    /// <inheritdoc />
    internal override IReadOnlyList<GateFileProperty<SloGateOptions>> Properties
    {
        get => [RequestMetricsSourceForm.Property<SloGateOptions>("source", (o, s) => o.Source = s)];
    }

    /// <inheritdoc />
    protected override void Register(IReleaseGatesBuilder builder, string name, SloGateOptions options) => builder.AddSlo(name, options);
}
