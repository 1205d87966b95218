namespace ReleaseGates.IntegrationTests.Support;

/// <summary>
/// The Prometheus server of <see cref="PrometheusServer"/> with its two instances in two target groups, labelled
/// <c>track="stable"</c> and <c>track="canary"</c>: a canary and its baseline as label sets on the same metrics.
/// </summary>
public sealed class CanaryPrometheusServer : PrometheusServer
{
    /// <summary>The stable instance.</summary>
    public LoopbackApp Stable => Instances[0];

    /// <summary>The canary instance.</summary>
    public LoopbackApp CanaryInstance => Instances[1];

    protected override string TargetGroups(IReadOnlyList<LoopbackApp> instances) => $$"""
              - targets: ['{{instances[0].BaseAddress.Authority}}']
                labels: { track: stable }
              - targets: ['{{instances[1].BaseAddress.Authority}}']
                labels: { track: canary }
        """;
}
