using System.Text.Json.Nodes;
using ReleaseGates.IntegrationTests.Support;
using ReleaseGates.Tests.Support;

namespace ReleaseGates.Cli.Tests;

/// <summary>
/// The tool run twice on the same k6 evidence with a history: the second run resolves <c>p(95) &lt;= +10%</c> against the
/// first by rule, says which run it used, refuses a baseline from another machine, and the same on the real PostgreSQL server.
/// </summary>
[Collection(PostgresDefinition.Name)]
public sealed class HistoryThroughTheToolTests(PostgresServer server) : IDisposable
{
    private readonly Fixtures.TempFolder _folder = Fixtures.CreateTempFolder();

    public void Dispose() => _folder.Dispose();

    private void Config(string version, double p95, string history)
    {
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "tests/fixtures/latency/k6-summary-export.json")))!;
        summary["metrics"]!["http_req_duration"]!["p(95)"] = p95;
        _folder.Write("summary.json", summary.ToJsonString());
        _folder.Write("releasegates.json", $$"""
            {
              "subject": { "service": "checkout", "version": "{{version}}", "environment": "staging", "branch": "main" },
              {{history}}
              "gates": {
                "api-latency": { "type": "latency", "source": { "k6Summary": "summary.json" }, "conditions": ["p(95) < 2500ms", "p(95) <= +10%"] }
              }
            }
            """);
    }

    private const string Sqlite = """ "history": { "store": "sqlite", "path": ".releasegates/history.db", "baseline": "last passing", "fingerprint": ["cpuModel", "coreCount", "runtimeMajorVersion", "runnerLabel"] }, """;

    [Fact]
    public async Task The_second_run_compares_with_the_first_by_rule_and_says_which_run_it_used()
    {
        Config("1.0.0", 1800, Sqlite);
        var (firstExit, first, _) = await ReleaseGatesTool.RunAsync(_folder.Path, "evaluate");
        Config("1.1.0", 2100, Sqlite);
        var (secondExit, second, _) = await ReleaseGatesTool.RunAsync(_folder.Path, "evaluate", "--json");

        Assert.Contains(".releasegates/history.db as #1", first, StringComparison.Ordinal);
        Assert.Equal(ReleaseExitCodes.NoGo, firstExit); // nothing scored yet: the only gate's comparison is inconclusive
        var report = ReleaseReport.FromJson(second);
        Assert.Equal(ReleaseExitCodes.NoGo, secondExit);
        var relative = report.FindGate("api-latency")!.Measurements.Single(m => m.Condition?.IsRelative == true);
        Assert.Equal((1800.0, GateStatus.Failed), (relative.Baseline!.Value, relative.Status));
        Assert.Equal([(1L, "1.0.0")], report.History!.Baseline.Select(b => (b.Id, b.Subject.Version!)));
        Assert.Equal(2, report.History.RecordedId);
    }

    [Fact]
    public async Task A_baseline_from_another_runner_is_refused_as_inconclusive_with_the_reason()
    {
        Config("1.0.0", 1800, Sqlite);
        await ReleaseGatesTool.RunAsync(_folder.Path, "evaluate", "--runner", "ci-small");
        Config("1.1.0", 2100, Sqlite);
        var (exit, output, _) = await ReleaseGatesTool.RunAsync(_folder.Path, "evaluate", "--runner", "ci-large");

        Assert.Equal(ReleaseExitCodes.NoGo, exit);
        Assert.Contains("ran on another machine (runner label 'ci-small' vs 'ci-large')", output, StringComparison.Ordinal);
        Assert.Contains("p(95) <= +10% (no baseline)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_commands_list_trend_and_invalidate_and_an_invalidated_run_is_never_a_baseline()
    {
        Config("1.0.0", 1800, Sqlite);
        await ReleaseGatesTool.RunAsync(_folder.Path, "evaluate");
        Config("1.1.0", 1900, Sqlite);
        await ReleaseGatesTool.RunAsync(_folder.Path, "evaluate");

        var (_, list, _) = await ReleaseGatesTool.RunAsync(_folder.Path, "history", "list");
        var (_, trend, _) = await ReleaseGatesTool.RunAsync(_folder.Path, "history", "trend", "--service", "checkout", "--environment", "staging",
            "--gate", "api-latency", "--measurement", "p(95)", "--target", "k6 summary summary.json", "--json");
        var (refused, _, why) = await ReleaseGatesTool.RunAsync(_folder.Path, "history", "invalidate", "1");
        var (marked, _, _) = await ReleaseGatesTool.RunAsync(_folder.Path, "history", "invalidate", "1", "--reason", "wrong build", "--by", "ci");
        Config("1.2.0", 1900, Sqlite);
        var (_, third, _) = await ReleaseGatesTool.RunAsync(_folder.Path, "evaluate", "--json");

        Assert.Contains("#2", list, StringComparison.Ordinal);
        Assert.Contains("1.1.0", list, StringComparison.Ordinal);
        Assert.Equal([1900.0, 1800.0], JsonNode.Parse(trend)!.AsArray().Select(p => (double)p!["value"]!));
        Assert.Equal(ReleaseExitCodes.InvalidConfiguration, refused);
        Assert.Contains("with a reason", why, StringComparison.Ordinal);
        Assert.Equal(0, marked);
        Assert.Equal([2L], ReleaseReport.FromJson(third).History!.Baseline.Select(b => b.Id));
    }

    [Fact]
    public async Task Two_tool_processes_recording_at_once_lose_nothing()
    {
        Config("1.0.0", 1800, Sqlite);
        async Task RunThreeAsync()
        {
            for (var i = 0; i < 3; i++)
            {
                var (_, _, error) = await ReleaseGatesTool.RunAsync(_folder.Path, "evaluate", "--baseline-rule", "none");
                Assert.DoesNotContain("history:", error, StringComparison.Ordinal);
            }
        }

        await Task.WhenAll(RunThreeAsync(), RunThreeAsync());
        var (_, list, _) = await ReleaseGatesTool.RunAsync(_folder.Path, "history", "list", "--json");

        Assert.Equal([6L, 5, 4, 3, 2, 1], JsonNode.Parse(list)!.AsArray().Select(e => (long)e!["id"]!));
    }

    [Fact]
    public async Task The_same_holds_on_postgresql_and_the_password_is_never_printed()
    {
        var connection = await server.CreateDatabaseAsync("toolhistory");
        var environment = new Dictionary<string, string?> { ["RG_HISTORY"] = connection };
        const string Postgres = """ "history": { "store": "postgresql", "connectionString": "${RG_HISTORY}", "baseline": "median of 3" }, """;
        Config("1.0.0", 1800, Postgres);
        var (_, first, firstError) = await ReleaseGatesTool.RunAsync(_folder.Path, environment, "evaluate");
        Config("1.1.0", 2100, Postgres);
        var (exit, second, secondError) = await ReleaseGatesTool.RunAsync(_folder.Path, environment, "evaluate", "--json");
        var (_, list, _) = await ReleaseGatesTool.RunAsync(_folder.Path, environment, "history", "list");

        var report = ReleaseReport.FromJson(second);
        Assert.Equal(ReleaseExitCodes.NoGo, exit);
        Assert.Equal(1800.0, report.FindGate("api-latency")!.Measurements.Single(m => m.Condition?.IsRelative == true).Baseline);
        Assert.Equal("median", report.History!.Aggregate);
        Assert.StartsWith("PostgreSQL 127.0.0.1:", report.History.Store, StringComparison.Ordinal);
        Assert.Contains("1.1.0", list, StringComparison.Ordinal);
        var password = new Npgsql.NpgsqlConnectionStringBuilder(connection).Password!;
        Assert.All(new[] { first, firstError, second, secondError, list }, text => Assert.DoesNotContain(password, text, StringComparison.Ordinal));
    }
}
