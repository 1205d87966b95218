using System.Globalization;
using ReleaseGates.IntegrationTests.Support;

namespace ReleaseGates.IntegrationTests.Gates.Slo;

/// <summary>
/// The SLO gate against a real Prometheus scraping two Kestrel instances on 127.0.0.1 whose SLO counters (one series per
/// service and outcome, made at zero when each instance starts) count exactly what each test sends. The gate's SLI, budget
/// and burn rates are checked against values computed from what was sent, and against Sloth-style recording rules that the
/// same server evaluates; an OpenSLO file adapted from the specification's own example gates the same service.
/// </summary>
public sealed class PrometheusSloTests(SloPrometheusServer prometheus) : IClassFixture<SloPrometheusServer>
{
    private static readonly string FixtureFolder = Path.Combine(ReleaseGates.Tests.Support.Repository.Root, "tests", "fixtures", "openslo");
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(2);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Sends <paramref name="ok"/> good and <paramref name="failed"/> failing requests of a service to every instance.</summary>
    private async Task SendAsync(string service, int ok, int failed)
    {
        // Every instance's two series of the service, at zero, scraped before the first request.
        await prometheus.WaitForValueAsync($"count({Total(service)})", 2 * prometheus.Instances.Count);
        foreach (var instance in prometheus.Instances)
        {
            using var client = instance.CreateClient();
            var paths = Enumerable.Repeat($"slo/{service}/false", ok).Concat(Enumerable.Repeat($"slo/{service}/true", failed));
            foreach (var batch in paths.Chunk(8))
            {
                await Task.WhenAll(batch.Select(async p => (await client.GetAsync(p, Ct)).Dispose()));
            }
        }
    }

    private static string Total(string service) => $$"""slo_requests_total{job="shop", service="{{service}}"}""";

    private static double Value(GateReport gate, string name) => gate.Measurements.Single(m => m.Name == name).Value;

    /// <summary>Waits until Prometheus has scraped every request sent, then past the next step and rule evaluation.</summary>
    private async Task WaitScrapedAsync(string service, int requests)
    {
        await prometheus.WaitForValueAsync($"sum({Total(service)})", requests);
        await Task.Delay(Step + TimeSpan.FromSeconds(1.5), Ct);
    }

    [Fact]
    public async Task Sli_budget_and_burn_rates_equal_what_was_sent_and_the_sloth_rules_of_the_same_server()
    {
        prometheus.RequireServer();
        // Each instance: 26 requests of which 1 failed, then 104 of which 4 failed. 260 requests, 10 failures in all.
        await SendAsync("checkout", ok: 25, failed: 1);
        await SendAsync("checkout", ok: 100, failed: 4);
        await WaitScrapedAsync("checkout", 260);

        var source = RequestMetricsSource.FromPrometheusEvents(new PrometheusEventsOptions
        {
            Connection = prometheus.Connection(),
            Total = Total("checkout"),
            Bad = """slo_requests_total{job="shop", service="checkout", outcome="error"}""",
            Step = Step,
            Lookback = TimeSpan.FromMinutes(10),
        });
        var report = await ReleaseGate.CreateBuilder()
            .AddSlo("checkout", o =>
            {
                o.Source = source;
                o.Objective = 0.95;
                o.Window = TimeSpan.FromMinutes(10);
                o.BurnRates.Clear();
                o.BurnRates.Add(new SloBurnRateRule { LongWindow = TimeSpan.FromMinutes(5), ShortWindow = TimeSpan.FromMinutes(1), Threshold = 14.4 });
            })
            .EvaluateAsync(Ct);

        var gate = report.FindGate("checkout")!;
        const double errorRatio = 10.0 / 260;
        Assert.Equal(GateStatus.Passed, gate.Status);
        Assert.Equal(260, Value(gate, "requests"));
        Assert.Equal(10, Value(gate, "errors"));
        Assert.Equal(100 * (1 - errorRatio), Value(gate, "sli"), 9);
        Assert.Equal(100 * (1 - (errorRatio / 0.05)), Value(gate, "budget-remaining"), 9);      // 23.08 %
        Assert.Equal((0.05 * 260) - 10, Value(gate, "budget-remaining-requests"), 9);            // 3 more failures allowed
        Assert.Equal(errorRatio / 0.05, Value(gate, "burn-rate-5m"), 9);

        // Sloth's recording rules, evaluated by the same server: rate() extrapolates both counters of an instance by the
        // same factor (they share their scrapes and start at zero), and every instance failed the same share, so the ratio
        // of summed rates is the ratio of the counts.
        var client = new PrometheusClient(prometheus.Connection(), TimeProvider.System);
        foreach (var (window, measured) in new[] { ("5m", Value(gate, "burn-rate-5m") * 0.05), ("10m", 1 - (Value(gate, "sli") / 100)) })
        {
            var query = $$"""slo:sli_error:ratio_rate{{window}}{sloth_id="{{SloPrometheusServer.SlothId}}"}""";
            var recorded = (await client.QueryAsync(query, DateTimeOffset.UtcNow, Ct)).Series.Single().Samples[^1].Value;
            Assert.True(Math.Abs(recorded - measured) / measured < 0.001,
                $"{query} = {recorded.ToString(CultureInfo.InvariantCulture)}, the gate measured {measured.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    [Fact]
    public async Task An_openslo_file_from_the_spec_examples_gates_the_service_in_code_and_in_releasegates_json()
    {
        prometheus.RequireServer();
        // 4 % of every instance's requests fail: below the "Good" objective of 99 %, within the "Tolerable" 90 %.
        await SendAsync("openslo-strict", ok: 96, failed: 4);
        await WaitScrapedAsync("openslo-strict", 200);
        var file = Path.Combine(FixtureFolder, "main-page-prometheus.yaml");

        var report = await ReleaseGate.CreateBuilder()
            .AddOpenSlo("main-page-good", o => { o.File = file; o.Objective = "Good"; o.Prometheus = prometheus.Connection(); o.Step = Step; })
            .AddOpenSlo("main-page-tolerable", o => { o.File = file; o.Objective = "Tolerable"; o.Prometheus = prometheus.Connection(); o.Step = Step; })
            .EvaluateAsync(Ct);

        var good = report.FindGate("main-page-good")!;
        Assert.Equal(GateStatus.Failed, good.Status);
        Assert.Contains(good.Findings, f => f.Code == "slo.budget-spent");
        Assert.InRange(Value(good, "sli"), 95.9, 96.1);                       // the mean of the slices' good shares
        Assert.Contains("by 1m ratio time slices", good.Summary, StringComparison.Ordinal);
        var tolerable = report.FindGate("main-page-tolerable")!;
        Assert.Equal(GateStatus.Passed, tolerable.Status);
        Assert.Equal(200, Value(tolerable, "requests"));

        // The same file named in releasegates.json, as the tool reads it: the server's address from the file wins over the
        // DataSource's, and the gate's verdict is the same.
        var folder = Directory.CreateTempSubdirectory("releasegates-openslo-").FullName;
        try
        {
            File.Copy(file, Path.Combine(folder, "main-page.yaml"));
            await File.WriteAllTextAsync(Path.Combine(folder, "releasegates.json"), $$"""
                {
                  "gates": {
                    "main-page": {
                      "type": "openslo", "file": "main-page.yaml", "objective": "Good", "step": "00:00:02",
                      "prometheus": { "baseAddress": "{{prometheus.BaseAddress}}" }
                    }
                  }
                }
                """, Ct);
            var fromJson = await ReleaseGate.CreateBuilder()
                .AddFromJsonFile(Path.Combine(folder, "releasegates.json"), new OpenSloGateKind())
                .EvaluateAsync(Ct);
            Assert.Equal(GateStatus.Failed, fromJson.FindGate("main-page")!.Status);
            Assert.Equal(ReleaseDecision.NoGo, fromJson.Decision);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_latency_sli_from_prometheus_is_the_share_of_requests_in_the_threshold_bucket()
    {
        prometheus.RequireServer();
        // Each instance: 20 requests of 1 ms and 5 of 300 ms; against a 250 ms threshold (a bucket bound), 40 of 50 are good.
        foreach (var instance in prometheus.Instances)
        {
            using var client = instance.CreateClient();
            foreach (var batch in Enumerable.Repeat("work/1", 20).Concat(Enumerable.Repeat("work/300", 5)).Chunk(5))
            {
                await Task.WhenAll(batch.Select(async p => (await client.GetAsync(p, Ct)).Dispose()));
            }
        }

        const string Route = """job="shop", http_route="/work/{ms:int}" """;
        await prometheus.WaitForValueAsync($"sum(http_server_request_duration_seconds_count{{{Route}}})", 50);
        await Task.Delay(Step + TimeSpan.FromSeconds(1.5), Ct);
        var source = RequestMetricsSource.FromPrometheusEvents(new PrometheusEventsOptions
        {
            Connection = prometheus.Connection(),
            Total = $"http_server_request_duration_seconds_count{{{Route}}}",
            Good = $$"""http_server_request_duration_seconds_bucket{{{Route}}, le="0.25"}""",
            Step = Step,
            Lookback = TimeSpan.FromMinutes(10),
        });

        var report = await ReleaseGate.CreateBuilder()
            .AddSlo("search-latency", o =>
            {
                o.Source = source;
                o.Objective = 0.75;
                o.Window = TimeSpan.FromMinutes(10);
                o.BurnRates.Clear();
            })
            .EvaluateAsync(Ct);

        var gate = report.FindGate("search-latency")!;
        Assert.Equal(GateStatus.Passed, gate.Status);
        Assert.Equal(50, Value(gate, "requests"));
        Assert.Equal(10, Value(gate, "errors"));                                  // the slow ones: bad events of the SLI
        Assert.Equal(80, Value(gate, "sli"), 9);
        Assert.Equal(100 * (1 - (0.2 / 0.25)), Value(gate, "budget-remaining"), 9);
    }

    [Fact]
    public async Task Sloths_recorded_ratios_give_the_sli_budget_and_burn_rates_of_what_was_sent()
    {
        prometheus.RequireServer();
        // Each instance: 104 requests of which 4 failed; a 95 % objective leaves 1 − (4/104)/0.05 = 23.1 % of the budget.
        await SendAsync("recorded", ok: 100, failed: 4);
        await WaitScrapedAsync("recorded", 208);
        var query = $$"""slo:sli_error:ratio_rate10m{sloth_id="{{SloPrometheusServer.RecordedSlothId}}"}""";
        await prometheus.WaitForAtLeastAsync(query, 0.01);

        var report = await ReleaseGate.CreateBuilder()
            .AddSlo("recorded", o =>
            {
                o.RecordedRatios = new SloRecordedRatios
                {
                    Connection = prometheus.Connection(),
                    Selector = $"""sloth_id="{SloPrometheusServer.RecordedSlothId}" """,
                };
                o.Objective = 0.95;
                o.Window = TimeSpan.FromMinutes(10);
                o.BurnRates.Clear();
                o.BurnRates.Add(new SloBurnRateRule { LongWindow = TimeSpan.FromMinutes(10), ShortWindow = TimeSpan.FromMinutes(5), Threshold = 14.4 });
            })
            .EvaluateAsync(Ct);

        var gate = report.FindGate("recorded")!;
        const double errorRatio = 4.0 / 104;
        Assert.Equal(GateStatus.Passed, gate.Status);
        Assert.InRange(Value(gate, "sli"), 100 * (1 - errorRatio) - 0.01, 100 * (1 - errorRatio) + 0.01);
        Assert.InRange(Value(gate, "burn-rate-5m") / (errorRatio / 0.05), 0.999, 1.001);
        Assert.Contains(gate.Findings, f => f.Code == "slo.recorded-ratios");
        Assert.DoesNotContain(gate.Measurements, m => m.Name == "requests");   // ratios carry no counts, and the gate invents none
    }
}
