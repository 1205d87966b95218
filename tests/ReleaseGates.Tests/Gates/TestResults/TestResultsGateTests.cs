using ReleaseGates.Tests.Support;

namespace ReleaseGates.Tests.Gates.TestResults;

public class TestResultsGateTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<GateReport> Evaluate(Action<TestResultsGateOptions> configure)
    {
        var report = await ReleaseGate.CreateBuilder().AddTestResults("tests", configure).EvaluateAsync(Ct);
        return report.Gates[0];
    }

    private static double Value(GateReport gate, string metric) => gate.Measurements.Single(m => m.Name == metric).Value;

    // Expected figures derived by hand from each fixture: count the <UnitTestResult> (TRX) or <testcase> (JUnit) elements
    // and their outcome attribute / failure, error and skipped children; ignore elements inside XML comments.
    [Theory]
    [InlineData("dotnet-vstest.trx", 11, 10, 5, 5, 1)]       // Counters total=11 executed=10 passed=5 failed=5; 1 NotExecuted
    [InlineData("dotnet-xunitv3.trx", 4, 4, 1, 3, 0)]        // xunit v3 / MTP, BOM; Counters total=4 passed=1 failed=3
    [InlineData("silentnotes.trx", 79, 67, 67, 0, 12)]       // 67 Passed, 12 NotExecuted; run outcome Completed
    [InlineData("junit4-complete.xml", 8, 7, 5, 2, 1)]       // 8 testcases (a 9th "<testcase>" is in a comment): 1 failure, 1 error, 1 skipped
    [InlineData("pytest-junit.xml", 10, 8, 6, 2, 2)]         // tests="15" but 10 testcase elements: 2 failure, 2 skipped
    [InlineData("empty-junit.xml", 0, 0, 0, 0, 0)]
    [InlineData("nunit3-console-dotnet.xml", 9, 8, 3, 5, 1)]    // NUnit's header: total 9 passed 3 failed 5 (3 of them errors) skipped 1
    [InlineData("nunit3-mock-assembly.xml", 18, 14, 12, 2, 4)]  // header: passed 12 failed 2 skipped 3 inconclusive 1 (our skipped)
    public async Task Counts_every_fixture_as_derived_by_hand(string file, int total, int executed, int passed, int failed, int skipped)
    {
        var gate = await Evaluate(o => o.Files.Add(Fixtures.TestResults(file)));
        Assert.Equal(total, Value(gate, "total"));
        Assert.Equal(executed, Value(gate, "executed"));
        Assert.Equal(passed, Value(gate, "passed"));
        Assert.Equal(failed, Value(gate, "failed"));
        Assert.Equal(skipped, Value(gate, "skipped"));
    }

    [Fact]
    public async Task Passes_when_every_executed_test_passed()
    {
        var gate = await Evaluate(o => o.Files.Add(Fixtures.TestResults("silentnotes.trx")));
        Assert.Equal(GateStatus.Passed, gate.Status);
        Assert.Contains("67 of 67 tests passed", gate.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ten_of_twelve_integration_tests_is_no_go()
    {
        using var folder = Fixtures.CreateTempFolder();
        var cases = string.Concat(Enumerable.Range(1, 12).Select(i => i <= 10
            ? $"<testcase classname=\"Integration\" name=\"Scenario{i}\" time=\"0.1\"/>"
            : $"<testcase classname=\"Integration\" name=\"Scenario{i}\" time=\"0.1\"><failure message=\"expected 200, got 500\">stack</failure></testcase>"));
        folder.Write("integration.xml", $"<testsuites><testsuite name=\"integration\" tests=\"12\">{cases}</testsuite></testsuites>");

        var report = await ReleaseGate.CreateBuilder().AddTestResults("integration", o => o.Files.Add(Path.Combine(folder.Path, "*.xml"))).EvaluateAsync(Ct);
        var gate = report.Gates[0];
        Assert.Equal(GateStatus.Failed, gate.Status);
        Assert.Equal(ReleaseDecision.NoGo, report.Decision);
        Assert.Equal(2, gate.Findings.Count(f => f.Code == "test.failed"));
        Assert.Contains(gate.Findings, f => f.Message == "Integration.Scenario11: expected 200, got 500");
    }

    [Fact]
    public async Task Failing_tests_are_listed_with_truncated_messages()
    {
        var gate = await Evaluate(o => { o.Files.Add(Fixtures.TestResults("dotnet-vstest.trx")); o.MaximumMessageLength = 40; o.MaximumFailuresListed = 3; });
        Assert.Equal(GateStatus.Failed, gate.Status);
        var listed = gate.Findings.Where(f => f.Code is "test.failed" or "test.error").ToList();
        Assert.Equal(3, listed.Count);
        Assert.All(listed, f => Assert.True(f.Message.Length <= 40 + 120, f.Message));
        Assert.Contains(gate.Findings, f => f.Code == "test.more-failures" && f.Message.StartsWith("2 more", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_tests_is_never_a_pass()
    {
        var gate = await Evaluate(o => { o.Files.Add(Fixtures.TestResults("empty-junit.xml")); o.MinimumPassRate = 0.9; });
        Assert.Equal(GateStatus.Failed, gate.Status);
        Assert.Contains("No tests ran", gate.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_files_are_merged_and_suites_selected_by_glob()
    {
        var gate = await Evaluate(o =>
        {
            o.BaseDirectory = Path.Combine(Fixtures.Root, "test-results");
            o.Files.Add("*.xml");
            o.Suites.Add("pytest*");
            o.MaximumFailed = 2;
        });
        Assert.Equal(10, Value(gate, "total"));
        Assert.Equal(GateStatus.Passed, gate.Status);
    }

    [Fact]
    public async Task Attribute_counts_that_disagree_with_the_contents_are_reported()
    {
        var gate = await Evaluate(o => { o.Files.Add(Fixtures.TestResults("pytest-junit.xml")); o.MaximumFailed = 5; });
        Assert.Contains(gate.Findings, f => f.Code == "results.count-mismatch" && f.Message.Contains("say 15 tests", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("pass-rate >= 75%", GateStatus.Passed)]
    [InlineData("pass-rate >= 76%", GateStatus.Failed)]
    [InlineData("skipped <= 1", GateStatus.Failed)]
    [InlineData("total >= 10 warn 20", GateStatus.Warning)]
    public async Task Text_conditions_hold_on_either_side_of_the_threshold(string condition, GateStatus expected)
    {
        // pytest fixture: 6 of 8 executed passed = 75 %, 2 skipped, 10 total.
        var gate = await Evaluate(o => { o.Files.Add(Fixtures.TestResults("pytest-junit.xml")); o.MaximumFailed = 2; o.Conditions.Add(condition); });
        Assert.Equal(expected, gate.Status);
    }

    [Theory]
    [InlineData(TestRetryPolicy.EveryAttempt, GateStatus.Failed)]
    [InlineData(TestRetryPolicy.AnyAttemptPasses, GateStatus.Passed)]
    [InlineData(TestRetryPolicy.AnyAttemptFails, GateStatus.Failed)]
    public async Task Retried_tests_count_by_the_chosen_policy(TestRetryPolicy policy, GateStatus expected)
    {
        using var folder = Fixtures.CreateTempFolder();
        folder.Write("a.xml", "<testsuite name=\"s\"><testcase classname=\"C\" name=\"Flaky\"><failure message=\"timeout\"/></testcase><testcase classname=\"C\" name=\"Stable\"/></testsuite>");
        folder.Write("b.xml", "<testsuite name=\"s\"><testcase classname=\"C\" name=\"Flaky\"/></testsuite>");
        var gate = await Evaluate(o => { o.Files.Add(Path.Combine(folder.Path, "*.xml")); o.RetryPolicy = policy; });
        Assert.Equal(expected, gate.Status);
    }

    [Fact]
    public async Task A_glob_that_matches_nothing_is_an_error()
    {
        var gate = await Evaluate(o => o.Files.Add("/nonexistent-releasegates/**/*.trx"));
        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.Contains("No test result files match", gate.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<testsuite name=\"s\"><testcase name=\"a\">", "line 1")]
    [InlineData("<html><body/></html>", "not a test results file this gate reads")]
    [InlineData("", "empty")]
    [InlineData("<!DOCTYPE testsuite [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><testsuite name=\"&x;\"><testcase name=\"a\"/></testsuite>", "bad.xml")]
    public async Task Bad_files_are_errors_naming_the_file(string content, string expected)
    {
        using var folder = Fixtures.CreateTempFolder();
        var path = folder.Write("bad.xml", content);
        var gate = await Evaluate(o => o.Files.Add(path));
        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.Contains("bad.xml", gate.Summary, StringComparison.Ordinal);
        Assert.Contains(expected, gate.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_options_are_all_listed_at_registration()
    {
        var ex = Assert.Throws<ReleaseGatesConfigurationException>(() => ReleaseGate.CreateBuilder().AddTestResults("t", o =>
        {
            o.MinimumPassRate = 98;
            o.MaximumFailed = -1;
            o.Conditions.Add("coverage >= 90%");
            o.Conditions.Add("failed <<= 0");
        }));
        Assert.Equal(5, ex.Problems.Count);
        Assert.Contains(ex.Problems, p => p.Contains("Files", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("column", StringComparison.Ordinal));
    }
}
