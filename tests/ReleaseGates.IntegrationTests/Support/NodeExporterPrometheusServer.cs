using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ReleaseGates.IntegrationTests.Support;

/// <summary>
/// The Prometheus server of <see cref="PrometheusServer"/> that also scrapes, as job <c>node</c>, a small fake
/// node_exporter on 127.0.0.1: another host whose memory is 25 % used (6 of 8 GB available), whose root filesystem is
/// 95 % full, and whose one CPU is idle 60 % of every second since it started.
/// </summary>
public sealed class NodeExporterPrometheusServer : PrometheusServer
{
    private LoopbackApp? _node;

    /// <summary>The fake exporter's instance label, as Prometheus writes it.</summary>
    public string NodeInstance => _node!.BaseAddress.Authority;

    protected override string ExtraScrapeConfigs => $$"""
          - job_name: node
            scrape_interval: 1s
            static_configs:
              - targets: ['{{NodeInstance}}']
        """;

    protected override async Task<IReadOnlyList<LoopbackApp>> StartInstancesAsync()
    {
        var started = TimeProvider.System.GetTimestamp();
        _node = await LoopbackApp.StartAsync(app => app.MapGet("/metrics", () =>
        {
            var seconds = TimeProvider.System.GetElapsedTime(started).TotalSeconds;
            var text = string.Create(CultureInfo.InvariantCulture, $"""
                # TYPE node_memory_MemTotal_bytes gauge
                node_memory_MemTotal_bytes 8e+09
                # TYPE node_memory_MemAvailable_bytes gauge
                node_memory_MemAvailable_bytes 6e+09
                # TYPE node_filesystem_size_bytes gauge
                node_filesystem_size_bytes{"{"}device="/dev/sda1",fstype="ext4",mountpoint="/"{"}"} 1e+11
                # TYPE node_filesystem_avail_bytes gauge
                node_filesystem_avail_bytes{"{"}device="/dev/sda1",fstype="ext4",mountpoint="/"{"}"} 5e+09
                # TYPE node_cpu_seconds_total counter
                node_cpu_seconds_total{"{"}cpu="0",mode="idle"{"}"} {seconds * 0.6:0.000}
                node_cpu_seconds_total{"{"}cpu="0",mode="user"{"}"} {seconds * 0.4:0.000}

                """);
            return Results.Text(text, "text/plain; version=0.0.4");
        }), CancellationToken.None);
        return await base.StartInstancesAsync();
    }

    protected override async ValueTask DisposeInstancesAsync()
    {
        await base.DisposeInstancesAsync();
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }
}
