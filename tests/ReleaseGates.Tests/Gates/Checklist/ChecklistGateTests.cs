using ReleaseGates.Tests.Support;

namespace ReleaseGates.Tests.Gates.Checklist;

public class ChecklistGateTests
{
    private static readonly DateOnly Today = new(2026, 12, 3);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<ReleaseReport> Evaluate(Action<ChecklistGateOptions> configure)
        => await ReleaseGate.CreateBuilder().AddChecklist("checklist", configure).EvaluateAsync(Ct);

    private static GateResult Judge(string markdown, Action<ChecklistGateOptions>? configure = null)
    {
        var options = new ChecklistGateOptions();
        options.Files.Add("RELEASE.md");
        configure?.Invoke(options);
        return ChecklistGate.Judge(MarkdownChecklist.Read(new StringReader(markdown), "RELEASE.md"), Today, "RELEASE.md", options);
    }

    private static Measurement Ratio(IEnumerable<Measurement> measurements, string? target = null)
        => measurements.Single(m => m.Name == "done-ratio" && m.Target == target);

    // Seed 004 (tests/fixtures/checklists): by hand, 20 ticked and 6 open task items (all six under "Phase 3: 배포 준비 ⏳",
    // lines 27 to 32), and 9 table rows whose status cell is ✅ (5 response-time targets, 4 load-test scenarios); the
    // "# API 설정" lines are inside ```bash fences and are not headings. The report called itself ready.
    [Fact]
    public async Task Seed_004s_open_phase_3_is_a_no_go_with_every_open_item_on_its_line()
    {
        var report = await Evaluate(o => o.Files.Add(Fixtures.Checklist("seed-004-deployment-checklist.md")));
        var gate = report.Gates[0];

        Assert.Equal(ReleaseDecision.NoGo, report.Decision);
        Assert.Equal((35, 29, 6), ((int)gate.Measurements.Single(m => m.Name == "total").Value, (int)gate.Measurements.Single(m => m.Name == "done").Value, (int)gate.Measurements.Single(m => m.Name == "open").Value));
        Assert.Equal(GateStatus.Failed, Ratio(gate.Measurements).Status);
        var open = gate.Findings.Where(f => f.Code == "checklist.open").ToList();
        Assert.Equal([27, 28, 29, 30, 31, 32], open.Select(f => f.Line!.Value));
        Assert.All(open, f => Assert.Equal("seed-004-deployment-checklist.md", Path.GetFileName(f.Target)));
        Assert.Contains("'프로덕션 환경 설정' (under 'Phase 3: 배포 준비 ⏳')", open[0].Message, StringComparison.Ordinal);
    }

    // Seed 003 claims "Tier 2: 85 % 완료" and "Tier 3: 60 % 완료". Its tables say otherwise: Tier 1 has 11 rows, all ✅;
    // Tier 2 has 3 🟢 and 3 🟡 (partial), so 3 of 6; Tier 3 has 3 🟡 and 1 ⚪, so 0 of 4.
    [Fact]
    public async Task Seed_003s_tiers_are_judged_by_what_their_tables_hold_not_by_their_titles()
    {
        var report = await Evaluate(o =>
        {
            o.Files.Add(Fixtures.Checklist("seed-003-readiness-report.md"));
            o.Groups["*Tier 1*"] = 1.0;
            o.Groups["*Tier 2*"] = 0.85;
            o.Groups["*Tier 3*"] = 0.60;
        });
        var gate = report.Gates[0];

        var tiers = gate.Measurements.Where(m => m.Name == "done-ratio" && m.Target is not null).ToDictionary(m => m.Target![..m.Target!.IndexOf(':', StringComparison.Ordinal)]);
        Assert.Equal((1.0, GateStatus.Passed), (tiers["🔵 Tier 1"].Value, tiers["🔵 Tier 1"].Status));
        Assert.Equal((0.5, GateStatus.Failed), (tiers["🟢 Tier 2"].Value, tiers["🟢 Tier 2"].Status));
        Assert.Equal((0.0, GateStatus.Failed), (tiers["🟡 Tier 3"].Value, tiers["🟡 Tier 3"].Status));
        Assert.DoesNotContain(gate.Measurements, m => m.Name == "done-ratio" && m.Target is null && m.Condition is not null);
        Assert.Equal(ReleaseDecision.NoGo, report.Decision);
        Assert.Contains("🟢 Tier 2: 권장 사항 (85% 완료): 3 of 6", gate.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Passes_when_every_item_is_done()
    {
        var result = Judge("""
            ## Go conditions
            - [x] Coverage at least 85 %
            - [x] E2E suite green
            """);
        Assert.Equal(GateStatus.Passed, result.Status);
        Assert.Equal(1.0, Ratio(result.Measurements).Value);
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void A_ticked_item_with_an_open_sub_item_is_open_up_every_level()
    {
        var result = Judge("""
            - [x] Release
              - [x] Backend
                - [ ] Migrations reviewed
              - [x] Frontend
            """);
        Assert.Equal(GateStatus.Failed, result.Status);
        Assert.Equal(0.25, Ratio(result.Measurements).Value);
        Assert.Equal([("checklist.open-children", 1), ("checklist.open-children", 2), ("checklist.open", 3)], result.Findings.Select(f => (f.Code, f.Line!.Value)));
    }

    [Fact]
    public void A_stale_or_future_sign_off_counts_as_open()
    {
        var markdown = """
            - [x] Load test @alice 2026-11-30
            - [x] Security review @bob 2026-10-01
            - [x] Restore drill @carol 2026-12-09
            - [x] Runbook reviewed, no date
            """;
        var result = Judge(markdown, o => o.MaximumSignOffAge = TimeSpan.FromDays(30));
        Assert.Equal(["checklist.stale", "checklist.future-sign-off"], result.Findings.Select(f => f.Code));
        Assert.Contains("signed off on 2026-10-01, more than 30 days ago", result.Findings[0].Message, StringComparison.Ordinal);
        Assert.Equal(0.5, Ratio(result.Measurements).Value);

        Assert.Equal(GateStatus.Failed, Judge(markdown).Status); // the future date counts against it without an age limit too
    }

    [Fact]
    public void Sign_off_and_evidence_can_be_required()
    {
        var markdown = """
            - [x] Load test @alice 2026-11-30 [k6 report](https://ci.example.com/1)
            - [x] Security review @bob 2026-11-29
            - [x] Restore drill
            """;
        var signed = Judge(markdown, o => o.RequireSignOff = true);
        Assert.Equal([("checklist.unsigned", 3)], signed.Findings.Select(f => (f.Code, f.Line!.Value)));

        var evidenced = Judge(markdown, o => { o.RequireSignOff = true; o.RequireEvidence = true; });
        Assert.Equal(["checklist.no-evidence", "checklist.unsigned"], evidenced.Findings.Select(f => f.Code));
        Assert.Equal(1.0 / 3, Ratio(evidenced.Measurements).Value, 12);
    }

    [Fact]
    public void A_required_item_must_exist_and_be_done_whatever_the_share()
    {
        var result = Judge("""
            - [x] Unit tests
            - [ ] Database migration rehearsed
            - [x] Smoke tests
            """, o =>
        {
            o.MinimumDone = 0.5;
            o.RequiredItems.Add("*migration*");
            o.RequiredItems.Add("Rollback plan*");
        });

        Assert.Equal(GateStatus.Failed, result.Status);
        Assert.Equal(GateStatus.Passed, Ratio(result.Measurements).Status);
        var errors = result.Findings.Where(f => f.Severity == FindingSeverity.Error).ToList();
        Assert.Equal(["checklist.required-open", "checklist.required-missing"], errors.Select(f => f.Code));
        Assert.Equal(2, errors[0].Line);
        Assert.Contains("'Rollback plan*'", errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_group_that_matches_no_heading_with_items_is_a_failure()
    {
        var result = Judge("""
            ## Phase 1
            - [x] Build
            ## Phase 2
            """, o => { o.Groups["Phase 1"] = 1; o.Groups["Phase 2"] = 1; });
        Assert.Equal(GateStatus.Failed, result.Status);
        Assert.Equal("checklist.group-missing", Assert.Single(result.Findings).Code);
        Assert.Equal(GateStatus.Passed, Ratio(result.Measurements, "Phase 1").Status);
    }

    [Fact]
    public void Conditions_in_text_form_hold_the_whole_list()
    {
        var result = Judge("""
            - [x] a
            - [ ] b
            - [ ] c
            """, o => { o.MinimumDone = 0; o.Conditions.Add("open <= 1 warn 0"); });
        Assert.Equal(GateStatus.Failed, result.Status);
        Assert.Equal(2, result.Measurements.Single(m => m.Name == "open").Value);
    }

    [Fact]
    public void No_items_is_never_a_pass()
    {
        var result = Judge("# Release notes\nNothing to tick here.\n");
        Assert.Equal(GateStatus.Failed, result.Status);
        Assert.Equal("checklist.empty", Assert.Single(result.Findings).Code);
    }

    [Fact]
    public async Task Lists_at_most_the_configured_open_items()
    {
        using var folder = Fixtures.CreateTempFolder();
        folder.Write("list.md", string.Concat(Enumerable.Range(1, 5).Select(i => $"- [ ] item {i}\n")));
        var report = await Evaluate(o => { o.BaseDirectory = folder.Path; o.Files.Add("*.md"); o.MaximumOpenListed = 2; });
        Assert.Equal(["checklist.open", "checklist.open", "checklist.more-open"], report.Gates[0].Findings.Select(f => f.Code));
        Assert.Equal("list.md", report.Gates[0].Findings[0].Target);
    }

    [Fact]
    public async Task No_matching_file_is_an_error_naming_the_pattern()
    {
        using var folder = Fixtures.CreateTempFolder();
        var report = await Evaluate(o => { o.BaseDirectory = folder.Path; o.Files.Add("missing/*.md"); });
        Assert.Equal(GateStatus.Error, report.Gates[0].Status);
        Assert.Contains("'missing/*.md'", report.Gates[0].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_options_are_all_reported()
    {
        var ex = Assert.Throws<ReleaseGatesConfigurationException>(() => ReleaseGate.CreateBuilder().AddChecklist("c", o =>
        {
            o.MinimumDone = 85;
            o.Groups["Tier 2"] = 1.5;
            o.MaximumSignOffAge = TimeSpan.Zero;
            o.Conditions.Add("lines >= 3");
        }));
        Assert.Contains("Files must list at least one path", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MinimumDone is a ratio from 0 to 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Groups['Tier 2'] is a ratio from 0 to 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MaximumSignOffAge must be positive and at most 100 years", ex.Message, StringComparison.Ordinal);
        Assert.Contains("lines", ex.Message, StringComparison.Ordinal);
    }
}
