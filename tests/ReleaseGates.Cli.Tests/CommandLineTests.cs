using ReleaseGates.Tests.Support;

namespace ReleaseGates.Cli.Tests;

/// <summary>Every command and every exit code of release-gates, run as a process over real coverage and TRX files.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly Fixtures.TempFolder _folder = Fixtures.CreateTempFolder();

    public CommandLineTests()
    {
        // sample-coverlet.cobertura.xml: line 44.78 %; dotnet-vstest.trx: a run with failures.
        File.Copy(Fixtures.Coverage("sample-coverlet.cobertura.xml"), Path.Combine(_folder.Path, "coverage.xml"));
        File.Copy(Fixtures.TestResults("dotnet-vstest.trx"), Path.Combine(_folder.Path, "tests.trx"));
    }

    public void Dispose() => _folder.Dispose();

    private string Config(string gates, string scoring = """{ "passScore": 90, "warningScore": 40 }""") =>
        _folder.Write("releasegates.json", $$"""
            {
              "subject": { "service": "checkout", "version": "2.4.0" },
              "scoring": {{scoring}},
              "gates": {{gates}}
            }
            """);

    private const string Passing = """{ "cov": { "type": "coverage", "files": ["coverage.xml"], "minimumLineRate": "40%" } }""";

    [Fact]
    public async Task Evaluate_exits_0_on_go_and_writes_every_report_into_out()
    {
        Config(Passing);

        var (exit, output, _) = await ReleaseGatesTool.RunAsync(_folder.Path, "evaluate", "--out", "reports");

        Assert.Equal(ReleaseExitCodes.Go, exit);
        Assert.Contains("Release decision: GO", output, StringComparison.Ordinal);
        foreach (var name in ReleaseReport.FileNames)
        {
            Assert.True(File.Exists(Path.Combine(_folder.Path, "reports", name)), name);
        }

        var saved = ReleaseReport.FromJson(File.ReadAllText(Path.Combine(_folder.Path, "reports", "report.json")));
        Assert.Equal(ReleaseDecision.Go, saved.Decision);
        Assert.Equal("checkout", saved.Subject.Service);
    }

    [Fact]
    public async Task Evaluate_out_writes_sarif_with_results_located_at_the_config_relative_to_the_workspace()
    {
        Config("""{ "cov": { "type": "coverage", "files": ["coverage.xml"], "minimumLineRate": "85%" } }""");

        var environment = new Dictionary<string, string?> { ["GITHUB_WORKSPACE"] = _folder.Path };
        var (exit, _, _) = await ReleaseGatesTool.RunAsync(_folder.Path, environment, "evaluate", "--out", "reports");

        Assert.Equal(ReleaseExitCodes.NoGo, exit);
        using var sarif = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder.Path, "reports", "report.sarif")));
        Assert.Equal("2.1.0", sarif.RootElement.GetProperty("version").GetString());
        var results = sarif.RootElement.GetProperty("runs")[0].GetProperty("results");
        var failed = Assert.Single(results.EnumerateArray(), r => r.GetProperty("level").GetString() == "error");
        Assert.Equal("releasegates.json", failed.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString());
    }

    [Fact]
    public async Task Evaluate_prints_progress_on_standard_error_when_told_and_none_when_it_is_not_a_terminal()
    {
        Config(Passing);

        var (_, quietOutput, quiet) = await ReleaseGatesTool.RunAsync(_folder.Path, "evaluate", "--json");
        var (exit, output, progress) = await ReleaseGatesTool.RunAsync(_folder.Path, "evaluate", "--json", "--progress", "always");

        Assert.Equal(ReleaseExitCodes.Go, exit);
        Assert.DoesNotContain("started", quiet, StringComparison.Ordinal);
        Assert.Contains("release-gates: cov started", progress, StringComparison.Ordinal);
        Assert.Matches(@"release-gates: cov passed in \d+\.\d s", progress);
        Assert.Equal(ReleaseDecision.Go, ReleaseReport.FromJson(output).Decision);   // standard output stays the report alone
        Assert.Equal(ReleaseDecision.Go, ReleaseReport.FromJson(quietOutput).Decision);
    }

    [Fact]
    public async Task Version_prints_the_informational_version_of_the_build()
    {
        var expected = typeof(CommandLine).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion;

        var (exit, output, error) = await ReleaseGatesTool.RunAsync(_folder.Path, "--version");

        Assert.Equal(0, exit);
        Assert.Equal(expected, output.Trim());
        Assert.Equal("", error);
    }

    [Fact]
    public async Task Version_beside_a_command_is_refused_with_exit_3()
    {
        var (exit, output, error) = await ReleaseGatesTool.RunAsync(_folder.Path, "--version", "validate");

        Assert.Equal(ReleaseExitCodes.InvalidConfiguration, exit);
        Assert.Equal("", output);
        Assert.Contains("--version option cannot be combined with other arguments.", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("-?")]
    public async Task Help_lists_the_commands_and_the_help_and_version_options(string option)
    {
        var (exit, output, _) = await ReleaseGatesTool.RunAsync(_folder.Path, option);

        Assert.Equal(0, exit);
        Assert.Contains("release-gates [command] [options]", output, StringComparison.Ordinal);
        Assert.Contains("-?, -h, --help", output, StringComparison.Ordinal);
        Assert.Contains("--version", output, StringComparison.Ordinal);
        Assert.Contains("evaluate", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_of_a_command_shows_its_options_and_clears_its_parse_errors()
    {
        var (exit, output, error) = await ReleaseGatesTool.RunAsync(_folder.Path, "evaluate", "--progress", "sometimes", "--help");

        Assert.Equal(0, exit);
        Assert.Contains("release-gates evaluate [options]", output, StringComparison.Ordinal);
        Assert.Contains("--fail-on-warnings", output, StringComparison.Ordinal);
        Assert.Contains("-?, -h, --help", output, StringComparison.Ordinal);
        Assert.Equal("", error);
    }

    [Fact]
    public async Task Evaluate_rejects_an_unknown_progress_mode_with_exit_3()
    {
        Config(Passing);

        var (exit, _, error) = await ReleaseGatesTool.RunAsync(_folder.Path, "evaluate", "--progress", "sometimes");

        Assert.Equal(ReleaseExitCodes.InvalidConfiguration, exit);
        Assert.Contains("sometimes", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_evaluates_every_interval_and_prints_a_line_per_round()
    {
        Config(Passing);

        var (exit, output, error) = await ReleaseGatesTool.RunAsync(_folder.Path, "watch", "--interval", "100ms", "--count", "3", "--json");

        Assert.Equal(ReleaseExitCodes.Go, exit);
        var report = ReleaseReport.FromJson(output);
        Assert.Equal(3, report.Watch!.Rounds.Count);
        Assert.Equal(ReleaseDecision.Go, report.Decision);
        Assert.Equal(3, error.Split('\n').Count(l => l.StartsWith("release-gates: round ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Watch_stops_at_the_first_failed_round_with_exit_1()
    {
        Config("""{ "cov": { "type": "coverage", "files": ["coverage.xml"], "minimumLineRate": "85%" } }""");

        var (exit, output, error) = await ReleaseGatesTool.RunAsync(_folder.Path, "watch", "--interval", "100ms", "--count", "5");

        Assert.Equal(ReleaseExitCodes.NoGo, exit);
        Assert.Contains("Watch stopped at round 1", output, StringComparison.Ordinal);
        Assert.Contains("release-gates: round 1 at", error, StringComparison.Ordinal);
        Assert.Contains("NO-GO, counts as failed (cov fell short)", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a watch must end", "watch", "--interval", "1s")]
    [InlineData("expected a duration such as 500ms", "watch", "--interval", "soon", "--count", "2")]
    [InlineData("expected a whole number or 'none'", "watch", "--count", "2", "--failure-limit", "few")]
    public async Task Watch_exits_3_on_invalid_options_naming_what_was_expected(string expected, params string[] args)
    {
        Config(Passing);

        var (exit, _, error) = await ReleaseGatesTool.RunAsync(_folder.Path, args);

        Assert.Equal(ReleaseExitCodes.InvalidConfiguration, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_exits_1_on_no_go()
    {
        Config("""{ "cov": { "type": "coverage", "files": ["coverage.xml"], "minimumLineRate": "85%" } }""");

        var (exit, output, _) = await ReleaseGatesTool.RunAsync(_folder.Path, "evaluate");

        Assert.Equal(ReleaseExitCodes.NoGo, exit);
        Assert.Contains("Release decision: NO-GO", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2099-12-31", ReleaseExitCodes.Go, "applied (1)")]
    [InlineData("2020-01-31", ReleaseExitCodes.NoGo, "EXPIRED: 1 counts again")]
    public async Task Evaluate_applies_a_waivers_file_until_its_last_day_and_lists_it(string expires, int expected, string state)
    {
        _folder.Write("releasegates.json", """
            { "gates": { "cov": { "type": "coverage", "files": ["coverage.xml"], "minimumLineRate": "85%" } }, "waivers": "waivers.json" }
            """);
        _folder.Write("waivers.json", $$"""
            [ { "id": "QA-7", "gate": "cov", "measurement": "line", "reason": "Legacy module, covered by the 3.0 rewrite.", "approvedBy": "qa-lead", "expires": "{{expires}}" } ]
            """);

        var (exit, output, _) = await ReleaseGatesTool.RunAsync(_folder.Path, "evaluate", "--out", "reports");

        Assert.Equal(expected, exit);
        Assert.Contains("QA-7", output, StringComparison.Ordinal);
        Assert.Contains(state, output, StringComparison.Ordinal);
        Assert.Contains("QA-7", File.ReadAllText(Path.Combine(_folder.Path, "reports", "report.md")), StringComparison.Ordinal);
        Assert.Contains("waiver.QA-7", File.ReadAllText(Path.Combine(_folder.Path, "reports", "junit.xml")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_exits_3_on_a_waiver_for_a_gate_that_is_not_configured()
    {
        _folder.Write("releasegates.json", """
            { "gates": { "cov": { "type": "coverage", "files": ["coverage.xml"] } },
              "waivers": [ { "id": "QA-7", "gate": "coverage", "measurement": "line", "reason": "r", "approvedBy": "a", "expires": "2099-12-31" } ] }
            """);

        var (exit, _, error) = await ReleaseGatesTool.RunAsync(_folder.Path, "validate");

        Assert.Equal(ReleaseExitCodes.InvalidConfiguration, exit);
        Assert.Contains("Waiver 'QA-7' names the gate 'coverage', which is not registered; the gates are: 'cov'.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_exits_3_on_scoring_out_of_range_not_4()
    {
        Config(Passing, scoring: """{ "passScore": 150, "warningScore": 40 }""");

        var (exit, _, error) = await ReleaseGatesTool.RunAsync(_folder.Path, "evaluate");

        Assert.Equal(ReleaseExitCodes.InvalidConfiguration, exit);
        Assert.Contains("PassScore", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_exits_0_on_go_with_warnings_and_2_when_told_to_fail_on_warnings()
    {
        Config("""{ "cov": { "type": "coverage", "files": ["coverage.xml"], "minimumLineRate": "40%", "warningLineRate": "50%" } }""");

        var (exit, output, _) = await ReleaseGatesTool.RunAsync(_folder.Path, "evaluate");
        var (strict, _, _) = await ReleaseGatesTool.RunAsync(_folder.Path, "evaluate", "--fail-on-warnings");

        Assert.Equal(ReleaseExitCodes.Go, exit);
        Assert.Contains("GO WITH WARNINGS", output, StringComparison.Ordinal);
        Assert.Equal(ReleaseExitCodes.GoWithWarnings, strict);
    }

    [Fact]
    public async Task Evaluate_and_validate_exit_3_on_an_invalid_configuration_naming_the_line_and_column()
    {
        Config("""{ "cov": { "type": "coverage", "files": ["coverage.xml"], "minimumLineRate": "high" } }""");

        var (exit, output, error) = await ReleaseGatesTool.RunAsync(_folder.Path, "evaluate");
        var (validate, _, validateError) = await ReleaseGatesTool.RunAsync(_folder.Path, "validate");

        Assert.Equal(ReleaseExitCodes.InvalidConfiguration, exit);
        Assert.Equal(ReleaseExitCodes.InvalidConfiguration, validate);
        Assert.Empty(output);
        Assert.Matches(@"^releasegates\.json:4:\d+: gates\.cov\.minimumLineRate: expected a number", error.Split('\n')[1].Trim().TrimStart('-', ' '));
        Assert.Equal(error, validateError);
    }

    [Fact]
    public async Task Evaluate_exits_3_when_the_configuration_file_is_missing()
    {
        var (exit, _, error) = await ReleaseGatesTool.RunAsync(_folder.Path, "evaluate", "--config", "nothing-here.json");

        Assert.Equal(ReleaseExitCodes.InvalidConfiguration, exit);
        Assert.Contains("nothing-here.json cannot be read", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_exits_4_when_the_baseline_report_cannot_be_read()
    {
        Config(Passing);
        _folder.Write("baseline.json", "{ \"schemaVersion\": 1, \"decision\": ");

        var (exit, _, error) = await ReleaseGatesTool.RunAsync(_folder.Path, "evaluate", "--baseline", "baseline.json");

        Assert.Equal(ReleaseExitCodes.EvaluationError, exit);
        Assert.NotEmpty(error);
    }

    [Fact]
    public async Task A_usage_error_exits_3_not_1_which_means_no_go()
    {
        var (exit, _, error) = await ReleaseGatesTool.RunAsync(_folder.Path, "evaluate", "--no-such-option");

        Assert.Equal(ReleaseExitCodes.InvalidConfiguration, exit);
        Assert.Contains("--no-such-option", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_lists_the_gates_without_reading_their_files()
    {
        Config("""{ "later": { "type": "coverage", "files": ["not-yet-written.xml"] }, "tests": { "type": "testResults", "files": ["*.trx"] } }""");

        var (exit, output, _) = await ReleaseGatesTool.RunAsync(_folder.Path, "validate");

        Assert.Equal(ReleaseExitCodes.Go, exit);
        Assert.Contains("releasegates.json is valid: 2 gates (later, tests).", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tags_evaluate_only_the_gates_that_carry_one()
    {
        Config("""
            {
              "cov": { "type": "coverage", "files": ["coverage.xml"], "minimumLineRate": "40%", "tags": ["fast"] },
              "tests": { "type": "testResults", "files": ["tests.trx"], "tags": ["slow"] }
            }
            """);

        var (exit, output, _) = await ReleaseGatesTool.RunAsync(_folder.Path, "evaluate", "--tags", "fast", "--json");

        var report = ReleaseReport.FromJson(output);
        Assert.Equal(ReleaseExitCodes.Go, exit);
        Assert.Equal(["cov"], report.Gates.Select(g => g.Name));
    }

    [Fact]
    public async Task Replay_re_decides_a_saved_report_under_another_pass_mark()
    {
        Config("""{ "cov": { "type": "coverage", "files": ["coverage.xml"], "minimumLineRate": "40%", "warningLineRate": "50%" } }""");
        await ReleaseGatesTool.RunAsync(_folder.Path, "evaluate", "--out", "reports");

        var (same, sameOutput, _) = await ReleaseGatesTool.RunAsync(_folder.Path, "replay", "reports/report.json", "--fail-on-warnings");
        var (stricter, stricterOutput, _) = await ReleaseGatesTool.RunAsync(_folder.Path, "replay", "reports/report.json", "--warning-score", "60");

        Assert.Equal(ReleaseExitCodes.GoWithWarnings, same);
        Assert.Contains("GO WITH WARNINGS", sameOutput, StringComparison.Ordinal);
        Assert.Equal(ReleaseExitCodes.NoGo, stricter);
        Assert.Contains("NO-GO", stricterOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_exits_3_on_a_file_that_is_not_a_report()
    {
        _folder.Write("not-a-report.json", "[1, 2]");

        var (exit, _, error) = await ReleaseGatesTool.RunAsync(_folder.Path, "replay", "not-a-report.json");

        Assert.Equal(ReleaseExitCodes.InvalidConfiguration, exit);
        Assert.NotEmpty(error);
    }

    [Fact]
    public async Task Schema_prints_the_schema_kept_in_docs()
    {
        var (exit, output, _) = await ReleaseGatesTool.RunAsync(_folder.Path, "schema");

        Assert.Equal(ReleaseExitCodes.Go, exit);
        Assert.Equal(File.ReadAllText(Path.Combine(Repository.Root, "docs", "releasegates.schema.json")), output);
    }

    [Fact]
    public async Task In_github_actions_the_report_goes_to_the_job_summary_and_shortfalls_become_annotations()
    {
        Config("""
            {
              "cov": { "type": "coverage", "files": ["coverage.xml"], "minimumLineRate": "85%" },
              "tests": { "type": "testResults", "files": ["tests.trx"], "maximumFailed": 1000, "reportOnly": true }
            }
            """);
        var summary = Path.Combine(_folder.Path, "summary.md");
        var environment = new Dictionary<string, string?> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_STEP_SUMMARY"] = summary };

        var (exit, output, _) = await ReleaseGatesTool.RunAsync(_folder.Path, environment, "evaluate");

        Assert.Equal(ReleaseExitCodes.NoGo, exit);
        Assert.Contains("::error title=Release gate cov::Failed: line 44.78 %", output, StringComparison.Ordinal);
        Assert.DoesNotContain("title=Release gate tests", output, StringComparison.Ordinal);
        Assert.Contains("NO-GO", File.ReadAllText(summary), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_shows_what_regressed_improved_appeared_and_disappeared()
    {
        Config("""
            {
              "cov": { "type": "coverage", "files": ["coverage.xml"], "minimumLineRate": "40%" },
              "gone": { "type": "testResults", "files": ["tests.trx"], "maximumFailed": 1000 }
            }
            """);
        await ReleaseGatesTool.RunAsync(_folder.Path, "evaluate", "--out", "old");
        Config("""
            {
              "cov": { "type": "coverage", "files": ["coverage.xml"], "minimumLineRate": "85%" },
              "new": { "type": "testResults", "files": ["tests.trx"], "maximumFailed": 1000 }
            }
            """);
        await ReleaseGatesTool.RunAsync(_folder.Path, "evaluate", "--out", "new");

        var (exit, table, _) = await ReleaseGatesTool.RunAsync(_folder.Path, "compare", "old/report.json", "new/report.json");
        var (failing, json, _) = await ReleaseGatesTool.RunAsync(_folder.Path, "compare", "old/report.json", "new/report.json", "--json", "--fail-on-regression");
        var (same, sameTable, _) = await ReleaseGatesTool.RunAsync(_folder.Path, "compare", "new/report.json", "new/report.json", "--fail-on-regression");

        Assert.Equal(ReleaseExitCodes.Go, exit);
        Assert.Contains("GO -> NO-GO", table, StringComparison.Ordinal);
        Assert.Matches(@"regressed\s+cov\s+Passed\s+Failed", table);
        Assert.Matches(@"regressed\s+cov\s+line\s+0.4477\d* Ratio \(Passed\)\s+0.4477\d* Ratio \(Failed\)", table);
        Assert.Matches(@"appeared\s+new", table);
        Assert.Matches(@"disappeared\s+gone", table);
        Assert.Equal(ReleaseExitCodes.NoGo, failing);
        var changes = System.Text.Json.Nodes.JsonNode.Parse(json)!["changes"]!.AsArray();
        Assert.Contains(changes, c => (string?)c!["change"] == "regressed" && (string?)c["gate"] == "cov");
        Assert.Equal(ReleaseExitCodes.Go, same);
        Assert.Contains("No gate or measurement changed.", sameTable, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_writes_a_starter_from_the_reports_it_finds_that_validates_and_evaluates_as_written()
    {
        using var project = Fixtures.CreateTempFolder();
        Directory.CreateDirectory(Path.Combine(project.Path, "TestResults", "run1"));
        File.Copy(Fixtures.Coverage("sample-coverlet.cobertura.xml"), Path.Combine(project.Path, "TestResults", "run1", "coverage.cobertura.xml"));
        File.Copy(Fixtures.TestResults("dotnet-vstest.trx"), Path.Combine(project.Path, "TestResults", "unit.trx"));
        project.Write("bin/Debug/ignored.trx", "not read");
        // Nothing set: the starter must evaluate as written, with no variable the user was never told about.
        var environment = new Dictionary<string, string?> { ["RELEASE_VERSION"] = null };

        var (exit, output, _) = await ReleaseGatesTool.RunAsync(project.Path, environment, "init", "--url", "http://127.0.0.1:9/");
        var (again, _, againError) = await ReleaseGatesTool.RunAsync(project.Path, environment, "init");
        var (validate, validated, validateError) = await ReleaseGatesTool.RunAsync(project.Path, environment, "validate");
        var (evaluate, evaluated, evaluateError) = await ReleaseGatesTool.RunAsync(project.Path, environment, "evaluate");

        Assert.Equal(ReleaseExitCodes.Go, exit);
        Assert.Contains("found 1 coverage file matching **/coverage.cobertura.xml", output, StringComparison.Ordinal);
        Assert.Contains("found 1 tests file matching **/*.trx", output, StringComparison.Ordinal);
        Assert.Equal(ReleaseExitCodes.InvalidConfiguration, again);
        Assert.Contains("exists: pass --force", againError, StringComparison.Ordinal);
        Assert.True(validate == ReleaseExitCodes.Go, validateError);
        Assert.Contains("4 gates (coverage, tests, smoke, security-headers)", validated, StringComparison.Ordinal);
        Assert.Contains("next: release-gates evaluate --config releasegates.json", output, StringComparison.Ordinal);

        // The next step it printed works: a decision (the failing test run and the closed port make it NO-GO), not exit 3.
        Assert.True(evaluate == ReleaseExitCodes.NoGo, $"exit {evaluate}: {evaluateError}");
        Assert.Contains("Release decision: NO-GO", evaluated, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_refuses_a_folder_with_nothing_to_gate()
    {
        using var empty = Fixtures.CreateTempFolder();

        var (exit, _, error) = await ReleaseGatesTool.RunAsync(empty.Path, "init");

        Assert.Equal(ReleaseExitCodes.InvalidConfiguration, exit);
        Assert.Contains("nothing to gate", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(empty.Path, "releasegates.json")));
    }

    [Fact]
    public async Task A_job_summary_that_cannot_be_written_leaves_the_decision_as_it_is()
    {
        Config(Passing);
        var environment = new Dictionary<string, string?> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_STEP_SUMMARY"] = Path.Combine(_folder.Path, "no-such-folder", "summary.md") };

        var (exit, _, error) = await ReleaseGatesTool.RunAsync(_folder.Path, environment, "evaluate");

        Assert.Equal(ReleaseExitCodes.Go, exit);
        Assert.Contains("::warning title=release-gates::The job summary could not be written", error, StringComparison.Ordinal);
    }
}
