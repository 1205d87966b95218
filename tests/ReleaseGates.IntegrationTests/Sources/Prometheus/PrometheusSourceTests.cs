using Microsoft.Extensions.DependencyInjection;
using ReleaseGates.IntegrationTests.Support;

namespace ReleaseGates.IntegrationTests.Sources.Prometheus;

/// <summary>
/// The Prometheus sources against a real Prometheus 2.x scraping two Kestrel instances on 127.0.0.1 that export
/// OpenTelemetry metrics. Every test drives its own route, so counts are exactly what it sent.
/// </summary>
public sealed class PrometheusSourceTests(PrometheusServer prometheus) : IClassFixture<PrometheusServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Sends each path to the instances in turn, a few at a time.</summary>
    private async Task SendAsync(IEnumerable<string> paths)
    {
        var clients = prometheus.Instances.Select(i => i.CreateClient()).ToArray();
        var n = 0;
        var sends = paths.Select(path => (Client: clients[n++ % clients.Length], Path: path)).ToList();
        foreach (var batch in sends.Chunk(8))
        {
            await Task.WhenAll(batch.Select(async s => (await s.Client.GetAsync(s.Path, Ct)).Dispose()));
        }

        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    private PrometheusRequestMetricsOptions Requests(string route, TimeSpan? window = null)
    {
        var options = new PrometheusRequestMetricsOptions { Connection = prometheus.Connection(), Window = window };
        options.Labels["job"] = PrometheusServer.Job;
        options.Labels["http_route"] = route;
        return options;
    }

    private const string Count = "http_server_request_duration_seconds_count";

    [Fact]
    public async Task Latency_from_buckets_matches_histogram_quantile_and_names_the_bucket_it_fell_in()
    {
        prometheus.RequireServer();
        await SendAsync(Enumerable.Repeat("work/5", 40).Concat(Enumerable.Repeat("work/150", 10)));
        await prometheus.WaitForValueAsync($$"""sum({{Count}}{job="shop", http_route="/work/{ms:int}"})""", 50);

        var source = RequestMetricsSource.FromPrometheus(Requests("/work/{ms:int}"));
        var metrics = await source.ReadAsync(new GateContext("latency", new Microsoft.Extensions.DependencyInjection.ServiceCollection().BuildServiceProvider(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance), Ct);
        var report = await ReleaseGate.CreateBuilder()
            .AddLatency("latency", o => { o.Source = source; o.Conditions.Add("p(50) < 100ms"); o.Conditions.Add("p(95) < 100ms"); })
            .AddMetric("promql-p95", o =>
            {
                o.Source = MetricSource.FromPrometheus(prometheus.Connection(), """histogram_quantile(0.95, sum by (le) (http_server_request_duration_seconds_bucket{job="shop", http_route="/work/{ms:int}"}))""");
                o.Unit = MetricUnit.Seconds;
                o.Conditions.Add("value < 100ms");
            })
            .EvaluateAsync(Ct);

        Assert.Equal(50, metrics.Total);
        Assert.Equal(0, metrics.Errors);
        var latency = report.FindGate("latency")!;
        Assert.Equal(GateStatus.Failed, latency.Status);      // a fifth of the requests took 150 ms
        var p95 = latency.Measurements.Single(m => m.Name == "p(95)");
        Assert.Contains("in the bucket 100 ms to 250 ms, interpolated", p95.Target, StringComparison.Ordinal);
        Assert.Equal(GateStatus.Passed, latency.Measurements.Single(m => m.Name == "p(50)").Status);
        var promql = report.FindGate("promql-p95")!.Measurements.Single();
        Assert.Equal(promql.Value * 1000, p95.Value, 1e-6);   // the same interpolation as Prometheus's own
    }

    [Fact]
    public async Task Error_rate_comes_from_the_counters_exactly_and_over_a_window_approximately()
    {
        prometheus.RequireServer();
        // Prometheus counts a counter's increase only between samples it scraped: the series must exist before the traffic
        // a window is to see, so one success and one failure per instance go first.
        await SendAsync(["mixed/1", "mixed/1", "mixed/100", "mixed/100"]);
        await prometheus.WaitForValueAsync($$"""sum({{Count}}{job="shop", http_route="/mixed/{ms:int}"})""", 4);
        await SendAsync(Enumerable.Repeat("mixed/1", 30).Concat(Enumerable.Repeat("mixed/100", 10)));
        await prometheus.WaitForValueAsync($$"""sum({{Count}}{job="shop", http_route="/mixed/{ms:int}"})""", 44);

        var report = await ReleaseGate.CreateBuilder()
            .AddErrorRate("since-start", o => { o.Source = RequestMetricsSource.FromPrometheus(Requests("/mixed/{ms:int}")); o.MaximumRate = 0.1; })
            .AddErrorRate("last-2m", o => { o.Source = RequestMetricsSource.FromPrometheus(Requests("/mixed/{ms:int}", TimeSpan.FromMinutes(2))); o.MaximumRate = 0.1; })
            .EvaluateAsync(Ct);

        var exact = report.FindGate("since-start")!;
        Assert.Equal(GateStatus.Failed, exact.Status);
        Assert.Equal(12.0 / 44, exact.Measurements.Single(m => m.Name == "rate").Value, 1e-12);
        Assert.Equal(12, exact.Measurements.Single(m => m.Name == "errors").Value);
        var windowed = report.FindGate("last-2m")!;
        Assert.True(windowed.Status == GateStatus.Failed, windowed.Summary);
        Assert.InRange(windowed.Measurements.Single(m => m.Name == "rate").Value, 0.15, 0.35);   // increase() extrapolates
    }

    [Fact]
    public async Task Cache_hit_rate_as_a_share_of_two_counters()
    {
        prometheus.RequireServer();
        await SendAsync(Enumerable.Repeat("cache/true", 18).Concat(Enumerable.Repeat("cache/false", 2)));
        await prometheus.WaitForValueAsync("""sum(cache_hits_total{job="shop"}) + sum(cache_misses_total{job="shop"})""", 20);
        var hitRate = MetricSource.Share(
            MetricSource.FromPrometheus(prometheus.Connection(), """sum(cache_hits_total{job="shop"})"""),
            MetricSource.FromPrometheus(prometheus.Connection(), """sum(cache_misses_total{job="shop"})"""));

        var report = await ReleaseGate.CreateBuilder()
            .AddMetric("cache-90", o => { o.Source = hitRate; o.Unit = MetricUnit.Ratio; o.Conditions.Add("value > 85%"); })
            .AddMetric("cache-95", o => { o.Source = hitRate; o.Unit = MetricUnit.Ratio; o.Conditions.Add("value >= 95%"); })
            .EvaluateAsync(Ct);

        Assert.Equal(GateStatus.Passed, report.FindGate("cache-90")!.Status);
        Assert.Equal(0.9, report.FindGate("cache-90")!.Measurements.Single().Value, 1e-12);
        Assert.Equal(GateStatus.Failed, report.FindGate("cache-95")!.Status);
    }

    [Fact]
    public async Task An_empty_vector_is_no_data_with_the_query_and_never_a_pass()
    {
        prometheus.RequireServer();
        const string query = """sum(rate(no_such_metric_total{job="shop"}[1m]))""";
        var report = await ReleaseGate.CreateBuilder()
            .AddMetric("inconclusive", o => { o.Source = MetricSource.FromPrometheus(prometheus.Connection(), query); o.Conditions.Add("value < 5"); })
            .AddMetric("strict", o => { o.Source = MetricSource.FromPrometheus(prometheus.Connection(), query); o.Conditions.Add("value < 5"); o.NoDataStatus = GateStatus.Failed; })
            .AddLatency("no-series", o => { o.Source = RequestMetricsSource.FromPrometheus(Requests("/never/called")); o.Conditions.Add("p(95) < 1s"); })
            .EvaluateAsync(Ct);

        var inconclusive = report.FindGate("inconclusive")!;
        Assert.Equal(GateStatus.Skipped, inconclusive.Status);
        Assert.Contains(query, inconclusive.Summary, StringComparison.Ordinal);
        Assert.Contains("empty vector", inconclusive.Summary, StringComparison.Ordinal);
        Assert.Equal(GateStatus.Failed, report.FindGate("strict")!.Status);
        Assert.Equal(MetricGateConstants.NoData, report.FindGate("strict")!.Findings.Single().Code);
        var noSeries = report.FindGate("no-series")!;
        Assert.Equal(GateStatus.Skipped, noSeries.Status);
        Assert.Contains("http_route=\"/never/called\"", noSeries.Summary, StringComparison.Ordinal);
        Assert.NotEqual(ReleaseDecision.Go, report.Decision);
    }

    [Fact]
    public async Task Many_series_where_one_value_was_expected_is_an_error_naming_them()
    {
        prometheus.RequireServer();
        var report = await ReleaseGate.CreateBuilder()
            .AddMetric("per-instance", o => { o.Source = MetricSource.FromPrometheus(prometheus.Connection(), """up{job="shop"}"""); o.Conditions.Add("value >= 1"); })
            .EvaluateAsync(Ct);

        var gate = report.FindGate("per-instance")!;
        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.Contains("gave 2 series", gate.Summary, StringComparison.Ordinal);
        Assert.Contains(prometheus.Instances[0].BaseAddress.Authority, gate.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejected_query_is_an_error_with_the_servers_message()
    {
        prometheus.RequireServer();
        var report = await ReleaseGate.CreateBuilder()
            .AddMetric("typo", o => { o.Source = MetricSource.FromPrometheus(prometheus.Connection(), "sum(rate(up[1m])"); o.Conditions.Add("value >= 1"); })
            .EvaluateAsync(Ct);

        var gate = report.FindGate("typo")!;
        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.Contains("bad_data", gate.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_watch_goes_from_go_to_no_go_when_the_app_starts_failing_mid_rollout()
    {
        prometheus.RequireServer();
        var failing = false;
        using var traffic = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var clients = prometheus.Instances.Select(i => i.CreateClient()).ToArray();
        var load = Task.Run(async () =>
        {
            // A steady 50 requests a second across both instances, all loopback, until the test ends (at most 90 s).
            for (var n = 0; n < 4500 && !traffic.IsCancellationRequested; n++)
            {
                using var response = await clients[n % 2].GetAsync($"watched/{(Volatile.Read(ref failing) ? "true" : "false")}", traffic.Token);
                await Task.Delay(20, traffic.Token);
            }
        }, traffic.Token);
        await prometheus.WaitForAtLeastAsync($$"""sum({{Count}}{job="shop", http_route="/watched/{fail:bool}"})""", 20);

        var successes = 0;
        var flipped = DateTimeOffset.MaxValue;
        var evaluator = ReleaseGate.CreateBuilder()
            .AddErrorRate("canary-errors", o =>
            {
                o.Source = RequestMetricsSource.FromPrometheus(Requests("/watched/{fail:bool}", TimeSpan.FromSeconds(5)));
                o.MaximumRate = 0.10;                       // seed 001: error rate > 10 % rolls back
                o.MinimumRequests = 5;
            })
            .Build();
        var options = new WatchOptions
        {
            Interval = TimeSpan.FromSeconds(1),
            Count = 60,
            FailureLimit = null,
            ConsecutiveFailureLimit = 2,
            InconclusiveLimit = null,
            RoundCompleted = new Rounds(r =>
            {
                // After three healthy rounds the new version starts failing every request.
                if (r.Outcome == WatchRoundOutcome.Successful && ++successes == 3)
                {
                    flipped = DateTimeOffset.UtcNow;
                    Volatile.Write(ref failing, true);
                }
            }),
        };

        ReleaseReport report;
        try
        {
            report = await evaluator.WatchAsync(options, Ct);
        }
        finally
        {
            await traffic.CancelAsync();
            try
            {
                // The load stops either by the cancelled token or at its loop check, whichever it reaches first.
                await load;
            }
            catch (OperationCanceledException)
            {
            }

            Assert.True(load.IsCompleted);
            Array.ForEach(clients, c => c.Dispose());
        }

        var watch = report.Watch!;
        Assert.Equal(ReleaseDecision.NoGo, report.Decision);
        Assert.True(watch.StoppedEarly, watch.Reason);
        Assert.Contains("consecutive failure limit 2", watch.Reason, StringComparison.Ordinal);
        var firstFailure = watch.Rounds.First(r => r.Outcome == WatchRoundOutcome.Failed);
        Assert.True(firstFailure.StartedAt >= flipped, "no round failed before the app did");
        Assert.True(watch.Rounds.Where(r => r.StartedAt < flipped).All(r => r.Outcome != WatchRoundOutcome.Failed));
        var decidedAt = watch.Rounds[^1].StartedAt + watch.Rounds[^1].Duration;
        Assert.True(decidedAt - flipped < TimeSpan.FromSeconds(20), $"NO-GO {decidedAt - flipped} after the app began failing");
        Assert.Equal(WatchRoundOutcome.Failed, watch.Rounds[^2].Outcome);
    }

    private sealed class Rounds(Action<WatchRound> told) : IProgress<WatchRound>
    {
        public void Report(WatchRound value) => told(value);
    }

    [Fact]
    public async Task Credentials_reach_the_server_but_no_report_and_an_unreachable_server_is_an_error_in_time()
    {
        prometheus.RequireServer();
        const string token = "rg-bearer-4f9c2e7a1d";
        var authenticated = prometheus.Connection();
        authenticated.BearerToken = token;
        var down = new PrometheusConnection { BaseAddress = new Uri($"http://127.0.0.1:{Ports.Free()}/"), Username = "ops", Password = "rg-basic-77b1e0", AttemptTimeout = TimeSpan.FromSeconds(2), MaximumRetries = 1, RetryDelay = TimeSpan.FromMilliseconds(50) };
        var started = System.Diagnostics.Stopwatch.StartNew();

        var report = await ReleaseGate.CreateBuilder()
            .AddMetric("up", o => { o.Source = MetricSource.FromPrometheus(authenticated, """sum(up{job="shop"})"""); o.Conditions.Add("value >= 2"); })
            .AddMetric("down", o => { o.Source = MetricSource.FromPrometheus(down, "sum(up)"); o.Conditions.Add("value >= 1"); })
            .EvaluateAsync(Ct);

        Assert.Equal(GateStatus.Passed, report.FindGate("up")!.Status);
        var gate = report.FindGate("down")!;
        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.Contains("could not be reached", gate.Summary, StringComparison.Ordinal);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), started.Elapsed.ToString());
        var everything = report.ToJson() + report.ToMarkdown() + report.ToJUnitXml() + report.ToText() + report.ToSarif();
        Assert.DoesNotContain(token, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("rg-basic-77b1e0", everything, StringComparison.Ordinal);
    }
}
