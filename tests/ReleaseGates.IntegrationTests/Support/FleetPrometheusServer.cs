using Microsoft.AspNetCore.Builder;
using OpenTelemetry.Metrics;

namespace ReleaseGates.IntegrationTests.Support;

/// <summary>
/// A real Prometheus scraping every second three <see cref="FleetInstance"/>s (job <c>checkout</c>, as in docs/rollouts.md) that export ASP.NET Core's
/// request duration as an OpenTelemetry classic histogram and serve their exact histograms to the fleet source.
/// </summary>
public sealed class FleetPrometheusServer : PrometheusServer
{
    private readonly List<FleetInstance> _fleet = [];

    public override string JobName => "checkout";

    /// <summary>The three instances.</summary>
    public IReadOnlyList<FleetInstance> Fleet => _fleet;

    protected override async Task<IReadOnlyList<LoopbackApp>> StartInstancesAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            _fleet.Add(await FleetInstance.StartAsync($"fleet-{i}", CancellationToken.None, AddMetrics, app => app.MapPrometheusScrapingEndpoint()));
        }

        return [.. _fleet.Select(f => f.App)];
    }

    protected override async ValueTask DisposeInstancesAsync()
    {
        foreach (var instance in _fleet)
        {
            await instance.DisposeAsync();
        }
    }
}
