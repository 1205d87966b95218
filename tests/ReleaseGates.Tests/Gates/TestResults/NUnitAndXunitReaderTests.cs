using ReleaseGates.Tests.Support;

namespace ReleaseGates.Tests.Gates.TestResults;

/// <summary>NUnit 3 and xUnit v2 files as the frameworks write them, cut down to what each test needs.</summary>
public sealed class NUnitAndXunitReaderTests : IDisposable
{
    private readonly Fixtures.TempFolder _folder = Fixtures.CreateTempFolder();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    private async Task<GateReport> EvaluateAsync(string xml, Action<TestResultsGateOptions>? configure = null)
    {
        _folder.Write("results.xml", xml);
        var report = await ReleaseGate.CreateBuilder().AddTestResults("tests", o =>
        {
            o.Files.Add(Path.Combine(_folder.Path, "results.xml"));
            configure?.Invoke(o);
        }).EvaluateAsync(Ct);
        return report.Gates[0];
    }

    private static double Value(GateReport gate, string metric) => gate.Measurements.Single(m => m.Name == metric).Value;

    [Fact]
    public async Task Nunit_errors_are_told_from_failures_and_warnings_pass()
    {
        var gate = await EvaluateAsync("""
            <test-run id="0" result="Failed" total="5" passed="1" failed="3" warnings="1" inconclusive="0" skipped="0">
              <test-suite type="TestFixture" fullname="Shop.CartTests" result="Failed" site="Child">
                <test-case fullname="Shop.CartTests.Adds" result="Passed" duration="0.01" />
                <test-case fullname="Shop.CartTests.Totals" result="Failed"><failure><message>Expected: 3 But was: 2</message></failure></test-case>
                <test-case fullname="Shop.CartTests.Throws" result="Failed" label="Error"><failure><message>System.Exception : boom</message></failure></test-case>
                <test-case fullname="Shop.CartTests.Slow" result="Failed" label="Test exceeded Timeout value of 10ms"><failure /></test-case>
                <test-case fullname="Shop.CartTests.Warns" result="Warning" />
              </test-suite>
            </test-run>
            """);

        Assert.Equal(GateStatus.Failed, gate.Status);
        Assert.Equal(2, Value(gate, "passed"));
        Assert.Equal(3, Value(gate, "failed"));
        Assert.Single(gate.Findings, f => f.Code == "test.failed" && f.Message.StartsWith("Shop.CartTests.Totals: Expected: 3", StringComparison.Ordinal));
        Assert.Equal(2, gate.Findings.Count(f => f.Code == "test.error"));
        Assert.Contains(gate.Findings, f => f.Code == "test.error" && f.Message.Contains("Timeout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_suite_that_failed_before_any_test_ran_fails_the_run_even_when_no_test_failed()
    {
        var gate = await EvaluateAsync("""
            <test-run id="0" result="Failed" total="1" passed="1" failed="0">
              <test-suite type="Assembly" fullname="Shop.Tests.dll" result="Failed" site="Child">
                <test-suite type="TestFixture" fullname="Shop.PassingTests" result="Passed"><test-case fullname="Shop.PassingTests.A" result="Passed" /></test-suite>
                <test-suite type="SetUpFixture" fullname="Shop.Database" result="Failed" site="SetUp" label="Error"><failure><message>no database</message></failure></test-suite>
              </test-suite>
            </test-run>
            """);

        Assert.Equal(GateStatus.Failed, gate.Status);
        var finding = Assert.Single(gate.Findings, f => f.Code == "run.failed");
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Contains("SetUpFixture Shop.Database: Error", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_nunit_2_file_is_refused_with_what_to_write_instead()
    {
        var gate = await EvaluateAsync("""<test-results name="Shop.Tests.dll" total="1"><test-suite name="x" /></test-results>""");
        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.Contains("an NUnit 2 result file (<test-results>), which is not read", gate.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Xunit_counts_every_test_of_every_collection_and_an_error_outside_tests_fails_the_run()
    {
        var gate = await EvaluateAsync("""
            <assemblies>
              <assembly name="Shop.Tests.dll" total="4" passed="2" failed="1" skipped="1" errors="1">
                <errors>
                  <error type="test-class-cleanup" name="Shop.CartTests"><failure exception-type="System.InvalidOperationException"><message>cleanup failed</message></failure></error>
                </errors>
                <collection name="Test collection for Shop.CartTests" total="3">
                  <test name="Shop.CartTests.Adds" result="Pass" time="0.01" />
                  <test name="Shop.CartTests.Totals(n: 3)" result="Fail"><failure><message>Assert.Equal() Failure</message></failure></test>
                  <test name="Shop.CartTests.Later" result="Skip"><reason><![CDATA[not today]]></reason></test>
                </collection>
                <collection name="Test collection for Shop.PriceTests" total="1">
                  <test name="Shop.PriceTests.Rounds" result="Pass" />
                </collection>
              </assembly>
            </assemblies>
            """, o => o.MaximumFailed = 1);

        Assert.Equal(4, Value(gate, "total"));
        Assert.Equal(2, Value(gate, "passed"));
        Assert.Equal(1, Value(gate, "failed"));
        Assert.Equal(1, Value(gate, "skipped"));
        // One failure is allowed, but the class clean-up that threw is not a test to allow: the run failed.
        Assert.Equal(GateStatus.Failed, gate.Status);
        Assert.Contains(gate.Findings, f => f.Code == "run.failed" && f.Severity == FindingSeverity.Error
            && f.Message == "Outside any test: test-class-cleanup Shop.CartTests: cleanup failed");
    }

    [Fact]
    public async Task An_unknown_result_and_a_broken_file_are_errors_naming_the_line()
    {
        var unknown = await EvaluateAsync("<assemblies><assembly total=\"1\">\n<collection>\n<test name=\"A\" result=\"Maybe\" /></collection></assembly></assemblies>");
        Assert.Equal(GateStatus.Error, unknown.Status);
        Assert.Contains("results.xml, line 3", unknown.Summary, StringComparison.Ordinal);
        Assert.Contains("the test 'A' has the result 'Maybe'; xUnit v2 writes Pass, Fail, Skip or NotRun", unknown.Summary, StringComparison.Ordinal);

        var broken = await EvaluateAsync("<test-run result=\"Passed\">\n<test-suite>\n<test-case fullname=\"A\" result=\"Passed\">");
        Assert.Equal(GateStatus.Error, broken.Status);
        Assert.Contains("malformed XML", broken.Summary, StringComparison.Ordinal);

        var other = await EvaluateAsync("<coverage line-rate=\"1\" />");
        Assert.Contains("TRX (<TestRun>), NUnit 3 (<test-run>), xUnit v2 (<assemblies>) or JUnit XML", other.Summary, StringComparison.Ordinal);
    }
}
