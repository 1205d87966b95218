using ReleaseGates.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace ReleaseGates.Cli.Tests;

/// <summary>
/// The composite action at the repository root (action.yml). GitHub cannot run here, so each of its own scripts is run
/// with bash as the runner would, with the inputs in the variables the step maps them to: the installed tool is this
/// build (behind a shim at the path the install step uses), <c>gh</c> is a stand-in that records its calls. The steps
/// that use other actions (setup-dotnet, upload-artifact) are not run.
/// </summary>
public sealed class ActionTests : IDisposable
{
    private readonly Fixtures.TempFolder _folder = Fixtures.CreateTempFolder();
    private readonly string _runnerTemp;

    public ActionTests()
    {
        File.Copy(Fixtures.Coverage("sample-coverlet.cobertura.xml"), Path.Combine(_folder.Path, "coverage.xml"));
        _runnerTemp = Directory.CreateDirectory(Path.Combine(_folder.Path, "runner-temp")).FullName;
        var tool = Directory.CreateDirectory(Path.Combine(_runnerTemp, "release-gates")).FullName;
        Shim(Path.Combine(tool, "release-gates"), ReleaseGatesTool.ShellCommand);
    }

    public void Dispose() => _folder.Dispose();

    private static YamlMappingNode Action()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Repository.Root, "action.yml"));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static IEnumerable<YamlMappingNode> Steps()
        => ((YamlSequenceNode)((YamlMappingNode)Action()["runs"])["steps"]).Children.Cast<YamlMappingNode>();

    private static YamlMappingNode Step(string name) => Steps().Single(s => s.Children.TryGetValue("name", out var n) && n.ToString() == name);

    private static void Shim(string path, string body)
    {
        File.WriteAllText(path, "#!/usr/bin/env bash\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Runs a step's script with bash as the runner does, its env mapped from <paramref name="inputs"/>.</summary>
    private async Task<(int Exit, string Output, string Error, Dictionary<string, string> Outputs)> RunStepAsync(
        string name, IDictionary<string, string> inputs, IDictionary<string, string?>? extra = null)
    {
        var step = Step(name);
        var script = Path.Combine(_folder.Path, "step.sh");
        File.WriteAllText(script, step["run"].ToString());
        var outputs = Path.Combine(_folder.Path, "github-output");
        File.WriteAllText(outputs, "");
        var environment = new Dictionary<string, string?> { ["RUNNER_TEMP"] = _runnerTemp, ["GITHUB_OUTPUT"] = outputs, ["GITHUB_ACTIONS"] = null };
        if (step.Children.TryGetValue("env", out var env))
        {
            foreach (var (key, value) in ((YamlMappingNode)env).Children)
            {
                // "${{ inputs.name }}" becomes the test's value of that input, as the runner would substitute it.
                var text = value.ToString();
                var input = text.Replace("${{ inputs.", "", StringComparison.Ordinal).Replace(" }}", "", StringComparison.Ordinal).Trim();
                environment[key.ToString()] = inputs.TryGetValue(input, out var given) ? given : Default(input);
            }
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        var (exit, output, error) = await ReleaseGatesTool.RunProcessAsync("bash", _folder.Path, environment, TimeSpan.FromSeconds(90), script);
        var written = File.ReadAllLines(outputs).Where(l => l.Contains('=', StringComparison.Ordinal))
            .ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        return (exit, output, error, written);
    }

    private static string Default(string input)
        => ((YamlMappingNode)Action()["inputs"]).Children.TryGetValue(input, out var node) && node is YamlMappingNode mapping
           && mapping.Children.TryGetValue("default", out var value) ? value.ToString() : "";

    private void Config(string minimumLineRate) => _folder.Write("releasegates.json", $$"""
        { "subject": { "service": "checkout", "version": "2.4.0" },
          "gates": { "cov": { "type": "coverage", "files": ["coverage.xml"], "minimumLineRate": "{{minimumLineRate}}" } } }
        """);

    [Fact]
    public void No_script_of_the_action_expands_an_expression_itself()
    {
        // An input or an event field expanded into a script is code injection; every value reaches a script through env.
        foreach (var step in Steps().Where(s => s.Children.ContainsKey("run")))
        {
            Assert.DoesNotContain("${{", step["run"].ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_evaluate_step_writes_every_report_file_and_gives_go_as_its_outputs()
    {
        Config("40%");

        var (exit, output, error, outputs) = await RunStepAsync("Evaluate the release gates", new Dictionary<string, string>());

        Assert.True(exit == 0, output + error);
        Assert.Equal("0", outputs["exit-code"]);
        Assert.Equal("GO", outputs["decision"]);
        foreach (var file in ReleaseReport.FileNames)
        {
            Assert.True(File.Exists(Path.Combine(_folder.Path, "release-report", file)), file);
        }
    }

    [Fact]
    public async Task A_no_go_is_an_output_and_the_decide_step_fails_with_its_exit_code()
    {
        Config("85%");

        var (exit, _, _, outputs) = await RunStepAsync("Evaluate the release gates", new Dictionary<string, string> { ["out"] = "reports" });
        var decide = await RunStepAsync("Decide", new Dictionary<string, string>(), new Dictionary<string, string?> { ["RG_EXIT"] = outputs["exit-code"] });

        Assert.Equal(0, exit);   // the evaluate step itself goes on, so that the report is uploaded and commented
        Assert.Equal(("1", "NO-GO"), (outputs["exit-code"], outputs["decision"]));
        Assert.True(File.Exists(Path.Combine(_folder.Path, "reports", "report.comment.md")));
        Assert.Equal(ReleaseExitCodes.NoGo, decide.Exit);
    }

    [Fact]
    public async Task An_invalid_configuration_is_exit_code_3_and_no_decision()
    {
        _folder.Write("releasegates.json", """{ "gates": { "cov": { "type": "no-such-gate" } } }""");

        var (_, _, _, outputs) = await RunStepAsync("Evaluate the release gates", new Dictionary<string, string>());

        Assert.Equal(("3", ""), (outputs["exit-code"], outputs["decision"]));
    }

    [Theory]
    [InlineData("", "POST repos/acme/checkout/issues/7/comments")]
    [InlineData("991", "PATCH repos/acme/checkout/issues/comments/991")]
    public async Task The_comment_step_edits_the_comment_with_the_marker_or_adds_one(string existing, string expected)
    {
        Config("85%");
        await RunStepAsync("Evaluate the release gates", new Dictionary<string, string>());
        var bin = Directory.CreateDirectory(Path.Combine(_folder.Path, "bin")).FullName;
        var calls = Path.Combine(_folder.Path, "gh-calls");
        // The stand-in gh: records each call; the comment search answers with the id of an earlier comment, or nothing.
        Shim(Path.Combine(bin, "gh"), $$"""
            echo "$*" >> '{{calls}}'
            if [ "$1 $2" = "api --paginate" ]; then echo '{{existing}}'; fi
            """);

        var (exit, output, error, _) = await RunStepAsync("Update the pull-request comment", new Dictionary<string, string>(), new Dictionary<string, string?>
        {
            ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH"), ["RG_PR"] = "7", ["RG_REPOSITORY"] = "acme/checkout", ["GH_TOKEN"] = "t",
        });

        Assert.True(exit == 0, output + error);
        var lines = File.ReadAllLines(calls);
        Assert.Contains($"startswith(\"{ReleaseReport.PullRequestCommentMarker}\")", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("api -X " + expected + " -F body=@release-report/report.comment.md", lines[1], StringComparison.Ordinal);
    }
}
