using ReleaseGates.IntegrationTests.Support;

namespace ReleaseGates.IntegrationTests.Gates.Canary;

/// <summary>
/// The multi-metric canary against a real Prometheus scraping a stable and a canary instance on 127.0.0.1, told apart
/// by a <c>track</c> label on the same metrics (as Kayenta and Argo write canary queries). The instances' gauges are set
/// by the test, so every sample's value is known.
/// </summary>
public sealed class PrometheusCanaryMetricsTests(CanaryPrometheusServer prometheus) : IClassFixture<CanaryPrometheusServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task SetAsync(LoopbackApp instance, string gauge, double value)
    {
        using var client = instance.CreateClient();
        (await client.PutAsync(new Uri($"gauge/{gauge}/{value.ToString(System.Globalization.CultureInfo.InvariantCulture)}", UriKind.Relative), null, Ct))
            .EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_canary_whose_queue_grows_fails_on_its_critical_metric_while_an_equal_metric_passes()
    {
        prometheus.RequireServer();
        await SetAsync(prometheus.Stable, "queue", 10);
        await SetAsync(prometheus.CanaryInstance, "queue", 30);
        await SetAsync(prometheus.Stable, "workers", 4);
        await SetAsync(prometheus.CanaryInstance, "workers", 4);
        await prometheus.WaitForValueAsync("""count(shop_gauge{job="shop"})""", 4);
        // Until every sample of the 10-second window holds the values set.
        await Task.Delay(TimeSpan.FromSeconds(12), Ct);

        var series = CanaryMetricSeries.FromPrometheus(prometheus.Connection(), """track="stable" """, """track="canary" """,
            lookback: TimeSpan.FromSeconds(10), step: TimeSpan.FromSeconds(1));
        var report = await ReleaseGate.CreateBuilder()
            .AddCanary("canary", o =>
            {
                o.MetricSeries = series;
                o.Metrics.Add(new CanaryMetric
                {
                    Name = "queue", Query = """max(shop_gauge{job="shop", name="queue", $scope})""", Direction = CanaryDirection.Increase,
                    Critical = true, MinimumSamples = 5,
                });
                o.Metrics.Add(new CanaryMetric
                {
                    Name = "workers", Query = """max(shop_gauge{job="shop", name="workers", $scope})""", MinimumSamples = 5,
                });
            })
            .EvaluateAsync(Ct);

        var gate = report.FindGate("canary")!;
        Assert.Equal(GateStatus.Failed, gate.Status);
        Assert.Equal(10, gate.Measurements.Single(m => m.Name == "queue-baseline-median").Value);
        Assert.Equal(30, gate.Measurements.Single(m => m.Name == "queue-canary-median").Value);
        Assert.Equal(20, gate.Measurements.Single(m => m.Name == "queue-shift").Value);
        Assert.Equal(4, gate.Measurements.Single(m => m.Name == "workers-canary-median").Value);
        Assert.Equal(50, gate.Measurements.Single(m => m.Name == "canary-score").Value, 9);
        var finding = Assert.Single(gate.Findings, f => f.Code == "canary.metric-changed");
        Assert.StartsWith("Critical metric queue rose beyond its allowance", finding.Message, StringComparison.Ordinal);
        Assert.Contains("workers passed", gate.Summary, StringComparison.Ordinal);
    }
}
