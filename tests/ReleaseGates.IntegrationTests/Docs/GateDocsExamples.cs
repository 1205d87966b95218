using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using ReleaseGates.Metrics;

namespace ReleaseGates.IntegrationTests.Docs;

/// <summary>
/// The copy-paste example of every page in docs/gates, verbatim, so that it compiles; <see cref="GateDocsExamplesTests"/>
/// checks that each page still shows exactly this code and that its options pass registration.
/// </summary>
public static class GateDocsExamples
{
    // docs/gates/coverage.md
    public static void Coverage()
    {
        var services = new ServiceCollection();
        services.AddReleaseGates(gates => gates
            .AddCoverage("unit-tests", o =>
            {
                o.Files.Add("TestResults/**/coverage.cobertura.xml");
                o.MinimumLineRate = 0.85;              // "≥ 85 %"
                o.WarningLineRate = 0.90;              // warn between 85 % and 90 %
                o.MinimumBranchRate = 0.70;
                o.ExcludeModules.Add("*.Tests");
                o.Conditions.Add("line >= -0.005");    // at most half a point below the baseline release
                o.Diff = new DiffCoverageOptions { GitBase = "origin/main", MinimumLineRate = 0.80 };
            }));
        Build(services);
    }

    // docs/gates/metric.md
    public static void Metric()
    {
        var services = new ServiceCollection();
        var prometheus = new PrometheusConnection
        {
            BaseAddress = new Uri("http://prometheus:9090"),
            BearerToken = Environment.GetEnvironmentVariable("PROMETHEUS_TOKEN"),   // never shown in a report
        };
        var cacheHitRate = MetricSource.Share(
            MetricSource.FromInstrument("MyShop.Cache", "cache.hits"),
            MetricSource.FromInstrument("MyShop.Cache", "cache.misses"));
        services.AddReleaseGates(gates => gates
            .AddMetric("cache-hit-rate", o =>
            {
                o.Source = cacheHitRate;
                o.Unit = MetricUnit.Ratio;               // the value is 0 to 1
                o.Conditions.Add("value > 90%");         // seed 001
            })
            .AddMetric("availability", o =>
            {
                o.Source = MetricSource.FromPrometheus(prometheus, """avg(avg_over_time(up{job="checkout"}[10m]))""");
                o.Unit = MetricUnit.Ratio;
                o.Conditions.Add("value >= 95%");        // seed 001: availability over the last 10 minutes
                o.NoDataStatus = GateStatus.Failed;      // no series is not a pass
            }));
        Build(services);
    }

    // docs/prometheus.md
    public static void Prometheus()
    {
        var services = new ServiceCollection();
        services.AddReleaseGates(gates =>
        {
            var prometheus = new PrometheusConnection { BaseAddress = new Uri("http://prometheus:9090") };
            var canary = new PrometheusRequestMetricsOptions { Connection = prometheus, Window = TimeSpan.FromMinutes(5) };
            canary.Labels["job"] = "checkout";
            canary.Labels["version"] = "2.4.0";
            canary.Selector = "http_route!=\"/health\"";
            var requests = RequestMetricsSource.FromPrometheus(canary);
            gates
                .AddLatency("canary-latency", o => { o.Source = requests; o.Conditions.Add("p(95) < 300ms"); o.Conditions.Add("p(99) < 1s"); })
                .AddErrorRate("canary-errors", o => { o.Source = requests; o.MaximumRate = 0.05; o.MinimumRequests = 100; });   // seed 004: errors ≥ 5 % rolls back
        });
        Build(services);
    }

    // docs/gates/error-rate.md
    public static void ErrorRate()
    {
        var services = new ServiceCollection();
        using var collector = new HttpMetricsCollector();
        services.AddReleaseGates(gates => gates
            .AddErrorRate("checkout-errors", o =>
            {
                o.Source = RequestMetricsSource.FromHttpMetrics(collector);   // 5xx and connection errors by default
                o.MaximumRate = 0.01;                 // fail above 1 %
                o.WarningRate = 0.001;                // warn above 0.1 %
                o.SustainedAbove = 0.10;          // fail when above 10 % in every interval ...
                o.SustainedFor = TimeSpan.FromMinutes(3);   // ... of the last 3 minutes
                o.BurnRate = new BurnRateCondition { Slo = 0.999 };   // 1 h and 5 min at 14.4×
                o.MinimumRequests = 50;
            }));
        Build(services);
    }

    // docs/gates/slo.md
    public static void Slo()
    {
        var services = new ServiceCollection();
        var prometheus = new PrometheusRequestMetricsOptions
        {
            Connection = { BaseAddress = new Uri("http://prometheus:9090") },
            Labels = { ["service_name"] = "checkout" },
            Step = TimeSpan.FromMinutes(5),          // per-step windows from range queries ...
            Lookback = TimeSpan.FromDays(28),        // ... as far back as the SLO's window
        };

        services.AddReleaseGates(gates => gates
            .AddSlo("checkout-slo", o =>
            {
                o.Source = RequestMetricsSource.FromPrometheus(prometheus);
                o.Objective = 0.999;                       // 99.9 % of requests succeed ...
                o.Window = TimeSpan.FromDays(28);          // ... over 28 days
                o.MinimumBudgetRemaining = 0.10;           // hold releases once 90 % of the budget is spent
                o.WarningBudgetRemaining = 0.25;           // and warn from 75 %
                // BurnRates: the workbook's 1h/5m at 14.4×, 6h/30m at 6× and 3d/6h at 1× unless you change them
            }));
        Build(services);
    }

    // docs/gates/health-checks.md
    public static void HealthChecks()
    {
        var services = new ServiceCollection();
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("db", tags: ["data"])
            .AddCheck<PaymentsHealthCheck>("payments", tags: ["external"]);

        services.AddReleaseGates(gates => gates
            .AddHealthChecks("dependencies", o => o.HealthCheckTags.Add("data")));
        Build(services);
    }

    // docs/gates/host-resources.md
    public static void HostResources()
    {
        var services = new ServiceCollection();
        var gates = ReleaseGate.CreateBuilder();
        gates.AddHostResources("host", o =>
        {
            o.MaximumCpuUtilization = 0.80;  o.WarningCpuUtilization = 0.70;
            o.MaximumMemoryUtilization = 0.80;
            o.MaximumDiskUtilization = 0.90; o.WarningDiskUtilization = 0.60;
            o.DiskPath = "/var/lib/app";
        });
        gates.Build();
        _ = services;
    }

    // docs/gates/latency.md
    public static void Latency()
    {
        var services = new ServiceCollection();
        using var collector = new HttpMetricsCollector();          // ASP.NET Core's own request metrics, no app change
        services.AddReleaseGates(gates => gates
            .AddLatency("checkout-latency", o =>
            {
                o.Source = RequestMetricsSource.FromHttpMetrics(collector, new HttpEndpoint(HttpMetricSource.Server, "POST", "/api/checkout"));
                o.Percentile(95).Below(TimeSpan.FromMilliseconds(300), warning: TimeSpan.FromMilliseconds(200));
                o.Conditions.Add("p(99) < 1s");
                o.Conditions.Add("p(95) <= +10% floor 50ms");       // against the baseline release
                o.MinimumSamples = 100;
            }));
        Build(services);
    }

    // docs/gates/migrations.md
    public static void Migrations()
    {
        var services = new ServiceCollection();
        var connectionString = "Host=127.0.0.1;Database=app;Username=app;Password=secret";
        services.AddReleaseGates(gates => gates
            .AddMigrationIntegrity("db", o =>
            {
                o.ConnectionFactory = () => new NpgsqlConnection(connectionString);   // any DbConnection
                o.Journal = MigrationJournal.Flyway;
                o.MigrationsDirectory = "db/migration";                              // V1__init.sql, R__views.sql, ...
                o.Schema.MinimumTableCount = 55;
                o.Schema.RequireTables("users", "templates")
                    .RequireColumn("users", "login_id", "text", nullable: false)
                    .RequireIndex("users", ["login_id"], unique: true);
                o.Invariants.Add(DataInvariant.NoRows("unique-login",
                    "SELECT login_id, COUNT(*) FROM users GROUP BY login_id HAVING COUNT(*) > 1"));
                o.Invariants.Add(DataInvariant.NoRows("emails-well-formed",
                    "SELECT id, email FROM users WHERE email NOT LIKE '%_@_%._%'"));
                o.Invariants.Add(DataInvariant.Scalar("weights-sum-to-one",
                    "SELECT SUM(weight) FROM templates", "sum between 0.999 and 1.001"));
            }));
        Build(services);
    }

    // docs/gates/security-headers.md
    public static void SecurityHeaders()
    {
        var services = new ServiceCollection();
        services.AddReleaseGates(gates => gates
            .AddSecurityHeaders("web", o =>
            {
                o.Url = new Uri("https://staging.example.com/");
                o.MinimumGrade = "B";                 // fails below B (score 70)
                o.WarningGrade = "A";                 // warns below A (score 90)
                o.Profile = SecurityHeadersProfile.Owasp;
                o.ForbiddenHeaders.Add("X-Powered-By");
                o.RequiredHeaderValues["Cache-Control"] = "no-store";
            }));
        Build(services);
    }

    // docs/gates/smoke-tests.md
    public static void SmokeTests()
    {
        var services = new ServiceCollection();
        var token = "test-token";
        services.AddReleaseGates(gates => gates
            .AddSmokeTests("smoke", o =>
            {
                o.BaseAddress = new Uri("https://staging.example.com/");
                o.Requests.Add(SmokeRequest.Get("api/health")
                    .ExpectStatus(200).ExpectContentType("application/json")
                    .ExpectJson("$.status", "Healthy"));
                o.Requests.Add(SmokeRequest.Get("api/download/7")          // once returned 404
                    .ExpectStatus(200).ExpectContentType("application/json")
                    .ExpectLatencyBelow(TimeSpan.FromMilliseconds(500)));
                o.Requests.Add(SmokeRequest.Send(HttpMethod.Post, "api/orders", """{"sku":"A-1","qty":1}""")
                    .WithHeader("Authorization", "Bearer " + token)
                    .ExpectStatus(200, 201).ExpectJson("$.items[0].sku", "\"A-1\"").ExpectHeader("Location"));
            }));
        Build(services);
    }

    // docs/gates/canary.md
    public static void Canary()
    {
        var services = new ServiceCollection();
        var baseline = new HttpLoadProbeOptions { Concurrency = 4, Requests = 500 };
        baseline.Targets.Add(new Uri("http://orders-stable.internal:8080/api/orders/42"));
        var canary = new HttpLoadProbeOptions { Concurrency = 4, Requests = 500 };
        canary.Targets.Add(new Uri("http://orders-canary.internal:8080/api/orders/42"));

        services.AddReleaseGates(gates => gates
            .AddCanary("orders-canary", o =>
            {
                o.Baseline = RequestMetricsSource.FromLoadProbe(baseline);
                o.Canary = RequestMetricsSource.FromLoadProbe(canary);
                o.MaximumIncrease = TimeSpan.FromMilliseconds(20);   // slower by more than 20 ms is a NO-GO
                o.MaximumRelativeIncrease = 0.10;                    // or by more than 10 % of the baseline's median
            }));
        Build(services);
    }

    // docs/gates/checklist.md
    public static void Checklist()
    {
        var services = new ServiceCollection();
        services.AddReleaseGates(gates => gates
            .AddChecklist("readiness", o =>
            {
                o.Files.Add("docs/RELEASE_CHECKLIST.md");
                o.Groups["*Tier 1*"] = 1.00;          // must-have: every item
                o.Groups["*Tier 2*"] = 0.85;          // recommended
                o.Groups["*Tier 3*"] = 0.60;          // optional
                o.RequiredItems.Add("*rollback*");    // whatever its tier
                o.RequireSignOff = true;              // "- [x] Load test @alice 2026-11-30"
                o.MaximumSignOffAge = TimeSpan.FromDays(30);
            }));
        Build(services);
    }

    // docs/gates/tls.md
    public static void Tls()
    {
        var services = new ServiceCollection();
        services.AddReleaseGates(gates => gates
            .AddTls("tls", o =>
            {
                o.Endpoints.Add(new Uri("https://orders.example.com/"));
                o.Endpoints.Add(new Uri("https://api.example.com:8443/"));
                o.MinimumDaysUntilExpiry = 30;      // "days >= 30 warn 60"
                o.WarningDaysUntilExpiry = 60;
            }));
        Build(services);
    }

    // docs/gates/websocket.md
    public static void WebSocket()
    {
        var services = new ServiceCollection();
        services.AddReleaseGates(gates => gates
            .AddWebSocket("quotes-stream", o =>
            {
                o.Url = new Uri("wss://screener.example.com/ws/quotes");
                o.Headers["Authorization"] = "Bearer " + Environment.GetEnvironmentVariable("SCREENER_TOKEN");
                o.Message = """{"type":"subscribe","symbol":"BTC-USD"}""";
                o.ExpectedReply = "\"symbol\":\"BTC-USD\"";
                o.Connections = 10;                   // "10 concurrent"
                o.MessagesPerConnection = 5;
                o.HoldFor = TimeSpan.FromSeconds(30); // the connections stay up together
                o.Reconnect = true;                   // "reconnect works"
                o.Conditions.Add("connect-p95 < 100ms");
                o.Conditions.Add("round-trip-p95 < 100ms");
            }));
        Build(services);
    }

    // docs/gates/test-results.md
    public static void TestResults()
    {
        var services = new ServiceCollection();
        services.AddReleaseGates(gates => gates
            .AddTestResults("e2e", o =>
            {
                o.Files.Add("TestResults/**/*.trx");
                o.Files.Add("e2e/reports/junit-*.xml");
                o.MinimumExecuted = 10;               // "E2E ≥ 10 tests"
                o.MaximumFailed = 0;                  // "and all passing"
                o.Conditions.Add("skipped <= 2");
            }));
        Build(services);
    }

    private static void Build(ServiceCollection services)
    {
        using var provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<IReleaseGateEvaluator>();
    }

    private sealed class DatabaseHealthCheck : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) => Task.FromResult(HealthCheckResult.Healthy());
    }

    private sealed class PaymentsHealthCheck : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) => Task.FromResult(HealthCheckResult.Healthy());
    }
}
