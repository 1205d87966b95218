namespace ReleaseGates.Tests.Gates.TestResults;

/// <summary>The test-results verdict as a pure function of the cases read and the options.</summary>
public class TestResultsJudgeTests
{
    private static TestCaseResult Case(string name, TestCaseOutcome outcome) => new("suite", name, outcome, TimeSpan.FromMilliseconds(3), null, "results.trx");

    private static GateResult Judge(IReadOnlyList<TestCaseResult> cases, Action<TestResultsGateOptions>? configure = null)
    {
        var options = new TestResultsGateOptions();
        configure?.Invoke(options);
        return TestResultsGate.Judge(cases, [], "results.trx", options);
    }

    [Fact]
    public void Fails_when_a_test_failed()
        => Assert.Equal(GateStatus.Failed, Judge([Case("a", TestCaseOutcome.Passed), Case("b", TestCaseOutcome.Failed)]).Status);

    [Fact]
    public void Passes_when_every_executed_test_passed()
        => Assert.Equal(GateStatus.Passed, Judge([Case("a", TestCaseOutcome.Passed), Case("b", TestCaseOutcome.Passed)]).Status);

    [Fact]
    public void A_pass_rate_with_no_executed_test_is_not_a_pass()
        => Assert.NotEqual(GateStatus.Passed, Judge([Case("a", TestCaseOutcome.Skipped)], o => o.MinimumPassRate = 0.95).Status);
}
