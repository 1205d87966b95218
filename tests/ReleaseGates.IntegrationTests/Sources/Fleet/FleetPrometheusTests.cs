using System.Globalization;
using ReleaseGates.IntegrationTests.Support;

namespace ReleaseGates.IntegrationTests.Sources.Fleet;

/// <summary>
/// A fleet of three Kestrel instances scraped by a real Prometheus: the merged instance histograms against Prometheus's
/// classic buckets and the exact pooled durations, the instances found from Prometheus's targets, and the rollout guide's
/// gates (exact fleet p99, sustained error rate from range queries) while one instance starts failing.
/// </summary>
public sealed class FleetPrometheusTests(FleetPrometheusServer prometheus) : IClassFixture<FleetPrometheusServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Count = "http_server_request_duration_seconds_count";

    private static async Task SendAsync(FleetInstance instance, int ms, int count)
    {
        using var client = instance.App.CreateClient();
        foreach (var batch in Enumerable.Range(0, count).Chunk(8))
        {
            await Task.WhenAll(batch.Select(async _ => (await client.GetAsync($"fleet/work/{ms}", Ct)).Dispose()));
        }
    }

    private FleetRequestMetricsOptions Discovered(string route)
        => new() { Prometheus = prometheus.Connection(), PrometheusJob = prometheus.JobName, Route = route, Method = "GET", MaximumRetries = 1 };

    private static double Exact(IEnumerable<double> seconds, double percentile)
    {
        var sorted = seconds.Order().ToArray();
        return sorted[Math.Max(1, (int)Math.Ceiling(percentile / 100 * sorted.Length)) - 1] * 1000;
    }

    [Fact]
    public async Task Merged_fleet_percentiles_are_exact_where_the_classic_buckets_are_not()
    {
        prometheus.RequireServer();
        var fleet = prometheus.Fleet;
        await Task.WhenAll(
            SendAsync(fleet[0], 3, 80), SendAsync(fleet[0], 30, 20),
            SendAsync(fleet[1], 8, 90), SendAsync(fleet[1], 120, 10),
            SendAsync(fleet[2], 15, 95), SendAsync(fleet[2], 300, 5));
        foreach (var instance in fleet)
        {
            await instance.WaitForAsync(FleetInstance.WorkRoute, 100);
        }

        await prometheus.WaitForValueAsync($$"""sum({{Count}}{job="checkout", http_route="{{FleetInstance.WorkRoute}}"})""", 300);
        var classic = new PrometheusRequestMetricsOptions { Connection = prometheus.Connection(), Window = null };
        classic.Labels["job"] = prometheus.JobName;
        classic.Labels["http_route"] = FleetInstance.WorkRoute;
        string[] percentiles = ["p(50)", "p(95)", "p(99)"];

        var report = await ReleaseGate.CreateBuilder()
            .AddLatency("classic", o => { o.Source = RequestMetricsSource.FromPrometheus(classic); percentiles.ToList().ForEach(p => o.Conditions.Add(p + " < 10s")); })
            .AddLatency("merged", o => { o.Source = RequestMetricsSource.FromFleet(Discovered(FleetInstance.WorkRoute)); percentiles.ToList().ForEach(p => o.Conditions.Add(p + " < 10s")); })
            .EvaluateAsync(Ct);

        var pooled = fleet.SelectMany(f => f.Durations(FleetInstance.WorkRoute)).ToList();
        Assert.Equal(300, pooled.Count);
        var merged = report.FindGate("merged")!;
        Assert.Equal(GateStatus.Passed, merged.Status);
        Assert.Equal((3, "of 3 instances"), (merged.Measurements.Single(m => m.Name == "instances-answered").Value,
            merged.Measurements.Single(m => m.Name == "instances-answered").Target));
        var output = TestContext.Current.TestOutputHelper!;
        output.WriteLine("| percentile | exact (pooled) | merged instance histograms | classic buckets |");
        foreach (var name in percentiles)
        {
            var exact = Exact(pooled, double.Parse(name[2..^1], CultureInfo.InvariantCulture));
            var fromFleet = merged.Measurements.Single(m => m.Name == name).Value;
            var fromBuckets = report.FindGate("classic")!.Measurements.Single(m => m.Name == name).Value;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {exact:0.###} ms | {fromFleet:0.###} ms ({(fromFleet / exact - 1) * 100:+0.###;-0.###;0} %) | {fromBuckets:0.###} ms ({(fromBuckets / exact - 1) * 100:+0.#;-0.#;0} %) |"));
            Assert.True(Math.Abs(fromFleet - exact) <= exact * 0.0005, $"{name}: merged {fromFleet} ms, exact {exact} ms");
        }
    }

    /// <summary>
    /// The rollout guide's fleet gates, as docs/rollouts.md writes them: exact p99 over every instance Prometheus scrapes
    /// for the job, and an error rate above 10 % sustained over three 3-second steps of range queries. Healthy traffic
    /// passes; when one of the three instances starts failing, the sustained condition trips once the failure has lasted
    /// the whole window.
    /// </summary>
    [Fact]
    public async Task The_rollout_guide_fleet_gates_trip_when_one_instance_fails_for_longer_than_the_window()
    {
        prometheus.RequireServer();
        using var traffic = new CancellationTokenSource();
        var clients = prometheus.Fleet.Select(f => f.App.CreateClient()).ToArray();
        var sending = Task.Run(async () =>
        {
            while (!traffic.IsCancellationRequested)
            {
                await Task.WhenAll(clients.Select(async c => (await c.GetAsync("api/orders", CancellationToken.None)).Dispose()));
                await Task.Delay(40, CancellationToken.None);
            }
        }, CancellationToken.None);
        try
        {
            await prometheus.WaitForAtLeastAsync($$"""sum({{Count}}{job="checkout", http_route="{{FleetInstance.FlakyRoute}}"})""", 1);
            await Task.Delay(TimeSpan.FromSeconds(10), Ct);
            var healthy = await RolloutGatesAsync();
            var healthyErrors = healthy.FindGate("fleet-errors")!;
            Assert.NotEqual(GateStatus.Failed, healthyErrors.Status);
            Assert.Equal(0, healthyErrors.Measurements.Single(m => m.Name == "sustained-breached-intervals").Value);
            Assert.DoesNotContain(healthyErrors.Findings, f => f.Code == "error-rate.burn-rate");
            Assert.Equal(GateStatus.Passed, healthy.FindGate("fleet-p99")!.Status);
            var budget = healthy.FindGate("fleet-error-budget")!;
            Assert.True(budget.Status == GateStatus.Passed, budget.Summary);
            Assert.Equal(100, budget.Measurements.Single(m => m.Name == "budget-remaining").Value, 6);

            prometheus.Fleet[0].Failing = true;
            ReleaseReport? tripped = null;
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (waited.Elapsed < TimeSpan.FromSeconds(60))
            {
                var report = await RolloutGatesAsync();
                // The burn rate, over its short window, may fail a round before the sustained condition's three steps
                // have all breached: wait for the sustained one.
                if (report.FindGate("fleet-errors")!.Findings.Any(f => f.Code == "error-rate.sustained"))
                {
                    tripped = report;
                    break;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), Ct);
            }

            Assert.NotNull(tripped);
            var errors = tripped.FindGate("fleet-errors")!;
            Assert.Contains(errors.Findings, f => f.Code == "error-rate.sustained");
            Assert.Equal(3, errors.Measurements.Single(m => m.Name == "sustained-breached-intervals").Value);
            var windows = Assert.Single(errors.Findings, f => f.Code == "prometheus.range-windows");
            Assert.Contains("step 3s", windows.Message, StringComparison.Ordinal);
            Assert.Contains("sum(increase(http_server_request_duration_seconds_count{http_route=\"/api/orders\", job=\"checkout\"}[3s]))", windows.Message, StringComparison.Ordinal);
            Assert.Contains(errors.Findings, f => f.Code == "error-rate.burn-rate");    // 1 in 3 requests failing burns a 99.9 % budget at about 300×
            var spent = tripped.FindGate("fleet-error-budget")!;
            Assert.Equal(GateStatus.Failed, spent.Status);
            Assert.Contains(spent.Findings, f => f.Code == "slo.burn-rate");
            Assert.Equal(ReleaseDecision.NoGo, tripped.Decision);
        }
        finally
        {
            prometheus.Fleet[0].Failing = false;
            await traffic.CancelAsync();
            await sending;
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    /// <summary>docs/rollouts.md, "Gating a fleet", pointed at this Prometheus with 3-second steps.</summary>
    private Task<ReleaseReport> RolloutGatesAsync()
        => Docs.DocsSnippets.FleetGates(prometheus.Connection(), TimeSpan.FromSeconds(3)).EvaluateAsync(Ct);
}
