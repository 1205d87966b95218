using Microsoft.Extensions.Time.Testing;
using static ReleaseGates.Tests.Support.TestGates;

namespace ReleaseGates.Tests.Evaluation;

/// <summary>Waivers: an accepted exception covers one finding or measurement of one gate until its last day, and is listed everywhere.</summary>
public class WaiverTests
{
    private static readonly DateTimeOffset Noon = new(2027, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Waiver CspWaiver(DateOnly? expires = null, string? target = null) => new()
    {
        Id = "SEC-142",
        Gate = "headers",
        Finding = "csp.missing",
        Target = target,
        Reason = "The CSP ships with the front-end rewrite in 2.4.",
        ApprovedBy = "security@example.com",
        Expires = expires ?? new DateOnly(2027, 3, 31),
    };

    private static GateResult Headers(params Finding[] findings) => GateResult.FromEvidence("headers checked", [], findings);

    private static Finding Csp(string target = "https://127.0.0.1/") => new("csp.missing", FindingSeverity.Error, "No Content-Security-Policy header.") { Target = target };

    private static async Task<ReleaseReport> Evaluate(GateResult headers, DateTimeOffset now, params Waiver[] waivers)
    {
        var builder = ReleaseGate.CreateBuilder().UseTimeProvider(new FakeTimeProvider(now))
            .AddGate("headers", Returning(headers), o => o.Category = GateCategories.Security)
            .AddGate("latency", Returning(LatencyResult(120)), o => o.Category = GateCategories.Performance);
        foreach (var waiver in waivers)
        {
            builder.AddWaiver(waiver);
        }

        return await builder.EvaluateAsync(Ct);
    }

    [Fact]
    public async Task A_waived_finding_passes_its_gate_and_is_marked_and_listed()
    {
        var report = await Evaluate(Headers(Csp()), Noon, CspWaiver());

        Assert.Equal(ReleaseDecision.Go, report.Decision);
        var gate = report.FindGate("headers")!;
        Assert.Equal(GateStatus.Passed, gate.Status);
        Assert.Equal("SEC-142", Assert.Single(gate.Findings).WaivedBy);
        Assert.EndsWith("(waiver SEC-142 covers 1 shortfall)", gate.Summary, StringComparison.Ordinal);
        var entry = Assert.Single(report.Waivers);
        Assert.Equal(WaiverState.Applied, entry.State);
        Assert.Equal(1, entry.Matches);
        Assert.Equal("security@example.com", entry.Waiver.ApprovedBy);
    }

    [Fact]
    public async Task Without_the_waiver_the_same_finding_is_no_go()
    {
        var report = await Evaluate(Headers(Csp()), Noon);
        Assert.Equal(ReleaseDecision.NoGo, report.Decision);
        Assert.Null(Assert.Single(report.FindGate("headers")!.Findings).WaivedBy);
        Assert.Empty(report.Waivers);
    }

    [Fact]
    public async Task A_waiver_holds_through_its_last_day_and_fails_again_the_day_after()
    {
        var lastDay = new DateOnly(2027, 3, 10);
        var late = await Evaluate(Headers(Csp()), new DateTimeOffset(2027, 3, 10, 23, 59, 59, TimeSpan.Zero), CspWaiver(lastDay));
        Assert.Equal(ReleaseDecision.Go, late.Decision);
        Assert.Contains("applied (1), last day today", late.ToText(), StringComparison.Ordinal);

        var after = await Evaluate(Headers(Csp()), new DateTimeOffset(2027, 3, 11, 0, 0, 0, TimeSpan.Zero), CspWaiver(lastDay));
        Assert.Equal(ReleaseDecision.NoGo, after.Decision);
        Assert.Equal(GateStatus.Failed, after.FindGate("headers")!.Status);
        Assert.Null(Assert.Single(after.FindGate("headers")!.Findings).WaivedBy);
        var entry = Assert.Single(after.Waivers);
        Assert.Equal(WaiverState.Expired, entry.State);
        Assert.Equal(1, entry.Matches);
        Assert.Contains("EXPIRED: 1 counts again", after.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_expiry_day_is_read_in_utc_whatever_the_offset_of_the_clock()
    {
        // 2027-03-11 01:00 at +02:00 is still 2027-03-10 in UTC: the waiver's last day.
        var report = await Evaluate(Headers(Csp()), new DateTimeOffset(2027, 3, 11, 1, 0, 0, TimeSpan.FromHours(2)), CspWaiver(new DateOnly(2027, 3, 10)));
        Assert.Equal(ReleaseDecision.Go, report.Decision);
    }

    [Fact]
    public async Task A_waiver_covers_only_its_code_so_another_failure_still_decides()
    {
        var hsts = new Finding("hsts.missing", FindingSeverity.Error, "No HSTS header.");
        var report = await Evaluate(Headers(Csp(), hsts), Noon, CspWaiver());

        Assert.Equal(ReleaseDecision.NoGo, report.Decision);
        var gate = report.FindGate("headers")!;
        Assert.Equal(GateStatus.Failed, gate.Status);
        Assert.Equal(["SEC-142", null], gate.Findings.Select(f => f.WaivedBy));
        Assert.DoesNotContain("csp.missing", string.Join("\n", TextOf(report, "What fell short:")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_waiver_that_matches_nothing_is_listed_as_unused()
    {
        var report = await Evaluate(Headers(), Noon, CspWaiver());
        Assert.Equal(ReleaseDecision.Go, report.Decision);
        var entry = Assert.Single(report.Waivers);
        Assert.Equal(WaiverState.Unused, entry.State);
        Assert.Equal(0, entry.Matches);
    }

    [Fact]
    public async Task An_informational_finding_is_never_counted_as_waived()
    {
        var info = new Finding("csp.missing", FindingSeverity.Info, "Report-only policy.");
        var report = await Evaluate(Headers(info), Noon, CspWaiver());
        Assert.Null(Assert.Single(report.FindGate("headers")!.Findings).WaivedBy);
        Assert.Equal(WaiverState.Unused, Assert.Single(report.Waivers).State);
    }

    [Fact]
    public async Task A_target_narrows_the_waiver_to_matching_targets()
    {
        var report = await Evaluate(Headers(Csp("https://127.0.0.1/admin"), Csp("https://127.0.0.1/shop")), Noon, CspWaiver(target: "*/admin"));
        var gate = report.FindGate("headers")!;
        Assert.Equal(["SEC-142", null], gate.Findings.Select(f => f.WaivedBy));
        Assert.Equal(GateStatus.Failed, gate.Status);
    }

    [Fact]
    public async Task A_target_with_a_line_covers_one_checklist_item_by_file_name()
    {
        var file = Path.Combine(Path.GetTempPath(), "release", "CHECKLIST.md");
        var items = GateResult.FromEvidence("checklist", [],
        [
            new Finding("checklist.required-open", FindingSeverity.Error, "Rollback rehearsed") { Target = file, Line = 27 },
            new Finding("checklist.required-open", FindingSeverity.Error, "Load test signed off") { Target = file, Line = 28 },
        ]);
        var waiver = new Waiver { Id = "REL-7", Gate = "headers", Finding = "checklist.required-open", Target = "CHECKLIST.md:27", Reason = "Rehearsed on staging only.", ApprovedBy = "ops", Expires = new DateOnly(2027, 4, 1) };
        var report = await Evaluate(items, Noon, waiver);
        Assert.Equal(["REL-7", null], report.FindGate("headers")!.Findings.Select(f => f.WaivedBy));
    }

    [Theory]
    [InlineData("release/CHECKLIST.md", "CHECKLIST.md:27", true)]
    [InlineData("release/CHECKLIST.md", "checklist.md", true)]
    [InlineData("release/CHECKLIST.md", "release/CHECKLIST.md:27", true)]
    [InlineData("release/CHECKLIST.md", "CHECKLIST.md:28", false)]
    [InlineData("release/CHECKLIST.md", "other/CHECKLIST.md:27", false)]
    [InlineData("https://127.0.0.1/admin", "admin", false)]
    [InlineData("GET /api/orders", "orders", false)]
    public async Task A_target_without_a_folder_matches_a_file_by_its_name_and_nothing_else_by_its_tail(string target, string pattern, bool covered)
    {
        var result = GateResult.FromEvidence("x", [], [new Finding("x.open", FindingSeverity.Error, "open") { Target = target, Line = 27 }]);
        var waiver = new Waiver { Id = "W", Gate = "headers", Finding = "x.open", Target = pattern, Reason = "r", ApprovedBy = "a", Expires = new DateOnly(2027, 4, 1) };
        var report = await Evaluate(result, Noon, waiver);
        Assert.Equal(covered ? "W" : null, Assert.Single(report.FindGate("headers")!.Findings).WaivedBy);
    }

    [Fact]
    public async Task A_waived_measurement_keeps_its_failed_status_but_counts_as_met()
    {
        var waiver = new Waiver { Id = "PERF-9", Gate = "latency", Measurement = "p(95)", Reason = "Cold cache on the new region.", ApprovedBy = "sre", Expires = new DateOnly(2027, 3, 20) };
        var report = await ReleaseGate.CreateBuilder().UseTimeProvider(new FakeTimeProvider(Noon))
            .AddGate("latency", Returning(LatencyResult(450)))
            .AddWaiver(waiver)
            .EvaluateAsync(Ct);

        var gate = report.FindGate("latency")!;
        var m = Assert.Single(gate.Measurements);
        Assert.Equal(GateStatus.Failed, m.Status);
        Assert.Equal("PERF-9", m.WaivedBy);
        Assert.Equal(GateStatus.Passed, gate.Status);
        Assert.Equal(ReleaseDecision.Go, report.Decision);
        Assert.Equal(100, report.Score);
    }

    [Fact]
    public async Task Under_objective_scoring_a_waived_objective_counts_as_met()
    {
        var waiver = new Waiver { Id = "PERF-9", Gate = "latency", Measurement = "p(95)", Reason = "r", ApprovedBy = "a", Expires = new DateOnly(2027, 3, 20) };
        var result = GateResult.FromEvidence("two", [LatencyResult(450).Measurements[0], Measurement.Evaluate("p(99)", 100, MetricUnit.Milliseconds, GateCondition.Parse("p(99) < 500ms"))]);
        var report = await ReleaseGate.CreateBuilder().UseTimeProvider(new FakeTimeProvider(Noon))
            .Configure(o => o.Scoring.Method = ScoringMethod.Objectives)
            .AddGate("latency", Returning(result))
            .AddWaiver(waiver)
            .EvaluateAsync(Ct);
        Assert.Equal(100, report.Score);
    }

    [Fact]
    public async Task A_gate_that_fails_beyond_its_evidence_is_not_passed_by_a_waiver()
    {
        var failed = GateResult.Failed("the migration table is locked", findings: [Csp()]);
        var custom = new GateResult(GateStatus.Failed, "failed for its own reason", findings: [new Finding("csp.missing", FindingSeverity.Warning, "weak")]);
        var report = await Evaluate(custom, Noon, CspWaiver());
        Assert.Equal(GateStatus.Failed, report.FindGate("headers")!.Status);
        Assert.Equal(ReleaseDecision.NoGo, report.Decision);

        // Failed and explained by its error finding: the waiver reaches it.
        Assert.Equal(ReleaseDecision.Go, (await Evaluate(failed, Noon, CspWaiver())).Decision);
    }

    [Fact]
    public async Task A_gate_that_could_not_evaluate_is_never_waived()
    {
        var report = await ReleaseGate.CreateBuilder().UseTimeProvider(new FakeTimeProvider(Noon))
            .AddGate("headers", (_, _) => throw new HttpRequestException("connection refused"))
            .AddWaiver(CspWaiver())
            .EvaluateAsync(Ct);
        Assert.Equal(GateStatus.Error, report.FindGate("headers")!.Status);
        Assert.Equal(ReleaseDecision.NoGo, report.Decision);
        Assert.Equal(WaiverState.Unused, Assert.Single(report.Waivers).State);
    }

    [Fact]
    public async Task A_mark_a_gate_sets_itself_is_cleared()
    {
        var forged = Headers(Csp() with { WaivedBy = "SEC-142" });
        var report = await Evaluate(forged, Noon);
        Assert.Null(Assert.Single(report.FindGate("headers")!.Findings).WaivedBy);
        Assert.Equal(ReleaseDecision.NoGo, report.Decision);
    }

    [Fact]
    public async Task The_first_waiver_in_force_covers_an_item_that_two_name()
    {
        var second = CspWaiver() with { Id = "SEC-143" };
        var report = await Evaluate(Headers(Csp()), Noon, CspWaiver(), second);
        Assert.Equal("SEC-142", Assert.Single(report.FindGate("headers")!.Findings).WaivedBy);
        Assert.Equal([WaiverState.Applied, WaiverState.Unused], report.Waivers.Select(w => w.State));
    }

    [Fact]
    public async Task An_expired_waiver_gives_way_to_one_in_force()
    {
        var old = CspWaiver(new DateOnly(2027, 1, 31)) with { Id = "SEC-100" };
        var report = await Evaluate(Headers(Csp()), Noon, old, CspWaiver());
        Assert.Equal("SEC-142", Assert.Single(report.FindGate("headers")!.Findings).WaivedBy);
        Assert.Equal([WaiverState.Expired, WaiverState.Applied], report.Waivers.Select(w => w.State));
    }

    [Fact]
    public async Task A_saved_report_replays_to_its_waived_decision_on_any_later_day()
    {
        var report = await Evaluate(Headers(Csp()), Noon, CspWaiver(new DateOnly(2027, 3, 10)));
        var replayed = ReleaseReport.FromJson(report.ToJson()).Replay();

        // Replayed long after the waiver's last day, it is still judged on the day the report was evaluated.
        Assert.Equal(ReleaseDecision.Go, replayed.Decision);
        Assert.Equal("SEC-142", Assert.Single(replayed.FindGate("headers")!.Findings).WaivedBy);
        Assert.Equal(WaiverState.Applied, Assert.Single(replayed.Waivers).State);
        Assert.Equal(report.FindGate("headers")!.Summary, replayed.FindGate("headers")!.Summary);
    }

    [Fact]
    public async Task Reading_and_replay_clear_a_mark_no_waiver_of_the_report_accounts_for()
    {
        var report = await Evaluate(Headers(Csp()), Noon);
        var edited = report.ToJson()
            .Replace("\"code\": \"csp.missing\",", "\"code\": \"csp.missing\", \"waivedBy\": \"SEC-142\",", StringComparison.Ordinal)
            .Replace("\"status\": \"Failed\"", "\"status\": \"Passed\"", StringComparison.Ordinal);

        // A report from a file is re-checked as it is read: the forged mark is gone before anything else sees it.
        var read = ReleaseReport.FromJson(edited);
        Assert.Null(Assert.Single(read.FindGate("headers")!.Findings).WaivedBy);
        Assert.Equal(GateStatus.Failed, read.FindGate("headers")!.Status);
        Assert.Equal(ReleaseDecision.NoGo, read.Decision);

        var replayed = read.Replay();
        Assert.Equal(ReleaseDecision.NoGo, replayed.Decision);
        Assert.Null(Assert.Single(replayed.FindGate("headers")!.Findings).WaivedBy);
    }

    [Fact]
    public async Task Replay_applies_an_edited_waiver_as_configured()
    {
        // Removing the waiver from a saved report brings its finding back: the marks follow the listed waivers.
        var report = await Evaluate(Headers(Csp()), Noon, CspWaiver());
        var json = System.Text.Json.Nodes.JsonNode.Parse(report.ToJson())!;
        json["waivers"] = new System.Text.Json.Nodes.JsonArray();
        var replayed = ReleaseReport.FromJson(json.ToJsonString()).Replay();
        Assert.Equal(ReleaseDecision.NoGo, replayed.Decision);
    }

    [Fact]
    public void Invalid_waivers_are_rejected_together_naming_each_property()
    {
        var builder = ReleaseGate.CreateBuilder()
            .AddGate("headers", Returning(Headers()))
            .AddWaiver(new Waiver { Id = "A", Gate = "headers", Finding = "x", Measurement = "y", Reason = " ", ApprovedBy = "", Expires = default })
            .AddWaiver(new Waiver { Id = "a", Gate = "nope", Finding = "x", Reason = "r", ApprovedBy = "p", Expires = new DateOnly(2027, 1, 1), Link = new Uri("/relative", UriKind.Relative) });

        var e = Assert.Throws<ReleaseGatesConfigurationException>(() => builder.Build());
        var all = string.Join("\n", e.Problems);
        Assert.Contains("Waivers[0] ('A'): set exactly one of Finding", all, StringComparison.Ordinal);
        Assert.Contains("Waivers[0] ('A'): Reason must say why", all, StringComparison.Ordinal);
        Assert.Contains("Waivers[0] ('A'): ApprovedBy must say who", all, StringComparison.Ordinal);
        Assert.Contains("Waivers[0] ('A'): Expires must be the waiver's last day", all, StringComparison.Ordinal);
        Assert.Contains("Waivers[1] ('a'): a second waiver with the Id 'a'", all, StringComparison.Ordinal);
        Assert.Contains("Waivers[1] ('a'): Link must be an absolute http or https URL", all, StringComparison.Ordinal);
        Assert.Contains("Waiver 'a' names the gate 'nope', which is not registered; the gates are: 'headers'", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_report_format_lists_the_waivers()
    {
        var expired = CspWaiver(new DateOnly(2027, 1, 31)) with { Id = "SEC-100", Finding = "hsts.missing" };
        var report = await Evaluate(Headers(Csp()), Noon, CspWaiver() with { Link = new Uri("https://tracker.example/SEC-142") }, expired);

        var text = report.ToText();
        Assert.Contains("Waivers: 1 applied, 1 expired", text, StringComparison.Ordinal);
        Assert.Contains("Waivers (every one configured):", text, StringComparison.Ordinal);
        Assert.Contains("What the waivers covered:", text, StringComparison.Ordinal);

        var markdown = report.ToMarkdown();
        Assert.Contains("### Waivers", markdown, StringComparison.Ordinal);
        Assert.Contains("| SEC-142 | applied (1), 21 days left | headers | finding csp.missing | security@example.com | 2027-03-31 | The CSP ships with the front-end rewrite in 2.4. (https://tracker.example/SEC-142) |", markdown, StringComparison.Ordinal);
        Assert.Contains("| SEC-100 | expired | headers | finding hsts.missing |", markdown, StringComparison.Ordinal);
        Assert.Contains("### What the waivers covered", markdown, StringComparison.Ordinal);

        var junit = System.Xml.Linq.XDocument.Parse(report.ToJUnitXml());
        var properties = junit.Descendants("testsuite").Single().Element("properties")!.Elements("property").ToDictionary(p => (string)p.Attribute("name")!, p => (string)p.Attribute("value")!);
        Assert.StartsWith("applied (1), 21 days left; headers; finding csp.missing; security@example.com; 2027-03-31;", properties["waiver.SEC-142"], StringComparison.Ordinal);
        Assert.StartsWith("expired;", properties["waiver.SEC-100"], StringComparison.Ordinal);
        var headers = junit.Descendants("testcase").Single(t => (string)t.Attribute("name")! == "headers");
        Assert.Equal("SEC-142", headers.Element("properties")!.Elements("property").Single(p => (string)p.Attribute("name")! == "waived").Attribute("value")!.Value);
        Assert.Null(headers.Element("failure"));

        var json = report.ToJson();
        Assert.Contains("\"waivedBy\": \"SEC-142\"", json, StringComparison.Ordinal);
        Assert.Contains("\"expires\": \"2027-03-31\"", json, StringComparison.Ordinal);
        Assert.Contains("\"state\": \"Expired\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_in_a_waivers_link_never_reaches_a_report()
    {
        var waiver = CspWaiver() with { Link = new Uri("https://tracker.example/SEC-142?access_token=hunter2secret") };
        var report = await Evaluate(Headers(Csp()), Noon, waiver);
        foreach (var text in new[] { report.ToJson(), report.ToMarkdown(), report.ToText(), report.ToJUnitXml(), report.ToSarif() })
        {
            Assert.DoesNotContain("hunter2secret", text, StringComparison.Ordinal);
        }
    }

    private static IEnumerable<string> TextOf(ReleaseReport report, string heading)
        => report.ToText().Split('\n').SkipWhile(l => !l.StartsWith(heading, StringComparison.Ordinal)).Skip(1).TakeWhile(l => l.Trim().Length > 0);
}
