using ReleaseGates.IntegrationTests.Support;

namespace ReleaseGates.IntegrationTests.Gates.HostResources;

/// <summary>
/// Another host's resources, as seed 002 checks them, from its node_exporter through the real Prometheus with the metric
/// gate (the host-resources gate reads only the machine it runs on): docs/seeds.md's queries against a fake exporter
/// whose numbers are set.
/// </summary>
public sealed class RemoteHostResourcesTests(NodeExporterPrometheusServer prometheus) : IClassFixture<NodeExporterPrometheusServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Memory_disk_and_cpu_of_another_host_are_held_to_the_seeds_limits()
    {
        prometheus.RequireServer();
        var node = $"instance=\"{prometheus.NodeInstance}\"";
        await prometheus.WaitForValueAsync($"count(node_cpu_seconds_total{{{node}}})", 2);
        // rate() over a series younger than its range reads low: wait until the 10-second range is full of samples.
        await prometheus.WaitForAtLeastAsync($"count_over_time(node_cpu_seconds_total{{{node}, mode=\"idle\"}}[10s])", 10);

        MetricSource Query(string promql) => MetricSource.FromPrometheus(prometheus.Connection(), promql);
        var report = await ReleaseGate.CreateBuilder()
            .AddMetric("host-memory", o =>
            {
                o.Source = Query($"1 - node_memory_MemAvailable_bytes{{{node}}} / node_memory_MemTotal_bytes{{{node}}}");
                o.Unit = MetricUnit.Ratio;
                o.Conditions.Add("value < 80%");
            })
            .AddMetric("host-disk", o =>
            {
                o.Source = Query($"1 - node_filesystem_avail_bytes{{{node}, mountpoint=\"/\"}} / node_filesystem_size_bytes{{{node}, mountpoint=\"/\"}}");
                o.Unit = MetricUnit.Ratio;
                o.Conditions.Add("value < 90%");
            })
            .AddMetric("host-cpu", o =>
            {
                o.Source = Query($"1 - avg(rate(node_cpu_seconds_total{{{node}, mode=\"idle\"}}[10s]))");
                o.Unit = MetricUnit.Ratio;
                o.Conditions.Add("value < 80%");
            })
            .EvaluateAsync(Ct);

        var memory = report.FindGate("host-memory")!;
        Assert.Equal(GateStatus.Passed, memory.Status);
        Assert.Equal(0.25, memory.Measurements.Single().Value, 9);
        var disk = report.FindGate("host-disk")!;
        Assert.Equal(GateStatus.Failed, disk.Status);                 // 95 % full against seed 002's 90 %
        Assert.Equal(0.95, disk.Measurements.Single().Value, 9);
        var cpu = report.FindGate("host-cpu")!;
        Assert.Equal(GateStatus.Passed, cpu.Status);
        Assert.InRange(cpu.Measurements.Single().Value, 0.35, 0.45);  // idle 60 % of each second: 40 % busy, less the scrape timing
    }
}
