using System.Globalization;
using ReleaseGates.IntegrationTests.Support;

namespace ReleaseGates.IntegrationTests.Sources.Prometheus;

/// <summary>
/// A native histogram in a real Prometheus (<c>--enable-feature=native-histograms</c>, scraped in protobuf): the
/// Prometheus source reads its fine exponential buckets instead of classic ones and says so with their resolution.
/// </summary>
public sealed class NativeHistogramTests(NativePrometheusServer prometheus) : IClassFixture<NativePrometheusServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static double Exact(IEnumerable<double> values, double percentile)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Max(1, (int)Math.Ceiling(percentile / 100 * sorted.Length)) - 1];
    }

    [Fact]
    public async Task Latency_comes_from_the_native_histogram_within_its_bucket_width_and_agrees_with_histogram_quantile()
    {
        prometheus.RequireServer();
        // 1,900 requests spread geometrically over 5 to 60 ms and a tail of 100 over 200 to 900 ms.
        for (var k = 0; k < 1900; k++)
        {
            prometheus.Histogram.Observe(0.005 * Math.Pow(12, (k + 0.5) / 1900));
        }

        for (var k = 0; k < 100; k++)
        {
            prometheus.Histogram.Observe(0.2 * Math.Pow(4.5, (k + 0.5) / 100));
        }

        await prometheus.WaitForValueAsync("""histogram_count(sum(shop_latency_seconds{job="native"}))""", 2000);
        var options = new PrometheusRequestMetricsOptions { Connection = prometheus.Connection(), Metric = "shop_latency_seconds", Window = null };
        options.Labels["job"] = "native";
        var builder = ReleaseGate.CreateBuilder()
            .AddLatency("native", o =>
            {
                o.Source = RequestMetricsSource.FromPrometheus(options);
                o.Conditions.Add("p(50) < 1s");
                o.Conditions.Add("p(95) < 1s");
                o.Conditions.Add("p(99) < 1s");
            });
        foreach (var p in new[] { 50, 95, 99 })
        {
            builder.AddMetric($"promql-p{p}", o =>
            {
                o.Source = MetricSource.FromPrometheus(prometheus.Connection(),
                    string.Create(CultureInfo.InvariantCulture, $$"""histogram_quantile({{p / 100.0}}, sum(shop_latency_seconds{job="native"}))"""));
                o.Unit = MetricUnit.Seconds;
                o.Conditions.Add("value < 1s");
            });
        }

        var report = await builder.EvaluateAsync(Ct);

        var gate = report.FindGate("native")!;
        Assert.Equal(GateStatus.Passed, gate.Status);
        Assert.Equal(2000, gate.Measurements.Single(m => m.Name == "count").Value);
        var resolution = Assert.Single(gate.Findings, f => f.Code == "prometheus.native-histogram");
        Assert.Contains("native histogram, schema 3: each bucket spans ×1.0905", resolution.Message, StringComparison.Ordinal);
        var output = TestContext.Current.TestOutputHelper!;
        foreach (var p in new[] { 50, 95, 99 })
        {
            var measured = gate.Measurements.Single(m => m.Name == $"p({p})");
            var exact = Exact(prometheus.Histogram.Observed, p) * 1000;
            var promql = report.FindGate($"promql-p{p}")!.Measurements.Single().Value * 1000;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"p({p}): exact {exact:0.###} ms, native {measured.Value:0.###} ms ({(measured.Value / exact - 1) * 100:+0.##;-0.##} %), histogram_quantile {promql:0.###} ms"));
            Assert.InRange(measured.Value, exact / 1.0905, exact * 1.0905);   // within the bucket the value fell in
            Assert.Equal(promql, measured.Value, promql * 1e-6);                // the same interpolation as the server's
            Assert.Contains("interpolated", measured.Target, StringComparison.Ordinal);
        }

        if (Environment.GetEnvironmentVariable("RELEASEGATES_UPDATE_FIXTURES") == "1")
        {
            // The recorded answer the unit tests parse (tests/fixtures/prometheus/), straight from this server.
            using var http = new HttpClient();
            var body = await http.GetStringAsync(new Uri(prometheus.BaseAddress,
                "api/v1/query?query=" + Uri.EscapeDataString("""sum(shop_latency_seconds{job="native"})""")), Ct);
            await File.WriteAllTextAsync(Path.Combine(ReleaseGates.Tests.Support.Repository.Root, "tests", "fixtures", "prometheus", "native-histogram-vector.json"), body, Ct);
        }
    }
}
