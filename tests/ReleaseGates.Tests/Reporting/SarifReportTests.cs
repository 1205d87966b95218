using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using static ReleaseGates.Tests.Support.TestGates;

namespace ReleaseGates.Tests.Reporting;

public class SarifReportTests
{
    private static readonly JsonSchema Schema = JsonSchema.FromFile(Path.Combine(Support.Repository.Root, "tests", "fixtures", "sarif", "sarif-schema-2.1.0.json"));

    private static async Task<ReleaseReport> MixedReport()
    {
        var coverage = GateResult.FromEvidence(
            "one file below its minimum",
            [Measurement.Evaluate("line", 0.91, MetricUnit.Ratio, GateCondition.Parse("line >= 80%"))],
            [new Finding("coverage.file-below-minimum", FindingSeverity.Error, "12 of 40 lines covered") { Target = "src/Orders/Order Service{1}.cs".Replace(" ", "", StringComparison.Ordinal) }]);
        var headers = GateResult.FromEvidence(
            "HSTS too short",
            [],
            [
                new Finding("hsts.max-age-too-short", FindingSeverity.Warning, "max-age is one minute") { Target = "Strict-Transport-Security", Observed = "max-age=60", Remediation = "app.UseHsts();" },
                new Finding("server.seen", FindingSeverity.Info, "informational only") { Target = "Server" },
            ]);
        return await ReleaseGate.CreateBuilder()
            .Configure(o => o.Subject = new ReleaseSubject { Service = "orders", Version = "2.3.0", Commit = "abc123" })
            .AddGate("api-latency", Returning(LatencyResult(450)), o => o.Category = GateCategories.Performance)
            .AddGate("coverage", Returning(coverage))
            .AddGate("headers", Returning(headers), o => o.Category = GateCategories.Security)
            .AddGate("advisory", Returning(LatencyResult(900)), o => o.ReportOnly = true)
            .AddGate("database", (_, _) => throw new InvalidOperationException("the connection was refused"))
            .AddGate("healthy", Returning(LatencyResult(100)))
            .EvaluateAsync(TestContext.Current.CancellationToken);
    }

    private static void AssertValid(string sarif)
    {
        var result = Schema.Evaluate(JsonDocument.Parse(sarif).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).Select(d => $"{d.InstanceLocation}: {string.Join("; ", d.Errors!.Values)}");
        Assert.True(result.IsValid, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public async Task Conforms_to_the_sarif_2_1_0_schema()
    {
        var report = await MixedReport();
        AssertValid(report.ToSarif());
        AssertValid(report.ToSarif("ci/releasegates.json"));
    }

    [Fact]
    public async Task A_waived_shortfall_is_a_result_suppressed_as_accepted_with_the_waivers_reason()
    {
        var report = await ReleaseGate.CreateBuilder()
            .UseTimeProvider(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2027, 3, 10, 12, 0, 0, TimeSpan.Zero)))
            .AddGate("api-latency", Returning(LatencyResult(450)))
            .AddWaiver(new Waiver { Id = "PERF-9", Gate = "api-latency", Measurement = "p(95)", Reason = "Cold cache in the new region.", ApprovedBy = "sre", Expires = new DateOnly(2027, 3, 20) })
            .EvaluateAsync(TestContext.Current.CancellationToken);
        Assert.Equal(ReleaseDecision.Go, report.Decision);

        var sarif = report.ToSarif("ci/releasegates.json");
        AssertValid(sarif);
        var result = Assert.Single(JsonNode.Parse(sarif)!["runs"]![0]!["results"]!.AsArray())!;
        Assert.Equal("error", (string?)result["level"]);
        var suppression = Assert.Single(result["suppressions"]!.AsArray())!;
        Assert.Equal("external", (string?)suppression["kind"]);
        Assert.Equal("accepted", (string?)suppression["status"]);
        Assert.Equal("PERF-9: Cold cache in the new region. (approved by sre, until 2027-03-20)", (string?)suppression["justification"]);
    }

    [Fact]
    public async Task The_schema_check_rejects_what_sarif_does_not_allow()
    {
        var sarif = (await MixedReport()).ToSarif();
        Assert.ThrowsAny<Exception>(() => AssertValid(sarif.Replace("\"level\": \"warning\"", "\"level\": \"warn\"", StringComparison.Ordinal)));
        Assert.ThrowsAny<Exception>(() => AssertValid(sarif.Replace("\"ruleId\"", "\"rule\"", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_passing_report_is_a_valid_log_without_results()
    {
        var report = await ReleaseGate.CreateBuilder().AddGate("healthy", Returning(LatencyResult(100))).EvaluateAsync(TestContext.Current.CancellationToken);
        var sarif = report.ToSarif();
        AssertValid(sarif);
        var run = JsonNode.Parse(sarif)!["runs"]![0]!;
        Assert.Empty(run["results"]!.AsArray());
        Assert.Equal("GO", (string?)run["properties"]!["decision"]);
    }

    [Fact]
    public async Task Each_shortfall_is_a_result_with_its_rule_level_and_location()
    {
        var run = JsonNode.Parse((await MixedReport()).ToSarif())!["runs"]![0]!;
        var results = run["results"]!.AsArray().Select(r => r!).ToList();
        JsonNode Rule(string id) => Assert.Single(results, r => (string?)r["ruleId"] == id);

        var latency = Rule("performance.p(95)");
        Assert.Equal("error", (string?)latency["level"]);
        Assert.Contains("api-latency: p(95) is 450 ms", (string?)latency["message"]!["text"], StringComparison.Ordinal);
        Assert.Equal("p(95) < 300ms warn 200ms", (string?)latency["properties"]!["condition"]);

        var file = Rule("coverage.file-below-minimum");
        Assert.Equal("src/Orders/OrderService%7B1%7D.cs", (string?)file["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"]);
        Assert.Null(file["locations"]![0]!["logicalLocations"]);

        var header = Rule("hsts.max-age-too-short");
        Assert.Equal("warning", (string?)header["level"]);
        Assert.Equal("Strict-Transport-Security", (string?)header["locations"]![0]!["logicalLocations"]![0]!["name"]);
        Assert.Null(header["locations"]![0]!["physicalLocation"]);
        Assert.Equal("max-age=60", (string?)header["properties"]!["observed"]);
        Assert.Equal("app.UseHsts();", (string?)header["properties"]!["remediation"]);

        var error = Rule("gate.error");
        Assert.Equal("error", (string?)error["level"]);
        Assert.Contains("the connection was refused", (string?)error["message"]!["text"], StringComparison.Ordinal);

        var advisory = Assert.Single(results, r => (string?)r["properties"]!["gate"] == "advisory");
        Assert.Equal("note", (string?)advisory["level"]);

        Assert.DoesNotContain(results, r => (string?)r["ruleId"] == "server.seen");
        Assert.DoesNotContain(results, r => (string?)r["properties"]!["gate"] == "healthy");
        var rules = run["tool"]!["driver"]!["rules"]!.AsArray().Select(r => (string?)r!["id"]).ToList();
        Assert.Equal(results.Select(r => (string?)r["ruleId"]).Distinct(), rules);
        Assert.Equal("NO-GO", (string?)run["properties"]!["decision"]);
        Assert.Equal("abc123", (string?)run["properties"]!["commit"]);
    }

    [Fact]
    public async Task Results_without_a_file_are_located_in_the_fallback_artifact()
    {
        var results = JsonNode.Parse((await MixedReport()).ToSarif("ci/releasegates.json"))!["runs"]![0]!["results"]!.AsArray();
        foreach (var result in results)
        {
            var uri = (string?)result!["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"];
            Assert.Equal((string?)result["ruleId"] == "coverage.file-below-minimum" ? "src/Orders/OrderService%7B1%7D.cs" : "ci/releasegates.json", uri);
        }

        var header = Assert.Single(results, r => (string?)r!["ruleId"] == "hsts.max-age-too-short")!;
        Assert.Equal("Strict-Transport-Security", (string?)header["locations"]![0]!["logicalLocations"]![0]!["name"]);
    }

    [Fact]
    public async Task A_finding_on_a_line_of_a_file_points_at_that_line_and_keeps_it_through_json()
    {
        var checklist = GateResult.FromEvidence("one item open", [], [
            new Finding("checklist.open", FindingSeverity.Error, "'Redis configured' is not ticked.") { Target = "docs/RELEASE.md", Line = 27 },
            new Finding("checklist.group-missing", FindingSeverity.Error, "no heading") { Target = "docs/RELEASE.md" },
            new Finding("hsts.missing", FindingSeverity.Error, "a header has no lines") { Target = "Strict-Transport-Security", Line = 3 },
        ]);
        var report = await ReleaseGate.CreateBuilder().AddGate("checklist", Returning(checklist)).EvaluateAsync(TestContext.Current.CancellationToken);

        var sarif = report.ToSarif();
        AssertValid(sarif);
        var results = JsonNode.Parse(sarif)!["runs"]![0]!["results"]!.AsArray().Select(r => r!).ToList();
        JsonNode? Region(string rule) => Assert.Single(results, r => (string?)r["ruleId"] == rule)["locations"]![0]!["physicalLocation"]?["region"];
        Assert.Equal(27, (int?)Region("checklist.open")!["startLine"]);
        Assert.Null(Region("checklist.group-missing"));
        Assert.Null(Region("hsts.missing"));

        var again = ReleaseReport.FromJson(report.ToJson());
        Assert.Equal([27, null, 3], again.Gates[0].Findings.Select(f => f.Line));
        Assert.Contains("checklist.open [docs/RELEASE.md:27]", report.ToText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("src/Orders/OrderService.cs", true)]
    [InlineData("/ci/TestResults/run.trx", true)]
    [InlineData("Strict-Transport-Security", false)]
    [InlineData("module ReleaseGates", false)]
    [InlineData("https://example.test/health.json", false)]
    [InlineData("GET /orders/{id}", false)]
    [InlineData("version 1.2.", false)]
    public void A_target_names_a_file_when_it_is_a_path_with_an_extension(string target, bool expected)
        => Assert.Equal(expected, SarifReportWriter.NamesFile(target));

    [Fact]
    public void An_absolute_path_becomes_a_file_uri()
        => Assert.Equal("file:///ci/Test%20Results/run.trx", SarifReportWriter.ToUri("/ci/Test Results/run.trx"));
}
