using System.Text;
using ReleaseGates.Tests.Support;

namespace ReleaseGates.Tests.Configuration;

/// <summary>releasegates.json loaded in-process: the same gates as C#, every problem with its line and column.</summary>
public class JsonConfigurationTests
{
    private static ReleaseGatesConfigurationException Invalid(string json) =>
        Assert.Throws<ReleaseGatesConfigurationException>(() =>
            ReleaseGate.CreateBuilder().AddFromJson(new MemoryStream(Encoding.UTF8.GetBytes(json)), "releasegates.json", Fixtures.Root));

    private static string Summary(ReleaseReport report) => string.Join(
        "\n",
        report.Gates.Select(g => $"{g.Name} {g.Category} {g.Importance} {g.Status} {g.Score} {g.Summary} "
            + string.Join(";", g.Measurements.Select(m => $"{m.Name}={m.Value}{m.Unit} {m.Condition} {m.Status}"))
            + " | " + string.Join(";", g.Findings.Select(f => f.Message))))
        + $"\n{report.Decision} {report.Score} {report.Subject.Service} {report.Subject.Version} {report.Scoring.PassScore}";

    [Fact]
    public async Task A_gate_configured_in_json_gives_the_report_the_same_gate_configured_in_csharp_gives()
    {
        using var folder = Fixtures.CreateTempFolder();
        File.Copy(Fixtures.Coverage("sample-coverlet.cobertura.xml"), Path.Combine(folder.Path, "coverage.xml"));
        File.Copy(Fixtures.TestResults("dotnet-vstest.trx"), Path.Combine(folder.Path, "tests.trx"));
        var config = folder.Write("ci/releasegates.json", """
            {
              // Comments and trailing commas are allowed, as editors write them.
              "$schema": "../docs/releasegates.schema.json",
              "subject": { "service": "checkout", "version": "2.4.0" },
              "scoring": { "passScore": 85, "categoryWeights": { "quality": 2 } },
              "gates": {
                "unit-coverage": {
                  "type": "coverage",
                  "files": ["../coverage.xml"],
                  "minimumLineRate": "85%",
                  "warningLineRate": 0.9,
                  "conditions": ["branch >= 50%"],
                  "tags": ["fast"],
                  "timeout": "30s",
                },
                "unit-tests": { "type": "testResults", "files": ["../*.trx"], "maximumFailed": 0, "importance": "recommended" }
              }
            }
            """);

        var fromJson = await ReleaseGate.CreateBuilder().AddFromJsonFile(config).EvaluateAsync(TestContext.Current.CancellationToken);
        var fromCSharp = await ReleaseGate.CreateBuilder()
            .Configure(o =>
            {
                o.Subject = new ReleaseSubject { Service = "checkout", Version = "2.4.0" };
                o.Scoring.PassScore = 85;
                o.Scoring.CategoryWeights["quality"] = 2;
            })
            .AddCoverage("unit-coverage", o =>
            {
                o.Files.Add("../coverage.xml");
                o.BaseDirectory = Path.Combine(folder.Path, "ci");
                o.MinimumLineRate = 0.85;
                o.WarningLineRate = 0.9;
                o.Conditions.Add("branch >= 50%");
                o.Tags.Add("fast");
                o.Timeout = TimeSpan.FromSeconds(30);
            })
            .AddTestResults("unit-tests", o =>
            {
                o.Files.Add("../*.trx");
                o.BaseDirectory = Path.Combine(folder.Path, "ci");
                o.MaximumFailed = 0;
                o.Importance = GateImportance.Recommended;
            })
            .EvaluateAsync(TestContext.Current.CancellationToken);

        Assert.Equal(Summary(fromCSharp), Summary(fromJson));
        Assert.Equal(2, fromJson.Gates.Count);
        Assert.Equal(["fast"], fromJson.Gates.Single(g => g.Name == "unit-coverage").Tags);
    }

    [Fact]
    public async Task A_checklist_gate_configured_in_json_gives_the_report_the_same_gate_configured_in_csharp_gives()
    {
        using var folder = Fixtures.CreateTempFolder();
        File.Copy(Fixtures.Checklist("seed-003-readiness-report.md"), Path.Combine(folder.Path, "READINESS.md"));
        var config = folder.Write("releasegates.json", """
            {
              "gates": {
                "readiness": {
                  "type": "checklist",
                  "files": ["READINESS.md"],
                  "groups": { "*Tier 1*": 1, "*Tier 2*": "85%", "*Tier 3*": 0.6 },
                  "requiredItems": ["*CI/CD*"],
                  "requireEvidence": false,
                  "maximumSignOffAge": "30d",
                  "conditions": ["open <= 30"],
                  "maximumOpenListed": 5
                }
              }
            }
            """);

        var fromJson = await ReleaseGate.CreateBuilder().AddFromJsonFile(config).EvaluateAsync(TestContext.Current.CancellationToken);
        var fromCSharp = await ReleaseGate.CreateBuilder()
            .AddChecklist("readiness", o =>
            {
                o.Files.Add("READINESS.md");
                o.BaseDirectory = folder.Path;
                o.Groups["*Tier 1*"] = 1;
                o.Groups["*Tier 2*"] = 0.85;
                o.Groups["*Tier 3*"] = 0.6;
                o.RequiredItems.Add("*CI/CD*");
                o.MaximumSignOffAge = TimeSpan.FromDays(30);
                o.Conditions.Add("open <= 30");
                o.MaximumOpenListed = 5;
            })
            .EvaluateAsync(TestContext.Current.CancellationToken);

        Assert.Equal(Summary(fromCSharp), Summary(fromJson));
        Assert.Equal(ReleaseDecision.NoGo, fromJson.Decision);
        Assert.Equal(6, fromJson.Gates[0].Findings.Count(f => f.Code.StartsWith("checklist.", StringComparison.Ordinal)));
    }

    [Fact]
    public void Prometheus_sources_and_the_metric_gate_load_from_a_file_with_their_problems_placed()
    {
        var valid = ReleaseGate.CreateBuilder().AddFromJson(new MemoryStream(Encoding.UTF8.GetBytes("""
            {
              "gates": {
                "canary-latency": {
                  "type": "latency",
                  "conditions": ["p(95) < 300ms"],
                  "source": { "prometheus": { "connection": { "baseAddress": "http://127.0.0.1:9090" }, "labels": { "job": "checkout" }, "window": "00:05:00" } }
                },
                "availability": {
                  "type": "metric",
                  "unit": "ratio",
                  "conditions": ["value >= 95%"],
                  "noDataStatus": "failed",
                  "source": { "prometheus": { "baseAddress": "http://127.0.0.1:9090", "bearerToken": "t" }, "query": "avg(up)" }
                }
              }
            }
            """)), "releasegates.json", Fixtures.Root).Build();
        var ex = Invalid("""
            {
              "gates": {
                "no-server": { "type": "errorRate", "maximumRate": 0.01, "source": { "prometheus": { "labels": { "job": "x" } } } },
                "no-query": { "type": "metric", "conditions": ["value > 1"], "source": { "prometheus": { "baseAddress": "http://127.0.0.1:9090" } } }
              }
            }
            """);

        Assert.Equal(2, valid.Registrations.Count);
        Assert.Contains(ex.Problems, p => p.Contains("no-server", StringComparison.Ordinal) && p.Contains("BaseAddress must be an absolute http or https URL", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("releasegates.json:4:", StringComparison.Ordinal) && p.Contains("set either prometheus", StringComparison.Ordinal));
    }

    [Fact]
    public void A_fleet_source_and_prometheus_windows_load_from_a_file_with_their_problems_placed()
    {
        var valid = ReleaseGate.CreateBuilder().AddFromJson(new MemoryStream(Encoding.UTF8.GetBytes("""
            {
              "gates": {
                "fleet-latency": {
                  "type": "latency",
                  "conditions": ["p(99) < 300ms"],
                  "source": { "fleet": { "instances": ["http://127.0.0.1:5001/releasegates/histograms", "http://127.0.0.1:5002/releasegates/histograms"],
                                         "route": "/api/orders", "method": "GET", "minimumAnsweredShare": 0.5, "lookback": "10m" } }
                },
                "fleet-errors": {
                  "type": "errorRate",
                  "sustainedAbove": 0.1,
                  "sustainedFor": "3m",
                  "source": { "prometheus": { "connection": { "baseAddress": "http://127.0.0.1:9090" }, "labels": { "job": "checkout" }, "step": "1m", "lookback": "1h" } }
                }
              }
            }
            """)), "releasegates.json", Fixtures.Root).Build();
        var ex = Invalid("""
            {
              "gates": {
                "both": { "type": "latency", "conditions": ["p(99) < 1s"], "source": { "fleet": { "instances": ["http://a/"], "prometheusJob": "x" } } },
                "share": { "type": "latency", "conditions": ["p(99) < 1s"], "source": { "fleet": { "instances": ["http://a/"], "minimumAnsweredShare": 0 } } },
                "no-windows": { "type": "errorRate", "sustainedAbove": 0.1, "source": { "fleet": { "instances": ["http://a/"] } } },
                "step": { "type": "errorRate", "maximumRate": 0.1, "source": { "prometheus": { "connection": { "baseAddress": "http://p:9090" }, "step": "1m", "lookback": "90s" } } }
              }
            }
            """);

        Assert.Equal(2, valid.Registrations.Count);
        Assert.Contains(ex.Problems, p => p.Contains("both", StringComparison.Ordinal) && p.Contains("set either Instances or Prometheus and PrometheusJob", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("share", StringComparison.Ordinal) && p.Contains("MinimumAnsweredShare must be more than 0 and at most 1", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("no-windows", StringComparison.Ordinal) && p.Contains("need per-interval counts", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("step", StringComparison.Ordinal) && p.Contains("Lookback must be 2 to 10,000 whole steps", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_problem_is_listed_at_once_with_its_line_and_column()
    {
        var error = Invalid("""
            {
              "subject": { "service": "checkout", "colour": "blue" },
              "gates": {
                "cov": { "type": "coverage", "files": ["c.xml"], "minimumLineRate": "high", "format": "xml" },
                "lat": { "type": "latencies" },
                "tests": { "type": "testResults", "files": [], "maximumFailed": 1.5 },
                "nameless": { "files": ["x"] }
              }
            }
            """);

        Assert.Equal(
            [
                "releasegates.json:2:39: subject.colour: unknown property 'colour'; expected one of: branch, commit, environment, service, version.",
                "releasegates.json:5:22: gates.lat.type: unknown gate type 'latencies'; expected one of coverage, testResults, checklist, latency, errorRate, slo, securityHeaders, smokeTests, healthChecks, metric, canary, tls, webSocket, hostResources, migrationIntegrity, or the type of a gate package named in gatePackages (the tool) or given to AddFromJsonFile.",
                "releasegates.json:7:17: gates.nameless: a gate needs a \"type\": one of coverage, testResults, checklist, latency, errorRate, slo, securityHeaders, smokeTests, healthChecks, metric, canary, tls, webSocket, hostResources, migrationIntegrity.",
                "releasegates.json:4:73: gates.cov.minimumLineRate: expected a number (or a percentage such as \"85%\"), found 'high'.",
                "releasegates.json:4:91: gates.cov.format: 'xml' is not one of auto, cobertura, openCover, lcov, jaCoCo, dotCover.",
                "releasegates.json:6:69: gates.tests.maximumFailed: expected a whole number, found '1.5'.",
            ],
            error.Problems);
    }

    [Fact]
    public void The_gates_own_checks_are_placed_at_the_gate()
    {
        var error = Invalid("""
            { "gates": { "cov": { "type": "coverage", "files": [], "minimumLineRate": 1.5 } } }
            """);

        Assert.Contains("releasegates.json:1:21: gates.cov: Files must list at least one path or glob, and no empty ones.", error.Problems);
        Assert.Contains(error.Problems, p => p.StartsWith("releasegates.json:1:21: gates.cov: MinimumLineRate is a ratio from 0 to 1", StringComparison.Ordinal));
    }

    [Fact]
    public void Json_that_does_not_parse_names_the_line_and_column()
    {
        var error = Invalid("{\n  \"gates\": {\n    \"cov\": { \"type\": \"coverage\" \"files\": [] }\n  }\n}");

        var problem = Assert.Single(error.Problems);
        Assert.StartsWith("releasegates.json:3:", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_environment_reference_is_substituted_and_its_value_never_appears_in_a_message()
    {
        var name = "RG_TEST_" + Guid.NewGuid().ToString("N")[..8];
        Environment.SetEnvironmentVariable(name, "s3cr3t-value");
        try
        {
            var error = Invalid($$"""
                { "gates": { "cov": { "type": "coverage", "files": ["c.xml"], "format": "${{{name}}}", "statistic": "${RG_UNSET_{{name}}}" } } }
                """);

            Assert.Equal(2, error.Problems.Count);
            Assert.Contains("(a value from the environment) is not one of", error.Problems[0], StringComparison.Ordinal);
            Assert.Contains($"the environment variable RG_UNSET_{name} is not set", error.Problems[1], StringComparison.Ordinal);
            Assert.DoesNotContain("s3cr3t", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void A_bad_file_registers_nothing()
    {
        var builder = ReleaseGate.CreateBuilder();

        Assert.Throws<ReleaseGatesConfigurationException>(() => builder.AddFromJson(
            new MemoryStream("""{ "gates": { "ok": { "type": "hostResources" }, "bad": { "type": "coverage" } } }"""u8.ToArray()), "f.json", Fixtures.Root));

        Assert.Empty(builder.Build().Registrations);
    }

    [Fact]
    public async Task A_latency_gate_reads_a_k6_summary_relative_to_the_file()
    {
        var report = await ReleaseGate.CreateBuilder()
            .AddFromJson(
                new MemoryStream("""
                    { "gates": { "api": { "type": "latency", "source": { "k6Summary": "latency/k6-summary-export.json" }, "conditions": ["p(95) < 10s"] } } }
                    """u8.ToArray()),
                "f.json",
                Fixtures.Root)
            .EvaluateAsync(TestContext.Current.CancellationToken);

        var gate = Assert.Single(report.Gates);
        Assert.Equal(GateStatus.Passed, gate.Status);
        Assert.Contains(gate.Measurements, m => m.Name == "p(95)");
    }

    [Theory]
    [InlineData("300ms", 300)]
    [InlineData("1.5s", 1500)]
    [InlineData("2min", 120_000)]
    [InlineData("00:00:05", 5000)]
    public void Durations_are_read_with_their_units(string text, double milliseconds)
    {
        Assert.True(ConfigBinder.TryParseDuration(text, out var duration));
        Assert.Equal(milliseconds, duration.TotalMilliseconds);
    }

    [Fact]
    public void Smoke_requests_are_read_with_their_expectations()
    {
        var builder = ReleaseGate.CreateBuilder().AddFromJson(
            new MemoryStream("""
                {
                  "gates": {
                    "smoke": {
                      "type": "smokeTests",
                      "baseAddress": "http://127.0.0.1:5000/",
                      "requests": [
                        { "path": "/health", "expectedStatuses": [200], "jsonEquals": { "$.status": "Healthy" }, "maximumLatency": "500ms" },
                        { "name": "create order", "method": "post", "path": "/orders", "body": "{}", "expectedStatuses": [201, 202], "headersPresent": ["Location"] },
                        { "name": "login", "method": "post", "path": "/login", "captures": { "token": "$.access_token" }, "jsonExists": { "$.expires_in": "number" } },
                        { "name": "me", "path": "/me", "headers": { "Authorization": "Bearer {{token}}" }, "headerValues": { "Access-Control-Allow-Origin": "https://app.example.com" } }
                      ]
                    }
                  }
                }
                """u8.ToArray()),
            "f.json",
            Fixtures.Root);

        Assert.Equal(["smoke"], builder.Build().Registrations.Select(r => r.Name));

        // Without its capture, the flow's reference is a problem: the captures above were read, not ignored.
        var ex = Invalid("""
            { "gates": { "smoke": { "type": "smokeTests", "baseAddress": "http://127.0.0.1:5000/", "requests": [
              { "path": "/me", "headers": { "Authorization": "Bearer {{token}}" } } ] } } }
            """);
        Assert.Contains("uses {{token}}, which no earlier request captures", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_smoke_request_without_a_path_or_with_an_unknown_expectation_is_a_problem()
    {
        var error = Invalid("""
            { "gates": { "smoke": { "type": "smokeTests", "baseAddress": "http://127.0.0.1:5000/", "requests": [ { "expectedStatuses": [200] }, { "path": "/", "expectStatus": 200 } ] } } }
            """);

        Assert.Equal(2, error.Problems.Count);
        Assert.Contains("gates.smoke.requests[0]: a request needs a \"path\"", error.Problems[0], StringComparison.Ordinal);
        Assert.Contains("gates.smoke.requests[1].expectStatus: unknown property 'expectStatus'", error.Problems[1], StringComparison.Ordinal);
    }
}
