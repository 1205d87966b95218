using ReleaseGates.Tests.Support;

namespace ReleaseGates.Cli.Tests;

/// <summary>
/// What each CI system reads from the tool: GitHub Actions annotations at a finding's file and line, Azure Pipelines
/// logging commands, the pull-request comment's link to the run, and a log that evidence cannot turn into commands.
/// </summary>
public sealed class CiSystemsTests : IDisposable
{
    private readonly Fixtures.TempFolder _folder = Fixtures.CreateTempFolder();

    public CiSystemsTests()
    {
        _folder.Write("RELEASE_CHECKLIST.md", """
            # Release 2.4.0

            ## Tier 1
            - [x] Load test passed
            - [ ] Rollback plan rehearsed ##vso[task.setvariable variable=pwned]yes
            - [x] Monitoring in place
            """);
        _folder.Write("releasegates.json", """
            {
              "subject": { "service": "checkout", "version": "2.4.0" },
              "gates": {
                "readiness": { "type": "checklist", "files": ["RELEASE_CHECKLIST.md"], "requiredItems": ["*rollback*"], "minimumDone": 0 }
              }
            }
            """);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task GitHub_annotations_point_at_the_file_and_line_of_a_finding()
    {
        var environment = new Dictionary<string, string?> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_WORKSPACE"] = _folder.Path };

        var (exit, output, _) = await ReleaseGatesTool.RunAsync(_folder.Path, environment, "evaluate");

        Assert.Equal(ReleaseExitCodes.NoGo, exit);
        var annotation = Assert.Single(output.Split('\n'), l => l.StartsWith("::error file=", StringComparison.Ordinal));
        Assert.StartsWith("::error file=RELEASE_CHECKLIST.md,line=5,title=Release gate readiness%3A checklist.required-open::", annotation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Azure_Pipelines_gets_located_issues_the_summary_and_the_task_result()
    {
        var environment = new Dictionary<string, string?>
        {
            ["TF_BUILD"] = "True", ["BUILD_SOURCESDIRECTORY"] = _folder.Path, ["AGENT_TEMPDIRECTORY"] = _folder.Path,
        };

        var (exit, output, _) = await ReleaseGatesTool.RunAsync(_folder.Path, environment, "evaluate", "--out", "reports");

        Assert.Equal(ReleaseExitCodes.NoGo, exit);
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Contains(lines, l => l.StartsWith("##vso[task.logissue type=error;sourcepath=RELEASE_CHECKLIST.md;linenumber=5]Release gate readiness: checklist.required-open", StringComparison.Ordinal));
        Assert.Contains($"##vso[task.uploadsummary]{Path.Combine(_folder.Path, "reports", "report.md")}", lines);
        Assert.Contains(lines, l => l.StartsWith("##vso[task.complete result=Failed;]Release decision: NO-GO", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Azure_Pipelines_without_out_gets_its_summary_from_the_agent_temporary_folder()
    {
        var temp = Directory.CreateDirectory(Path.Combine(_folder.Path, "agent-temp")).FullName;
        var environment = new Dictionary<string, string?> { ["TF_BUILD"] = "True", ["AGENT_TEMPDIRECTORY"] = temp };

        var (_, output, _) = await ReleaseGatesTool.RunAsync(_folder.Path, environment, "evaluate");

        var summary = Assert.Single(Directory.GetFiles(temp, "release-gates-*.md"));
        Assert.Contains($"##vso[task.uploadsummary]{summary}", output, StringComparison.Ordinal);
        Assert.Contains("NO-GO", File.ReadAllText(summary), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TF_BUILD", "True")]
    [InlineData("GITHUB_ACTIONS", "true")]
    public async Task Evidence_in_the_log_is_never_a_command_of_the_runner(string variable, string value)
    {
        var environment = new Dictionary<string, string?> { [variable] = value };

        var (_, output, error) = await ReleaseGatesTool.RunAsync(_folder.Path, environment, "evaluate");
        var (_, json, _) = await ReleaseGatesTool.RunAsync(_folder.Path, environment, "evaluate", "--json");

        foreach (var text in new[] { output, error, json })
        {
            Assert.DoesNotContain("##vso[task.setvariable", text, StringComparison.Ordinal);
        }

        Assert.Contains("Rollback plan rehearsed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_comment_links_to_the_run_it_came_from()
    {
        var environment = new Dictionary<string, string?>
        {
            ["GITHUB_ACTIONS"] = "true", ["GITHUB_SERVER_URL"] = "https://github.com", ["GITHUB_REPOSITORY"] = "acme/checkout", ["GITHUB_RUN_ID"] = "42",
        };

        await ReleaseGatesTool.RunAsync(_folder.Path, environment, "evaluate", "--out", "reports");
        var comment = File.ReadAllText(Path.Combine(_folder.Path, "reports", "report.comment.md"));
        await ReleaseGatesTool.RunAsync(_folder.Path, environment, "evaluate", "--out", "given", "--report-url", "https://ci.example/runs/7");
        var given = File.ReadAllText(Path.Combine(_folder.Path, "given", "report.comment.md"));

        Assert.StartsWith(ReleaseReport.PullRequestCommentMarker + "\n", comment, StringComparison.Ordinal);
        Assert.Contains("[Full report](https://github.com/acme/checkout/actions/runs/42)", comment, StringComparison.Ordinal);
        Assert.Contains("[Full report](https://ci.example/runs/7)", given, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_url_that_is_not_http_is_refused_before_anything_runs()
    {
        var (exit, _, error) = await ReleaseGatesTool.RunAsync(_folder.Path, "evaluate", "--report-url", "javascript:alert(1)");

        Assert.Equal(ReleaseExitCodes.InvalidConfiguration, exit);
        Assert.Contains("--report-url: expected an absolute http or https address", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("::add-mask::x", ":\u200B:add-mask::x")]
    [InlineData("  ::error::x", "  :\u200B:error::x")]
    [InlineData("a ##vso[task.complete result=Succeeded]", "a #\u200B#vso[task.complete result=Succeeded]")]
    [InlineData("##[group]x", "#\u200B#[group]x")]
    [InlineData("line\n::warning::y", "line\n:\u200B:warning::y")]
    [InlineData("a::b and #1 ## c", "a::b and #1 ## c")]
    public void Command_markers_are_broken(string text, string expected) => Assert.Equal(expected, CiLogWriter.Neutralize(text));
}
