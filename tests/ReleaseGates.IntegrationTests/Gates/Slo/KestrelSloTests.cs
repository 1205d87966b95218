using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ReleaseGates.IntegrationTests.Support;
using ReleaseGates.Metrics;

namespace ReleaseGates.IntegrationTests.Gates.Slo;

/// <summary>
/// A real Kestrel app on 127.0.0.1 that fails exactly one request in 100, read through its own request metrics' windows:
/// the SLO gate's SLI, error budget and burn rates must be the values computed from what was sent, to the last digit.
/// </summary>
public class KestrelSloTests
{
    private const int Requests = 1000;

    [Fact]
    public async Task The_sli_budget_and_burn_rates_are_what_was_sent_and_decide_both_ways()
    {
        var ct = TestContext.Current.CancellationToken;
        using var collector = new HttpMetricsCollector(new HttpMetricsCollectorOptions { WindowInterval = TimeSpan.FromSeconds(1), WindowIntervalCount = 900 });
        var calls = 0;
        await using var app = await LoopbackApp.StartAsync(a => a.MapGet("/slo/orders/{id}", (int id) =>
            Interlocked.Increment(ref calls) % 100 == 0 ? Results.StatusCode(500) : Results.Ok(id)), ct);   // exactly 1 % fail

        using var client = app.CreateClient();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async worker =>
        {
            for (var i = worker; i < Requests; i += 4)
            {
                (await client.GetAsync($"slo/orders/{i}", ct)).Dispose();
            }
        }));

        var endpoint = new HttpEndpoint(HttpMetricSource.Server, "GET", "/slo/orders/{id}");
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while ((collector.GetEndpoint(endpoint)?.Total ?? 0) < Requests && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(20, ct);
        }

        // Every request lies within the last few seconds, so each window below holds all 1,000 and their 10 failures.
        var source = RequestMetricsSource.FromHttpMetrics(collector, endpoint);
        void Rules(SloGateOptions o, double objective)
        {
            o.Source = source;
            o.Objective = objective;
            o.Window = TimeSpan.FromMinutes(10);
            o.BurnRates.Clear();
            o.BurnRates.Add(new SloBurnRateRule { LongWindow = TimeSpan.FromMinutes(5), ShortWindow = TimeSpan.FromMinutes(1), Threshold = 1.5 });
        }

        var report = await ReleaseGate.CreateBuilder()
            .AddSlo("within-98%", o => Rules(o, 0.98))      // 20 failures allowed, 10 used: half the budget left, burning at 0.5×
            .AddSlo("within-99.5%", o => Rules(o, 0.995))   // 5 allowed, 10 used: overdrawn by 100 %, burning at 2×
            .EvaluateAsync(ct);

        var healthy = report.FindGate("within-98%")!;
        double Value(GateReport gate, string name) => gate.Measurements.Single(m => m.Name == name).Value;
        Assert.True(healthy.Status == GateStatus.Passed, healthy.Summary);
        Assert.Equal(Requests, Value(healthy, "requests"));
        Assert.Equal(10, Value(healthy, "errors"));
        Assert.Equal(99, Value(healthy, "sli"), 9);
        Assert.Equal(50, Value(healthy, "budget-remaining"), 9);
        Assert.Equal(10, Value(healthy, "budget-remaining-requests"), 9);
        Assert.Equal(0.5, Value(healthy, "burn-rate-5m"), 9);
        Assert.Equal(0.5, Value(healthy, "burn-rate-1m"), 9);

        var spent = report.FindGate("within-99.5%")!;
        Assert.Equal(GateStatus.Failed, spent.Status);
        Assert.Equal(-100, Value(spent, "budget-remaining"), 9);
        Assert.Equal(2, Value(spent, "burn-rate-5m"), 9);
        Assert.Contains(spent.Findings, f => f.Code == "slo.budget-spent");
        Assert.Contains(spent.Findings, f => f.Code == "slo.burn-rate");
        Assert.Equal(ReleaseDecision.NoGo, report.Decision);
    }
}
