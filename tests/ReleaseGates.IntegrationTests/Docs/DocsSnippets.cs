using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReleaseGates.IntegrationTests.Gates.MigrationIntegrity.EfCore;
using ReleaseGates.Metrics;

#pragma warning disable CA1822, CA1861, IDE0059, IDE0060, CS0219 // snippets show calls; their results are not used here

namespace ReleaseGates.IntegrationTests.Docs;

/// <summary>A queue the custom-gate example reads (docs/custom-gates.md).</summary>
public interface IQueueClient
{
    Task<long> GetDepthAsync(CancellationToken cancellationToken);
}

// docs/custom-gates.md, block 1
public sealed class QueueDepthGate(IQueueClient queue) : IReleaseGate
{
    private static readonly GateCondition MaximumDepth = GateCondition.Parse("depth < 1000 warn 100");

    public async ValueTask<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        long depth;
        try
        {
            depth = await queue.GetDepthAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            return GateResult.Error($"Could not read the queue depth: {ex.Message}", ex);   // could not look: Error, not Failed
        }

        var measurement = Measurement.Evaluate("depth", depth, MetricUnit.Count, MaximumDepth);
        return GateResult.FromEvidence($"{depth} messages waiting", [measurement]);
    }
}

/// <summary>
/// Every other ```csharp block of docs/ verbatim (the gate pages' first examples are in <see cref="GateDocsExamples"/>), so
/// that the docs compile; <see cref="GateDocsExamplesTests"/> checks that each block still stands here unchanged. These
/// methods are compiled, not run.
/// </summary>
public static class DocsSnippets
{
    // docs/waivers.md: builds and evaluates nothing when called with evaluate: false (the URL is not this machine's)
    public static async Task<ReleaseReport?> Waivers(bool evaluate)
    {
        if (!evaluate)
        {
            return null;
        }

        var report = await ReleaseGate.CreateBuilder()
            .AddSecurityHeaders("headers", o => o.Url = new Uri("https://staging.example.com/"))
            .AddWaiver(new Waiver
            {
                Id = "SEC-142",                             // the ticket that records the decision
                Gate = "headers",
                Finding = "csp.missing",                    // a finding code, or Measurement = "p(95)"
                Reason = "The CSP ships with the front-end rewrite in 2.4.",
                ApprovedBy = "security@example.com",
                Expires = new DateOnly(2027, 3, 31),        // the last day (UTC) it holds
                Link = new Uri("https://tracker.example.com/SEC-142"),
            })
            .EvaluateAsync();
        return report;
    }

    // docs/gates/canary.md: any metric, Kayenta's way (compiled, not run)
    public static void CanaryMetrics(IReleaseGatesBuilder gates)
    {
        gates.AddCanary("checkout-canary", o =>
        {
            o.MetricSeries = CanaryMetricSeries.FromPrometheus(
                new PrometheusConnection { BaseAddress = new Uri("http://prometheus:9090") },
                baselineScope: "version=\"1.4.0\"",
                canaryScope: "version=\"1.5.0\"",
                lookback: TimeSpan.FromMinutes(10),
                step: TimeSpan.FromSeconds(10));
            o.Metrics.Add(new CanaryMetric
            {
                Name = "cpu",
                Query = "sum(rate(process_cpu_seconds_total{job=\"checkout\", $scope}[1m]))",
                Direction = CanaryDirection.Increase,   // only a rise is a regression
                AllowedIncrease = 0.20,                 // 20 % more CPU is acceptable ...
                CriticalIncrease = 1.0,                 // ... twice as much fails the canary whatever the score
            });
            o.Metrics.Add(new CanaryMetric
            {
                Name = "errors",
                Query = "sum(rate(http_server_request_duration_seconds_count{job=\"checkout\", http_response_status_code=~\"5..\", $scope}[1m]))",
                Direction = CanaryDirection.Increase,
                Critical = true,                        // any certain rise fails the canary
                MustHaveData = true,
                Weight = 2,
            });
            o.PassScore = 95;
            o.MarginalScore = 75;
        });
    }

    // docs/gates/slo.md: any counters in Prometheus, time slices and an OpenSLO file (compiled, not run)
    public static void SloSources(IReleaseGatesBuilder gates)
    {
        var events = new PrometheusEventsOptions
        {
            Connection = { BaseAddress = new Uri("http://prometheus:9090") },
            Total = """http_requests_total{job="checkout"}""",
            Bad = """http_requests_total{job="checkout", code=~"5.."}""",
            Step = TimeSpan.FromMinutes(1),
            Lookback = TimeSpan.FromDays(28),
        };

        gates.AddSlo("search-slo", o =>
        {
            o.Source = RequestMetricsSource.FromPrometheusEvents(events);
            o.Objective = 0.995;
            o.BudgetingMethod = SloBudgetingMethod.Timeslices;
            o.TimesliceWindow = TimeSpan.FromMinutes(1);
            o.TimesliceTarget = 0.95;                 // a minute is good when 95 % of its searches succeed
        });

        gates.AddSlo("checkout-recorded", o =>
        {
            o.RecordedRatios = new SloRecordedRatios
            {
                Connection = { BaseAddress = new Uri("http://prometheus:9090") },
                Selector = "sloth_id=\"checkout-availability\"",
                // MetricPattern = "slo:sli_error:ratio_rate{window}",   // Sloth's names, the default
            };
            o.Objective = 0.999;
            o.Window = TimeSpan.FromDays(30);        // reads slo:sli_error:ratio_rate30d
            o.MinimumBudgetRemaining = 0.10;
        });

        gates.AddOpenSlo("checkout-availability", o =>
        {
            o.File = "slo/checkout.yaml";
            o.MinimumBudgetRemaining = 0.10;
            o.Prometheus = new PrometheusConnection { BearerToken = Environment.GetEnvironmentVariable("PROMETHEUS_TOKEN") };
        });
    }

    // docs/rollouts.md
    public static async Task<int> CanaryWatch()
    {
        var prometheus = new PrometheusConnection { BaseAddress = new Uri("http://prometheus:9090") };
        var canary = new PrometheusRequestMetricsOptions { Connection = prometheus, Window = TimeSpan.FromMinutes(1) };
        canary.Labels["job"] = "checkout";
        canary.Labels["version"] = "2.5.0";
        var requests = RequestMetricsSource.FromPrometheus(canary);

        var evaluator = ReleaseGate.CreateBuilder()
            .AddErrorRate("canary-errors", o => { o.Source = requests; o.MaximumRate = 0.05; o.MinimumRequests = 50; })   // seed 004
            .AddLatency("canary-latency", o => { o.Source = requests; o.Conditions.Add("p(95) < 3s"); })                   // seed 001
            .AddMetric("canary-availability", o =>
            {
                o.Source = MetricSource.FromPrometheus(prometheus, """avg(avg_over_time(up{job="checkout", version="2.5.0"}[10m]))""");
                o.Unit = MetricUnit.Ratio;
                o.Conditions.Add("value >= 95%");                                                                           // seed 001
            })
            .Build();

        var report = await evaluator.WatchAsync(new WatchOptions
        {
            InitialDelay = TimeSpan.FromMinutes(1),   // let the canary warm up and be scraped
            Interval = TimeSpan.FromMinutes(1),
            Duration = TimeSpan.FromMinutes(30),
            FailureLimit = null,                      // no total limit ...
            ConsecutiveFailureLimit = 3,              // ... but 3 failed minutes in a row roll back
            ConsecutiveErrorLimit = 4,                // Prometheus unreachable for 4 rounds: roll back, do not guess
            InconclusiveLimit = 5,                    // too little traffic in 6 rounds: roll back
        });

        Console.WriteLine(report.ToText());           // the last round's gates, every round, and why it stopped
        return report.GetExitCode();                  // 0 promote, 1 roll back
    }

    // docs/rollouts.md, "Gating a fleet": run against a real Prometheus and three instances by
    // FleetPrometheusTests.The_rollout_guide_fleet_gates_trip_when_one_instance_fails_for_longer_than_the_window.
    public static ReleaseGatesBuilder FleetGates(PrometheusConnection prometheus, TimeSpan step)
    {
        // Every instance serves app.MapReleaseGatesHistograms(); Prometheus scrapes them all as the job "checkout".
        var fleet = new FleetRequestMetricsOptions { Prometheus = prometheus, PrometheusJob = "checkout", Method = "GET", Route = "/api/orders" };

        // The same requests per step, from range queries over every instance (a step of 1 minute in production).
        var requests = new PrometheusRequestMetricsOptions { Connection = prometheus, Step = step, Lookback = step * 60 };
        requests.Labels["job"] = "checkout";
        requests.Labels["http_route"] = "/api/orders";

        return ReleaseGate.CreateBuilder()
            .AddLatency("fleet-p99", o =>
            {
                o.Source = RequestMetricsSource.FromFleet(fleet);          // every instance's exact histogram, merged
                o.Conditions.Add("p(99) < 500ms");
            })
            .AddErrorRate("fleet-errors", o =>
            {
                o.Source = RequestMetricsSource.FromPrometheus(requests);
                o.SustainedAbove = 0.10;                                     // "error rate > 10 % for 3 min" (seed 001)
                o.SustainedFor = step * 3;
                o.MinimumRequestsPerInterval = 5;                            // a quiet step proves nothing either way
                o.BurnRate = new BurnRateCondition { Slo = 0.999, LongWindow = step * 60, ShortWindow = step * 5, Threshold = 14.4 };
            })
            .AddSlo("fleet-error-budget", o =>
            {
                o.Source = RequestMetricsSource.FromPrometheus(requests);
                o.Objective = 0.999;                                         // the same 99.9 %, as a budget to spend
                o.Window = step * 60;                                        // what the range queries keep
                o.MinimumBudgetRemaining = 0.10;                             // promote only with a tenth of it left
                o.BurnRates.Clear();
                o.BurnRates.Add(new SloBurnRateRule { LongWindow = step * 12, ShortWindow = step, Threshold = 14.4 });
            });
    }

    // docs/metrics.md, "Fleet": an instance serves its histograms.
    public static void FleetInstance(WebApplicationBuilder builder)
    {
        builder.Services.AddReleaseGatesHttpMetrics(o => o.InstanceName = Environment.GetEnvironmentVariable("HOSTNAME"));
        var app = builder.Build();
        app.MapReleaseGatesHistograms().RequireAuthorization("fleet-metrics");   // opt-in, behind the host's own policy
    }

    // docs/metrics.md, "Fleet": the gate reads every instance.
    public static void FleetSource(IReleaseGatesBuilder gates)
    {
        var fleet = new FleetRequestMetricsOptions
        {
            Prometheus = new PrometheusConnection { BaseAddress = new Uri("http://prometheus:9090") },
            PrometheusJob = "checkout",
            Method = "GET",
            Route = "/api/orders/{id}",
            Lookback = TimeSpan.FromMinutes(10),         // per-interval windows, for sustained conditions and burn rates
        };
        fleet.Headers["Authorization"] = "Bearer " + Environment.GetEnvironmentVariable("FLEET_TOKEN");
        gates.AddLatency("fleet-latency", o => { o.Source = RequestMetricsSource.FromFleet(fleet); o.Conditions.Add("p(99) < 300ms"); });
    }

    // docs/gates/canary.md: error rates, canary and stable as label filters on the same Prometheus metric.
    public static void CanaryErrorRates(IServiceCollection services)
    {
        static PrometheusRequestMetricsOptions Track(string track) => new()
        {
            Connection = { BaseAddress = new Uri("http://prometheus:9090") },
            Labels = { ["service_name"] = "orders", ["track"] = track },   // canary and stable: label filters on the same metric
        };

        services.AddReleaseGates(gates => gates
            .AddCanary("orders-canary-errors", o =>
            {
                o.Baseline = RequestMetricsSource.FromPrometheus(Track("stable"));
                o.Canary = RequestMetricsSource.FromPrometheus(Track("canary"));
                o.MaximumErrorRateIncrease = 0.001;   // more than 0.1 percentage points above the baseline is a NO-GO
            }));
    }

    // docs/rollouts.md: a watch cancelled by the host still yields the rounds it completed.
    public static async Task<ReleaseReport> CancelledWatch(IReleaseGateEvaluator evaluator, CancellationToken stopping)
    {
        ReleaseReport report;
        try
        {
            report = await evaluator.WatchAsync(new WatchOptions { Interval = TimeSpan.FromMinutes(1), Duration = TimeSpan.FromMinutes(30) }, stopping);
        }
        catch (ReleaseWatchCanceledException cancelled) when (cancelled.Report is { } partial)
        {
            await partial.WriteToDirectoryAsync("canary-report", CancellationToken.None); // the rounds so far, NO-GO (the token is cancelled)
            throw;
        }

        return report;
    }


    // docs/history.md
    public static async Task History(IReleaseGateEvaluator evaluator)
    {
        var history = new SqliteReleaseHistory(".releasegates/history.db");
        var request = new EvaluationRequest
        {
            History = new EvaluationHistory(history)
            {
                Baseline = BaselineRule.Parse("median of 5 same branch"),
                RunnerLabel = Environment.GetEnvironmentVariable("RUNNER_LABEL"),
            },
        };
        var report = await evaluator.EvaluateAsync(request);
        Console.WriteLine(report.History?.RecordedId);
    }

    public static async Task ConfigurationFile()
    {
        var report = await ReleaseGate.CreateBuilder()
            .AddFromJsonFile("releasegates.json")
            .EvaluateAsync();
    }

    public static void Conditions()
    {
        var p95 = GateCondition.Parse("p(95) < 300ms warn 200ms");
        var same = GateCondition.LessThan("p(95)", 300, MetricUnit.Milliseconds).WithWarning(200, MetricUnit.Milliseconds);
        // p95 == same, and p95.ToString() == "p(95) < 300ms warn 200ms"

        ConditionOutcome outcome = p95.Evaluate(value: 0.25, MetricUnit.Seconds);   // Warning: 250 ms is not < 200 ms
    }

    public static void CustomGateRegistration(IServiceCollection services)
    {
        services.AddReleaseGates(gates => gates
            .AddGate("orders-queue", sp => new QueueDepthGate(sp.GetRequiredService<IQueueClient>()),
                o => { o.Category = GateCategories.Operations; o.Importance = GateImportance.Recommended; }));
    }

    public static async Task CustomGateInline(FeatureFlags flags)
    {
        var report = await ReleaseGate.CreateBuilder()
            .AddGate("feature-flags", (context, ct) =>
                ValueTask.FromResult(flags.AllKnown ? GateResult.Passed("all flags known") : GateResult.Failed("unknown flags")))
            .EvaluateAsync();
    }

    public static async Task<int> HostWithDependencyInjection(WebApplicationBuilder builder, CancellationToken ct)
    {
        builder.Services.AddReleaseGates(gates => gates
            .Configure(o =>
            {
                o.Subject = new ReleaseSubject { Service = "checkout", Version = "2.4.0" };
                o.Scoring.PassScore = 90;
            })
            .AddGate("orders-queue", sp => new QueueDepthGate(sp.GetRequiredService<IQueueClient>()),
                o => o.Category = GateCategories.Operations));
        var app = builder.Build();

        // later, for example in a deploy job or an admin endpoint
        var report = await app.Services.GetRequiredService<IReleaseGateEvaluator>().EvaluateAsync(cancellationToken: ct);
        return report.GetExitCode();
    }

    public static async Task Reports(ReleaseReport report)
    {
        // Every report file (docs/reports.md), in a folder created if it does not exist: report.html (people),
        // report.json (machines), report.md (the CI job summary), junit.xml, report.sarif (code scanning),
        // report.comment.md (a pull-request comment) and gl-code-quality-report.json (GitLab merge requests)
        await report.WriteToDirectoryAsync("release-report");
        Console.WriteLine(report.ToText());                                     // consoles
    }

    // docs/reports.md
    public static async Task ReportFiles(ReleaseReport report)
    {
        await report.WriteToDirectoryAsync("release-report", new ReportFileOptions
        {
            SourceFile = "ci/releasegates.json",                             // SARIF and GitLab place file-less results here
            FullReportUrl = new Uri("https://ci.example/runs/1842"),         // report.comment.md links to it
        });
        await File.WriteAllTextAsync("release.html", report.ToHtml());
    }

    public static void Histogram(long start, LatencyHistogram otherHistogram, LatencyHistogram fleet)
    {
        var histogram = new LatencyHistogram();                // 3 significant digits, 1 ns .. 1 h
        histogram.Record(TimeSpan.FromMilliseconds(12.5));
        histogram.RecordElapsed(start, Stopwatch.GetTimestamp());
        histogram.RecordMilliseconds(12.5);                     // as k6 / JMeter report them

        long p99 = histogram.ValueAtPercentile(99);             // ns
        var values = new long[3];
        histogram.ValuesAtPercentiles([50, 95, 99], values);    // one pass
        double mean = histogram.Mean;                           // exact, O(1); so are Count, Min, Max, Sum

        histogram.Add(otherHistogram);                          // merge (same precision and range)
        byte[] wire = histogram.ToByteArray();                  // compact and versioned (format 2)
        var back = LatencyHistogram.FromByteArray(wire);
        fleet.AddSerialized(wire);                              // merge without building it: no allocation
    }

    public static void Recorder(TimeSpan elapsed)
    {
        var recorder = new ConcurrentLatencyRecorder();
        recorder.Record(elapsed);                                  // from any thread
        LatencyHistogram total = recorder.GetCumulativeSnapshot(); // everything so far
        LatencyHistogram last = recorder.GetIntervalSnapshot();    // since the previous interval snapshot
    }

    public static void QuantilesOfSamples(double[] samples, double[] results, double[] buffer)
    {
        double p99 = Quantiles.Compute(samples, 0.99);                          // type 7 (linear), on a copy
        Quantiles.Compute(samples, [0.5, 0.95, 0.99], results, QuantileMethod.NearestRank);
        Quantiles.ComputeInPlace(buffer, [0.99], results);                      // reorders buffer, no copy
    }

    public static void Windows(TimeProvider timeProvider, HttpResponseMessage response, DateTimeOffset sampleTimestamp, bool isError, TimeSpan latency)
    {
        var windows = new RequestWindows(TimeSpan.FromMinutes(1), intervalCount: 60, timeProvider);
        windows.Record(isError: (int)response.StatusCode >= 500);
        windows.RecordAt(sampleTimestamp, isError, latency);           // imported samples

        WindowTotals last5 = windows.GetTotals(TimeSpan.FromMinutes(5));
        SustainedResult s = windows.CheckErrorRateSustainedAbove(0.10, TimeSpan.FromMinutes(3));
        BurnRateResult b = windows.GetBurnRate(slo: 0.999, TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), threshold: 14.4);
    }

    public static void HttpMetrics()
    {
        using var collector = new HttpMetricsCollector(new HttpMetricsCollectorOptions { CaptureClient = true });
        // ... traffic ...
        HttpEndpointStatistics all = collector.GetTotal(HttpMetricSource.Server);
        HttpEndpointStatistics? checkout = collector.GetEndpoint(new(HttpMetricSource.Server, "POST", "/api/checkout"));
        LatencyHistogram latency = checkout!.LatencyRecorder.GetCumulativeSnapshot();
    }

    public static void ReadinessCheck(IServiceCollection services, WebApplication app)
    {
        services.AddHealthChecks().AddReleaseGates(reevaluateInterval: TimeSpan.FromMinutes(5), tags: ["ready"]);
        app.MapHealthChecks("/ready", new HealthCheckOptions { Predicate = r => r.Tags.Contains("ready") });
    }

    // docs/gates/smoke-tests.md, flows
    public static ReleaseGatesBuilder SmokeFlow()
    {
        var gates = ReleaseGate.CreateBuilder().AddSmokeTests("checkout-flow", o =>
        {
            o.BaseAddress = new Uri("https://staging.example.com/");
            o.Requests.Add(SmokeRequest.Send(HttpMethod.Post, "api/login", """{"user":"smoke"}""")
                .Named("login").WithHeader("X-Api-Key", Environment.GetEnvironmentVariable("SMOKE_API_KEY") ?? "")
                .Capture("token", "$.access_token"));
            o.Requests.Add(SmokeRequest.Send(HttpMethod.Post, "api/orders", """{"sku":"A-1","qty":1}""")
                .Named("create order").WithHeader("Authorization", "Bearer {{token}}").ExpectStatus(201).Capture("order", "$.id"));
            o.Requests.Add(SmokeRequest.Get("api/orders/{{order}}")
                .Named("read order").WithHeader("Authorization", "Bearer {{token}}")
                .ExpectJson("$.state", "open").ExpectJsonExists("$.total", "number"));
        });
        return gates;
    }

    public static void LoadProbe(ReleaseGatesBuilder gates)
    {
        var probe = new HttpLoadProbeOptions { Concurrency = 8, Requests = 2000, Duration = TimeSpan.FromSeconds(30), WarmupRequests = 20 };
        probe.Targets.Add(new Uri("http://127.0.0.1:5000/api/orders/1"));
        gates.AddLatency("orders", o => { o.Source = RequestMetricsSource.FromLoadProbe(probe); o.Conditions.Add("p(95) < 300ms"); o.Conditions.Add("rps > 100"); });
    }

    public static void OpenModelLoadProbe(ReleaseGatesBuilder gates)
    {
        var probe = new HttpLoadProbeOptions
        {
            RequestsPerSecond = 200, RampUp = TimeSpan.FromSeconds(5), Duration = TimeSpan.FromSeconds(30),
            Concurrency = 128, // at least the rate × the slowest response you want measured: 200/s × 0.5 s = 100
        };
        probe.Targets.Add(new Uri("http://127.0.0.1:5000/api/orders/1"));
        gates.AddLatency("orders", o => { o.Source = RequestMetricsSource.FromLoadProbe(probe); o.Conditions.Add("p(99) < 300ms"); });
    }

    public static void EfCoreExpectedMigrations(ReleaseGatesBuilder gates, DbContextOptions<ShopContext> dbOptions)
    {
        using var db = new ShopContext(dbOptions);                      // your DbContext
        gates.AddMigrationIntegrity("db", o =>
        {
            o.ConnectionFactory = () => new SqliteConnection("Data Source=app.db");
            o.Journal = MigrationJournal.EfCore;
            o.ExpectedMigrations = db.Database.GetMigrations().ToList();   // or MigrationsDirectory = "Migrations"
        });
    }

    public static async Task Manifest(ReleaseGatesBuilder gates)
    {
        // when you release, after the migrations ran:
        await MigrationManifest.WriteAsync("Migrations", MigrationJournal.EfCore, "release/migrations.manifest.json");

        // later, in the gate:
        gates.AddMigrationIntegrity("db", o =>
        {
            o.ConnectionFactory = () => new SqliteConnection("Data Source=app.db");
            o.Journal = MigrationJournal.EfCore;
            o.MigrationsDirectory = "Migrations";
            o.ManifestPath = "release/migrations.manifest.json";
        });
    }


    /// <summary>The flags the inline custom-gate example checks.</summary>
    public sealed record FeatureFlags(bool AllKnown);
}

/// <summary>docs/getting-started.md's test-project example, as a real test.</summary>
public sealed class GettingStartedExampleTests
{
    [Fact]
    public async Task Release_is_ready()
    {
        var report = await ReleaseGate.CreateBuilder()
            .AddGate("smoke", (context, ct) => ValueTask.FromResult(GateResult.Passed("ok")))
            .EvaluateAsync(TestContext.Current.CancellationToken);

        report.EnsureGo();   // throws ReleaseNotReadyException with a table of what fell short
    }
}
