using System.Xml.Linq;
using static ReleaseGates.Tests.Support.TestGates;

namespace ReleaseGates.Tests.Reporting;

public class ReleaseReportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<ReleaseReport> MixedReport() => ReleaseGate.CreateBuilder()
        .Configure(o => o.Subject = new ReleaseSubject { Service = "checkout", Version = "2.4.0", Commit = "0123456789abcdef", Environment = "production" })
        .AddGate("latency", Returning(LatencyResult(250)), o => { o.Category = GateCategories.Performance; o.Tags.Add("load"); })
        .AddGate("coverage", Returning(GateResult.FromEvidence("line 88.1 %", [Measurement.Evaluate("line", 0.881, MetricUnit.Ratio, GateCondition.Parse("line >= 85%"))])), o => o.Category = GateCategories.Quality)
        .AddGate("headers", Returning(GateResult.FromEvidence("grade B", [], [new Finding("hsts.missing", FindingSeverity.Error, "Strict-Transport-Security is missing | add app.UseHsts()") { Target = "https://127.0.0.1/", Observed = "max-age=\"1\"", Remediation = "app.UseHsts();" }])), o => { o.Category = GateCategories.Security; o.Importance = GateImportance.Recommended; })
        .AddGate("db", (_, _) => throw new TimeoutException("could not reach 127.0.0.1:5432"), o => { o.Category = GateCategories.Data; o.Importance = GateImportance.Optional; })
        .AddGate("e2e", Returning(GateResult.Skipped("no test results found")), o => o.Importance = GateImportance.Optional)
        .AddGate("dry", Returning(GateResult.Failed("would fail")), o => o.ReportOnly = true)
        .EvaluateAsync(Ct);

    [Fact]
    public async Task Json_round_trips_exactly()
    {
        var report = await MixedReport();
        var json = report.ToJson();
        var back = ReleaseReport.FromJson(json);
        Assert.Equal(json, back.ToJson());
        Assert.Equal(report.Decision, back.Decision);
        Assert.Equal(report.Score, back.Score);
        Assert.Equal(report.Gates[0].Measurements[0], back.Gates[0].Measurements[0]);
        Assert.Equal(report.Duration, back.Duration);
        Assert.Equal(report.StartedAt, back.StartedAt);
    }

    [Fact]
    public async Task Json_writes_statuses_as_strings_and_conditions_as_text()
    {
        var json = (await MixedReport()).ToJson();
        Assert.Contains("\"schemaVersion\": 1", json, StringComparison.Ordinal);
        Assert.Contains("\"status\": \"Warning\"", json, StringComparison.Ordinal);
        Assert.Contains("\"condition\": \"p(95) < 300ms warn 200ms\"", json, StringComparison.Ordinal);
        Assert.Contains("\"decision\": \"NoGo\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_stream_round_trips()
    {
        var report = await MixedReport();
        using var stream = new MemoryStream();
        await report.WriteJsonAsync(stream, Ct);
        stream.Position = 0;
        var back = await ReleaseReport.ReadJsonAsync(stream, Ct);
        Assert.Equal(report.ToJson(), back.ToJson());
    }

    [Fact]
    public void Unknown_schema_version_is_a_clear_error()
    {
        var ex = Assert.Throws<ReleaseReportFormatException>(() => ReleaseReport.FromJson("""{ "schemaVersion": 99, "gates": [] }"""));
        Assert.Contains("schema version 99", ex.Message, StringComparison.Ordinal);
        Assert.Contains("reads schema version 1", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "gates": [] }""", "schemaVersion")]
    [InlineData("[1,2]", "root is Array")]
    [InlineData("{ \"schemaVersion\": 1, ", "Not a release report")]
    [InlineData("""{ "schemaVersion": 1, "scoring": {"passScore":90,"warningScore":75,"warningGateScore":50}, "gates": [ { "name": "x", "category": "c", "measurements": [ { "name": "p", "value": 1, "unit": "Milliseconds", "condition": "p < < 3" } ] } ] }""", "column 5")]
    public void Malformed_report_json_is_a_clear_error(string json, string expected)
    {
        var ex = Assert.Throws<ReleaseReportFormatException>(() => ReleaseReport.FromJson(json));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_of_a_saved_report_gives_the_same_decision()
    {
        var report = await MixedReport();
        var replayed = ReleaseReport.FromJson(report.ToJson()).Replay();
        Assert.Equal(report.Decision, replayed.Decision);
        Assert.Equal(report.Score, replayed.Score);
        Assert.Equal(report.Gates.Select(g => g.Status), replayed.Gates.Select(g => g.Status));
        Assert.Equal(report.Reasons, replayed.Reasons);
    }

    [Fact]
    public async Task Replay_recomputes_statuses_from_edited_measurements()
    {
        var report = await ReleaseGate.CreateBuilder().AddGate("latency", Returning(LatencyResult(100))).EvaluateAsync(Ct);
        Assert.Equal(ReleaseDecision.Go, report.Decision);
        var edited = ReleaseReport.FromJson(report.ToJson().Replace("\"value\": 100", "\"value\": 450", StringComparison.Ordinal)).Replay();
        Assert.Equal(GateStatus.Failed, edited.Gates[0].Status);
        Assert.Equal(ReleaseDecision.NoGo, edited.Decision);
    }

    [Fact]
    public async Task Replay_keeps_a_status_the_gate_set_beyond_its_evidence()
    {
        var stricter = new GateResult(GateStatus.Failed, "failed for a reason it did not measure", [new Measurement("count", 3, MetricUnit.Count)]);
        var report = await ReleaseGate.CreateBuilder().AddGate("custom", Returning(stricter)).EvaluateAsync(Ct);
        Assert.Equal(GateStatus.Failed, report.Replay().Gates[0].Status);
    }

    [Fact]
    public async Task JUnit_has_a_testcase_per_gate_and_parses_back()
    {
        var report = await MixedReport();
        var xml = XDocument.Parse(report.ToJUnitXml());
        var suite = xml.Root!.Element("testsuite")!;
        var cases = suite.Elements("testcase").ToDictionary(e => (string)e.Attribute("name")!);
        Assert.Equal(6, cases.Count);
        Assert.Equal("6", (string?)suite.Attribute("tests"));
        Assert.Null(cases["latency"].Element("failure"));
        Assert.Null(cases["coverage"].Element("failure"));
        Assert.NotNull(cases["headers"].Element("failure"));
        Assert.Contains("hsts.missing", cases["headers"].Element("failure")!.Value, StringComparison.Ordinal);
        Assert.Contains("could not reach", (string?)cases["db"].Element("error")!.Attribute("message"), StringComparison.Ordinal);
        Assert.NotNull(cases["e2e"].Element("skipped"));
        Assert.NotNull(cases["dry"].Element("skipped"));
        Assert.Equal("1", (string?)suite.Attribute("failures"));
        Assert.Equal("1", (string?)suite.Attribute("errors"));
        Assert.Equal("2", (string?)suite.Attribute("skipped"));
        Assert.Equal("release-gates.performance", (string?)cases["latency"].Attribute("classname"));
    }

    [Fact]
    public async Task Markdown_has_the_decision_the_gate_table_and_failing_measurements()
    {
        var report = await ReleaseGate.CreateBuilder()
            .AddGate("latency", Returning(LatencyResult(420)))
            .AddGate("headers", Returning(GateResult.FromEvidence("grade B", [], [new Finding("csp.unsafe-inline", FindingSeverity.Warning, "script-src allows 'unsafe-inline' | x")])))
            .EvaluateAsync(Ct);
        var md = report.ToMarkdown();
        Assert.StartsWith("## ❌ Release decision: **NO-GO**", md, StringComparison.Ordinal);
        Assert.Contains("| latency | general | Required | ❌ Failed |", md, StringComparison.Ordinal);
        Assert.Contains("| latency | FAIL | p(95) | 420 ms | p(95) < 300ms warn 200ms |", md, StringComparison.Ordinal);
        Assert.Contains("'unsafe-inline' \\| x", md, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureGo_throws_a_readable_table_of_what_fell_short()
    {
        var report = await ReleaseGate.CreateBuilder()
            .AddGate("latency", Returning(LatencyResult(420)))
            .AddGate("coverage", Returning(GateResult.FromEvidence("line", [Measurement.Evaluate("line", 0.9, MetricUnit.Ratio, GateCondition.Parse("line >= 85%"))])))
            .EvaluateAsync(Ct);
        var ex = Assert.Throws<ReleaseNotReadyException>(() => report.EnsureGo());
        Assert.Contains("Release is NO-GO", ex.Message, StringComparison.Ordinal);
        Assert.Matches(@"latency\s+FAIL\s+p\(95\)\s+420 ms\s+p\(95\) < 300ms warn 200ms", ex.Message);
        Assert.DoesNotContain("coverage", ex.Message, StringComparison.Ordinal);
        Assert.Same(report, ex.Report);
    }

    [Fact]
    public async Task EnsureGo_passes_on_go_and_optionally_on_warnings()
    {
        var go = await ReleaseGate.CreateBuilder().AddGate("latency", Returning(LatencyResult(100))).EvaluateAsync(Ct);
        go.EnsureGo();
        var warn = await WithFourPassingGates(LatencyResult(250));
        Assert.Equal(ReleaseDecision.GoWithWarnings, warn.Decision);
        warn.EnsureGo(allowWarnings: true);
        Assert.Throws<ReleaseNotReadyException>(() => warn.EnsureGo());
    }

    [Theory]
    [InlineData(100, false, ReleaseExitCodes.Go)]
    [InlineData(250, false, ReleaseExitCodes.Go)]
    [InlineData(250, true, ReleaseExitCodes.GoWithWarnings)]
    [InlineData(500, false, ReleaseExitCodes.NoGo)]
    public async Task Exit_codes_follow_the_decision(double p95, bool failOnWarnings, int expected)
    {
        var report = await WithFourPassingGates(LatencyResult(p95));
        Assert.Equal(expected, report.GetExitCode(failOnWarnings));
    }

    /// <summary>Four passed gates and one more: a lone warning then scores 90, GO WITH WARNINGS rather than NO-GO.</summary>
    private static Task<ReleaseReport> WithFourPassingGates(GateResult fifth)
    {
        var builder = ReleaseGate.CreateBuilder().AddGate("latency", Returning(fifth));
        for (var i = 0; i < 4; i++)
        {
            builder.AddGate("ok" + i, Returning(GateResult.Passed("ok")));
        }

        return builder.EvaluateAsync(Ct);
    }

    [Fact]
    public void Exit_codes_are_distinct()
    {
        int[] codes = [ReleaseExitCodes.Go, ReleaseExitCodes.NoGo, ReleaseExitCodes.GoWithWarnings, ReleaseExitCodes.InvalidConfiguration, ReleaseExitCodes.EvaluationError];
        Assert.Equal(codes.Length, codes.Distinct().Count());
    }

    [Fact]
    public async Task Text_report_lists_every_gate_and_the_reasons()
    {
        var text = (await MixedReport()).ToText();
        Assert.StartsWith("Release decision: NO-GO", text, StringComparison.Ordinal);
        Assert.Contains("checkout, version 2.4.0, commit 0123456789ab, to production", text, StringComparison.Ordinal);
        foreach (var gate in new[] { "latency", "coverage", "headers", "db", "e2e", "dry (report-only)" })
        {
            Assert.Contains(gate, text, StringComparison.Ordinal);
        }

        Assert.Contains("Optional gate 'db' could not be evaluated", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"gates\": null", "'$.gates' must be a list")]
    [InlineData("\"gates\": [ null ]", "'$.gates[0]' must be an object")]
    [InlineData("\"gates\": [ { \"name\": \"g\", \"category\": \"c\", \"status\": \"Passed\", \"measurements\": null } ]", "'$.gates[0].measurements' must be a list")]
    [InlineData("\"gates\": [ { \"name\": \"g\", \"category\": \"c\", \"status\": \"Passed\", \"measurements\": [ null ] } ]", "'$.gates[0].measurements[0]' must be an object")]
    [InlineData("\"gates\": [ { \"name\": \"g\", \"category\": \"c\", \"status\": \"Passed\", \"findings\": [ { \"code\": \"x\", \"severity\": \"Info\", \"message\": null } ] } ]", "'$.gates[0].findings[0].message' must be a string")]
    [InlineData("\"gates\": [ { \"name\": \"g\", \"category\": \"c\", \"status\": 42 } ]", "'$.gates[0].status' must be")]
    [InlineData("\"gates\": [ { \"name\": null, \"category\": \"c\", \"status\": \"Passed\", \"summary\": null } ]", "'$.gates[0].name' must be a string")]
    [InlineData("\"reasons\": null, \"gates\": []", "'$.reasons' must be a list of strings")]
    public void A_report_with_nulls_or_undefined_values_is_rejected_naming_the_field(string body, string expected)
    {
        var json = "{ \"schemaVersion\": 1, \"scoring\": { \"passScore\": 90, \"warningScore\": 75, \"warningGateScore\": 50 }, " + body + " }";
        var ex = Assert.Throws<ReleaseReportFormatException>(() => ReleaseReport.FromJson(json));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
