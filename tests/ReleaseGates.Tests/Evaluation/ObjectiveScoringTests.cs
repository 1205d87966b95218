using static ReleaseGates.Tests.Support.TestGates;

namespace ReleaseGates.Tests.Evaluation;

/// <summary>Keptn's objective scoring (ScoringMethod.Objectives) against the default rule, on seed 001's readiness review.</summary>
public class ObjectiveScoringTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A gate result with <paramref name="passed"/>, <paramref name="warned"/> and <paramref name="failed"/> objectives, each a measurement held to "mN &lt;= 10 warn 5".</summary>
    private static GateResult Objectives(int passed, int warned = 0, int failed = 0)
    {
        var values = Enumerable.Repeat(3.0, passed).Concat(Enumerable.Repeat(7.0, warned)).Concat(Enumerable.Repeat(12.0, failed));
        return GateResult.FromEvidence("objectives", values.Select((v, i) => Measurement.Evaluate($"m{i}", v, MetricUnit.Count, GateCondition.Parse($"m{i} <= 10 warn 5"))).ToArray());
    }

    // Seed 001 averages "infrastructure 95.2, application 92.8, performance 89.5, security 96.7" into 93.6 ≥ 90: APPROVED.
    // As objectives: infrastructure 19 met and 2 warnings of 21 (95.24); application a required gate of 12 objectives, all
    // met, and a recommended one of 2 with one failed, weighted by their objectives (92.86: no count of 14 or fewer
    // objectives gives 92.8); performance 15 met and 4 warnings of 19 (89.47); security 14 and 1 of 15 (96.67). Every
    // category weighs 1, as the seed's plain mean does: (95.24 + 92.86 + 89.47 + 96.67) / 4 = 93.56.
    private static async Task<ReleaseReport> Seed001(ScoringMethod method) => await ReleaseGate.CreateBuilder()
        .Configure(o =>
        {
            o.Scoring.Method = method;
            foreach (var category in new[] { "infrastructure", "application", "performance", "security" })
            {
                o.Scoring.CategoryWeights[category] = 1;
            }
        })
        .AddGate("infrastructure", Returning(Objectives(19, warned: 2)), o => o.Category = "infrastructure")
        .AddGate("application", Returning(Objectives(12)), o => { o.Category = "application"; o.Weight = 12; })
        .AddGate("application-extras", Returning(Objectives(1, failed: 1)), o => { o.Category = "application"; o.Weight = 2; o.Importance = GateImportance.Recommended; })
        .AddGate("performance", Returning(Objectives(15, warned: 4)), o => o.Category = "performance")
        .AddGate("security", Returning(Objectives(14, warned: 1)), o => o.Category = "security")
        .EvaluateAsync(Ct);

    [Fact]
    public async Task Reproduces_seed_001s_arithmetic_and_its_go()
    {
        var report = await Seed001(ScoringMethod.Objectives);
        var categories = report.Categories.ToDictionary(c => c.Category, c => Math.Round(c.Score!.Value, 2));
        Assert.Equal(95.24, categories["infrastructure"]);
        Assert.Equal(92.86, categories["application"]);
        Assert.Equal(89.47, categories["performance"]);
        Assert.Equal(96.67, categories["security"]);
        Assert.Equal(93.6, Math.Round(report.Score!.Value, 1));
        Assert.Equal(ReleaseDecision.Go, report.Decision);
        Assert.Empty(report.Reasons);
    }

    [Fact]
    public async Task The_default_rule_scores_the_same_gates_by_status_and_says_no_go()
    {
        // By status every warning gate is 50 and the failed recommended one 0: (50 + 85.71 + 50 + 50) / 4 = 58.9 < 75.
        var report = await Seed001(ScoringMethod.Status);
        Assert.Equal(58.93, Math.Round(report.Score!.Value, 2));
        Assert.Equal(ReleaseDecision.NoGo, report.Decision);
    }

    [Fact]
    public async Task A_required_gate_that_fails_is_still_no_go_however_high_the_total()
    {
        var report = await ReleaseGate.CreateBuilder()
            .Configure(o => o.Scoring.Method = ScoringMethod.Objectives)
            .AddGate("big", Returning(Objectives(99)), o => o.Weight = 99)
            .AddGate("key", Returning(Objectives(9, failed: 1)))
            .EvaluateAsync(Ct);
        Assert.True(report.Score > 99);
        Assert.Equal(ReleaseDecision.NoGo, report.Decision);
        Assert.Equal(["key"], report.DecidingGates);
    }

    [Fact]
    public async Task Below_the_pass_score_is_go_with_warnings_and_below_the_warning_score_no_go()
    {
        async Task<ReleaseReport> Run(int warned) => await ReleaseGate.CreateBuilder()
            .Configure(o => o.Scoring.Method = ScoringMethod.Objectives)
            .AddGate("g", Returning(Objectives(10 - warned, warned: warned)))
            .EvaluateAsync(Ct);

        Assert.Equal((ReleaseDecision.Go, 90.0), ((await Run(2)).Decision, (await Run(2)).Score!.Value));
        Assert.Equal((ReleaseDecision.GoWithWarnings, 80.0), ((await Run(4)).Decision, (await Run(4)).Score!.Value));
        Assert.Equal((ReleaseDecision.NoGo, 70.0), ((await Run(6)).Decision, (await Run(6)).Score!.Value));
    }

    [Fact]
    public async Task A_gate_failing_on_its_own_judgement_scores_by_its_status_never_by_its_passing_objectives()
    {
        var failedAnyway = new GateResult(GateStatus.Failed, "the vendor API said no", [Measurement.Evaluate("m", 1, MetricUnit.Count, GateCondition.Parse("m <= 10"))], []);
        var report = await ReleaseGate.CreateBuilder()
            .Configure(o => o.Scoring.Method = ScoringMethod.Objectives)
            .AddGate("vendor", Returning(failedAnyway), o => o.Importance = GateImportance.Optional)
            .AddGate("ok", Returning(Objectives(1)))
            .EvaluateAsync(Ct);
        Assert.Equal(50, report.Score);
        Assert.Equal(ReleaseDecision.NoGo, report.Decision);
    }

    [Fact]
    public async Task Findings_are_objectives_too_and_gates_without_any_score_by_status()
    {
        var headers = GateResult.FromEvidence("headers", [], [
            new Finding("hsts.missing", FindingSeverity.Warning, "no HSTS"),
            new Finding("csp.unsafe-inline", FindingSeverity.Warning, "unsafe-inline"),
            new Finding("server.seen", FindingSeverity.Info, "informational"),
        ]);
        var report = await ReleaseGate.CreateBuilder()
            .Configure(o => o.Scoring.Method = ScoringMethod.Objectives)
            .AddGate("headers", Returning(headers), o => o.Category = GateCategories.Security)
            .AddGate("custom", Returning(GateResult.Passed("no evidence")))
            .EvaluateAsync(Ct);
        Assert.Equal([50.0, 100.0], report.Categories.Select(c => c.Score!.Value));
    }

    [Fact]
    public async Task Tiers_are_scored_beside_categories_and_survive_json_and_replay()
    {
        var report = await Seed001(ScoringMethod.Objectives);
        Assert.Equal([GateImportance.Required, GateImportance.Recommended], report.Importances.Select(i => i.Importance));
        Assert.Equal(50, report.Importances[1].Score);
        Assert.Equal(4, report.Importances[0].Gates);

        var again = ReleaseReport.FromJson(report.ToJson());
        Assert.Equal(ScoringMethod.Objectives, again.Scoring.Method);
        Assert.Equal(report.Importances, again.Importances);
        var replayed = again.Replay();
        Assert.Equal((report.Decision, report.Score), (replayed.Decision, replayed.Score));
        var byStatus = new ScoringOptions { Method = ScoringMethod.Status };
        foreach (var (category, weight) in again.Scoring.CategoryWeights)
        {
            byStatus.CategoryWeights[category] = weight;
        }

        Assert.Equal(ReleaseDecision.NoGo, again.Replay(byStatus).Decision);
        Assert.Contains("| Importance | Score | Gates |", report.ToMarkdown(), StringComparison.Ordinal);
        Assert.Contains("Importance scores: Required", report.ToText(), StringComparison.Ordinal);
    }
}
