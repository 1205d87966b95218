using static ReleaseGates.Tests.Support.TestGates;

namespace ReleaseGates.Tests.Evaluation;

public class ReleaseScoringTests
{
    private static readonly ScoringOptions Defaults = new();

    [Fact]
    public void All_passed_is_go_with_score_100()
    {
        var outcome = ReleaseScoring.Decide([Report("a", GateStatus.Passed), Report("b", GateStatus.Passed, category: "security")], Defaults);
        Assert.Equal(ReleaseDecision.Go, outcome.Decision);
        Assert.Equal(100, outcome.Score);
        Assert.Empty(outcome.Reasons);
        Assert.Empty(outcome.DecidingGates);
    }

    [Theory]
    [InlineData(GateStatus.Failed)]
    [InlineData(GateStatus.Error)]
    public void Required_gate_failed_or_errored_is_no_go_whatever_the_score(GateStatus status)
    {
        var gates = Enumerable.Range(0, 20).Select(i => Report("ok" + i, GateStatus.Passed)).Append(Report("db", status)).ToArray();
        var outcome = ReleaseScoring.Decide(gates, Defaults);
        Assert.True(outcome.Score > 90);
        Assert.Equal(ReleaseDecision.NoGo, outcome.Decision);
        Assert.Equal(["db"], outcome.DecidingGates);
        Assert.Contains(outcome.Reasons, r => r.Contains("Required gate 'db'", StringComparison.Ordinal));
    }

    [Fact]
    public void Score_below_warning_score_is_no_go_even_without_required_failures()
    {
        // 2 passed, 2 optional failed: score 50 < 75.
        var outcome = ReleaseScoring.Decide(
            [Report("a", GateStatus.Passed), Report("b", GateStatus.Passed), Report("c", GateStatus.Failed, GateImportance.Optional), Report("d", GateStatus.Failed, GateImportance.Recommended)],
            Defaults);
        Assert.Equal(50, outcome.Score);
        Assert.Equal(ReleaseDecision.NoGo, outcome.Decision);
        Assert.Equal(["c", "d"], outcome.DecidingGates);
    }

    [Fact]
    public void Score_below_pass_score_is_go_with_warnings()
    {
        // 4 passed + 1 warning: (400 + 50) / 5 = 90 -> not below 90; 3 passed + 1 warning: 350/4 = 87.5.
        var outcome = ReleaseScoring.Decide([Report("a", GateStatus.Passed), Report("b", GateStatus.Passed), Report("c", GateStatus.Passed), Report("w", GateStatus.Warning)], Defaults);
        Assert.Equal(87.5, outcome.Score);
        Assert.Equal(ReleaseDecision.GoWithWarnings, outcome.Decision);
        Assert.Contains(outcome.Reasons, r => r.Contains("below the pass score", StringComparison.Ordinal));
    }

    [Fact]
    public void Any_warning_is_go_with_warnings_even_at_a_high_score()
    {
        var gates = Enumerable.Range(0, 9).Select(i => Report("ok" + i, GateStatus.Passed)).Append(Report("w", GateStatus.Warning)).ToArray();
        var outcome = ReleaseScoring.Decide(gates, Defaults);
        Assert.Equal(95, outcome.Score);
        Assert.Equal(ReleaseDecision.GoWithWarnings, outcome.Decision);
        Assert.Equal(["w"], outcome.DecidingGates);
    }

    [Fact]
    public void Non_required_failure_is_go_with_warnings_when_the_score_holds()
    {
        var gates = Enumerable.Range(0, 19).Select(i => Report("ok" + i, GateStatus.Passed)).Append(Report("opt", GateStatus.Failed, GateImportance.Optional)).ToArray();
        var outcome = ReleaseScoring.Decide(gates, Defaults);
        Assert.Equal(95, outcome.Score);
        Assert.Equal(ReleaseDecision.GoWithWarnings, outcome.Decision);
        Assert.Equal(["opt"], outcome.DecidingGates);
    }

    [Fact]
    public void Skipped_and_report_only_gates_are_not_scored_and_never_decide()
    {
        var outcome = ReleaseScoring.Decide(
            [Report("a", GateStatus.Passed), Report("dry", GateStatus.Failed, reportOnly: true), Report("nodata", GateStatus.Skipped, GateImportance.Optional)],
            Defaults);
        Assert.Equal(100, outcome.Score);
        Assert.Equal(ReleaseDecision.Go, outcome.Decision);
    }

    [Fact]
    public void Required_gate_without_data_is_not_a_clean_go()
    {
        var outcome = ReleaseScoring.Decide([Report("a", GateStatus.Passed), Report("latency", GateStatus.Skipped)], Defaults);
        Assert.Equal(ReleaseDecision.GoWithWarnings, outcome.Decision);
        Assert.Contains(outcome.Reasons, r => r.Contains("inconclusive", StringComparison.Ordinal));
    }

    [Fact]
    public void Nothing_scored_is_no_go()
    {
        var outcome = ReleaseScoring.Decide([Report("s", GateStatus.Skipped, GateImportance.Optional)], Defaults);
        Assert.Null(outcome.Score);
        Assert.Equal(ReleaseDecision.NoGo, outcome.Decision);
        var empty = ReleaseScoring.Decide([], Defaults);
        Assert.Equal(ReleaseDecision.NoGo, empty.Decision);
    }

    [Fact]
    public void Categories_are_weighted_means_and_overall_weighs_categories_by_their_gate_weights()
    {
        var gates = new[]
        {
            Report("cov", GateStatus.Passed, GateImportance.Optional, "quality", weight: 3),
            Report("tests", GateStatus.Failed, GateImportance.Optional, "quality", weight: 1),
            Report("lat", GateStatus.Warning, GateImportance.Optional, "performance", weight: 2),
        };
        var outcome = ReleaseScoring.Decide(gates, Defaults);
        Assert.Equal(75, outcome.Categories.Single(c => c.Category == "quality").Score);
        Assert.Equal(50, outcome.Categories.Single(c => c.Category == "performance").Score);
        Assert.Equal((300 + 0 + 100) / 6.0, outcome.Score!.Value, 10);
    }

    [Fact]
    public void Category_weights_override_gate_weight_sums()
    {
        var options = new ScoringOptions();
        options.CategoryWeights["quality"] = 1;
        options.CategoryWeights["performance"] = 1;
        var gates = new[] { Report("cov", GateStatus.Passed, category: "quality", weight: 9), Report("lat", GateStatus.Warning, category: "performance") };
        var outcome = ReleaseScoring.Decide(gates, options);
        Assert.Equal(75, outcome.Score);
    }

    [Fact]
    public void Warning_gate_score_is_configurable()
    {
        var options = new ScoringOptions { WarningGateScore = 80 };
        var outcome = ReleaseScoring.Decide([Report("a", GateStatus.Warning)], options);
        Assert.Equal(80, outcome.Score);
    }
}
