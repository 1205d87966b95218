using System.Text.Json;
using static ReleaseGates.Tests.Support.TestGates;

namespace ReleaseGates.Tests.Reporting;

/// <summary>
/// The GitLab Code Quality report against GitLab's documented rules: a JSON array of issues, each with a description, a
/// check name, a fingerprint unique in the report and stable across runs, a severity of info, minor, major, critical or
/// blocker, and a location with a path and a begin line.
/// </summary>
public class GitLabCodeQualityTests
{
    private static readonly string[] Severities = ["info", "minor", "major", "critical", "blocker"];

    private static Task<ReleaseReport> EvaluateAsync(double p95) => ReleaseGate.CreateBuilder()
        .AddGate("latency", Returning(LatencyResult(p95)))
        .AddGate("checklist", Returning(GateResult.FromEvidence("2 open", [],
        [
            new Finding("checklist.required-open", FindingSeverity.Error, "'Rollback' is open") { Target = "docs/CHECKLIST.md", Line = 9 },
            new Finding("checklist.required-open", FindingSeverity.Error, "'Rollback' is open") { Target = "docs/CHECKLIST.md", Line = 9 },
            new Finding("checklist.open", FindingSeverity.Info, "ignored") { Target = "docs/CHECKLIST.md", Line = 3 },
        ])), o => o.Importance = GateImportance.Recommended)
        .AddGate("broken", (_, _) => throw new InvalidOperationException("boom"))
        .AddGate("shown", Returning(GateResult.Failed("report-only")), o => o.ReportOnly = true)
        .EvaluateAsync(TestContext.Current.CancellationToken);

    [Fact]
    public async Task Every_issue_follows_gitlabs_documented_format()
    {
        using var json = JsonDocument.Parse((await EvaluateAsync(450)).ToGitLabCodeQuality("ci/releasegates.json"));

        var issues = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(4, issues.Count);   // p(95), two findings on one line, the errored gate; not the info, not the report-only gate
        foreach (var issue in issues)
        {
            Assert.Equal(["check_name", "description", "fingerprint", "location", "severity"], issue.EnumerateObject().Select(p => p.Name).Order());
            Assert.False(string.IsNullOrWhiteSpace(issue.GetProperty("description").GetString()));
            Assert.Contains(issue.GetProperty("severity").GetString(), Severities);
            var location = issue.GetProperty("location");
            Assert.False(string.IsNullOrWhiteSpace(location.GetProperty("path").GetString()));
            Assert.True(location.GetProperty("lines").GetProperty("begin").GetInt32() >= 1);
        }

        Assert.Equal(issues.Count, issues.Select(i => i.GetProperty("fingerprint").GetString()).Distinct().Count());
        var finding = issues.First(i => i.GetProperty("check_name").GetString() == "release-gates/checklist.required-open");
        Assert.Equal("docs/CHECKLIST.md", finding.GetProperty("location").GetProperty("path").GetString());
        Assert.Equal(9, finding.GetProperty("location").GetProperty("lines").GetProperty("begin").GetInt32());
        Assert.Equal("major", finding.GetProperty("severity").GetString());
        var latency = issues.First(i => i.GetProperty("check_name").GetString()!.EndsWith("/p(95)", StringComparison.Ordinal));
        Assert.Equal("ci/releasegates.json", latency.GetProperty("location").GetProperty("path").GetString());
        Assert.Equal("critical", latency.GetProperty("severity").GetString());
    }

    [Fact]
    public async Task Fingerprints_stay_the_same_when_only_the_values_change()
    {
        static IEnumerable<string?> Fingerprints(string json)
            => JsonDocument.Parse(json).RootElement.EnumerateArray().Select(i => i.GetProperty("fingerprint").GetString());

        var first = Fingerprints((await EvaluateAsync(450)).ToGitLabCodeQuality());
        var second = Fingerprints((await EvaluateAsync(900)).ToGitLabCodeQuality());

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task A_go_is_an_empty_array()
    {
        var report = await ReleaseGate.CreateBuilder().AddGate("latency", Returning(LatencyResult(100))).EvaluateAsync(TestContext.Current.CancellationToken);

        Assert.Equal("[]", report.ToGitLabCodeQuality());
    }
}
