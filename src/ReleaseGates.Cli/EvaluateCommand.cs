using System.CommandLine;
using System.Diagnostics.CodeAnalysis;

namespace ReleaseGates.Cli;

/// <summary><c>release-gates evaluate</c>, and what it shares with <c>watch</c>: the options, loading, running and writing the reports.</summary>
internal static class EvaluateCommand
{
    public static Command Create(Option<FileInfo> config, TextWriter output, TextWriter error, Func<string, string?> environment, bool errorIsTerminal)
    {
        var shared = new EvaluationOptions(config);
        var command = new Command("evaluate", "Evaluates the gates of the configuration and prints the report.");
        shared.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse, shared, output, error, environment, errorIsTerminal, (evaluator, request, ct) => evaluator.EvaluateAsync(request, ct), cancellationToken));
        return command;
    }

    /// <summary>The options <c>evaluate</c> and <c>watch</c> share: what to evaluate, against what, and where the report goes.</summary>
    internal sealed class EvaluationOptions(Option<FileInfo> config)
    {
        public Option<FileInfo> Config { get; } = config;

        public Option<string[]> Tags { get; } = new("--tags", "-t") { Description = "Evaluate only the gates with one of these tags.", AllowMultipleArgumentsPerToken = true };

        public Option<FileInfo?> Baseline { get; } = new("--baseline") { Description = "A report.json of an earlier release, for conditions relative to it." };

        public Option<bool> FailOnWarnings { get; } = new("--fail-on-warnings") { Description = "Exit 2 on GO WITH WARNINGS instead of 0." };

        public Option<DirectoryInfo?> Out { get; } = new("--out", "-o")
        {
            Description = "Write every report file into this folder: report.json, report.md, junit.xml, report.sarif, report.html, report.comment.md and gl-code-quality-report.json.",
        };

        public Option<Uri?> ReportUrl { get; } = new("--report-url")
        {
            Description = "The http(s) address of the full report that report.comment.md links to; by default the CI run's page (GitHub Actions, Azure Pipelines, GitLab).",
            CustomParser = ParseReportUrl,
        };

        public Option<bool> Json { get; } = new("--json") { Description = "Print the report as JSON instead of text." };

        public Option<string> Progress { get; } = ProgressOption();

        public HistoryStores History { get; } = new();

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { Config, Tags, Baseline, FailOnWarnings, Out, ReportUrl, Json, Progress })
            {
                command.Options.Add(option);
            }

            History.AddTo(command, evaluation: true);
        }

        private static Uri? ParseReportUrl(System.CommandLine.Parsing.ArgumentResult result)
        {
            var text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            {
                return uri;
            }

            result.AddError($"--report-url: expected an absolute http or https address, got '{text}'.");
            return null;
        }

        private static Option<string> ProgressOption()
        {
            var progress = new Option<string>("--progress")
            {
                Description = "Print each gate's start, progress and end on standard error: auto (when it is a terminal), always or never.",
                DefaultValueFactory = _ => "auto",
            };
            progress.AcceptOnlyFromAmong("auto", "always", "never");
            return progress;
        }
    }

    /// <summary>Loads the configuration, runs <paramref name="run"/>, writes the reports and returns the exit code.</summary>
    internal static async Task<int> RunAsync(
        ParseResult parse,
        EvaluationOptions options,
        TextWriter output,
        TextWriter error,
        Func<string, string?> environment,
        bool errorIsTerminal,
        Func<IReleaseGateEvaluator, EvaluationRequest, CancellationToken, Task<ReleaseReport>> run,
        CancellationToken cancellationToken)
    {
        var outDirectory = parse.GetValue(options.Out);
        if (outDirectory is not null && CheckOutDirectory(outDirectory) is { } outProblem)
        {
            await error.WriteLineAsync(outProblem);
            return ReleaseExitCodes.InvalidConfiguration;
        }

        if (!CommandLine.TryLoad(parse, parse.GetValue(options.Config)!, error, out var evaluator))
        {
            return ReleaseExitCodes.InvalidConfiguration;
        }

        if (!options.History.TryRead(parse, parse.GetValue(options.Config)!, environment, error, out var historySettings))
        {
            return ReleaseExitCodes.InvalidConfiguration;
        }

        IReleaseHistory? history;
        try
        {
            history = historySettings is null ? null : HistoryStores.Open(historySettings);
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync($"release-gates: history: {e.Message}");
            return ReleaseExitCodes.InvalidConfiguration;
        }

        try
        {
            return await EvaluateAsync(parse, options, output, error, environment, errorIsTerminal, run, evaluator, history, historySettings, outDirectory,
                cancellationToken);
        }
        finally
        {
            await HistoryStores.CloseAsync(history);
        }
    }

    /// <summary>Evaluates with the loaded configuration and the opened history, prints and writes the reports, and returns the exit code.</summary>
    private static async Task<int> EvaluateAsync(
        ParseResult parse,
        EvaluationOptions options,
        TextWriter output,
        TextWriter error,
        Func<string, string?> environment,
        bool errorIsTerminal,
        Func<IReleaseGateEvaluator, EvaluationRequest, CancellationToken, Task<ReleaseReport>> run,
        IReleaseGateEvaluator evaluator,
        IReleaseHistory? history,
        ReleaseHistorySettings? historySettings,
        DirectoryInfo? outDirectory,
        CancellationToken cancellationToken)
    {
        var request = new EvaluationRequest { Progress = ConsoleProgress.Shows(parse.GetValue(options.Progress)!, errorIsTerminal) ? new ConsoleProgress(error) : null };
        foreach (var tag in parse.GetValue(options.Tags) ?? [])
        {
            request.Tags.UnionWith(tag.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        if (history is not null)
        {
            request.History = new EvaluationHistory(history)
            {
                Baseline = historySettings!.Baseline,
                Record = historySettings.Record,
                RunnerLabel = historySettings.RunnerLabel,
                Timeout = historySettings.Timeout,
            };
        }

        ReleaseReport report;
        var exitCode = (int?)null;
        try
        {
            if (parse.GetValue(options.Baseline) is { } baselineFile)
            {
                request.Baseline = await ReleaseReport.ReadJsonFileAsync(baselineFile.ToString(), cancellationToken);
            }

            report = await run(evaluator, request, cancellationToken);
        }
        catch (ReleaseWatchCanceledException e) when (e.Report is { } partial)
        {
            // What the watch saw before it was stopped is still written, decided NO-GO; the exit code says cancelled.
            await error.WriteLineAsync($"release-gates: {e.Message}");
            report = partial;
            exitCode = ReleaseExitCodes.EvaluationError;
        }
        catch (Exception e) when (e is ReleaseGatesConfigurationException or ReleaseReportFormatException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync(e is ReleaseReportFormatException ? $"--baseline: {e.Message}" : e.Message);
            return e is ReleaseGatesConfigurationException ? ReleaseExitCodes.InvalidConfiguration : ReleaseExitCodes.EvaluationError;
        }

        // The report goes to standard output first, so that nothing that fails below hides the decision.
        await output.WriteLineAsync(parse.GetValue(options.Json) ? report.ToJson() : report.ToText());
        if (report.History is { } h)
        {
            // A history that failed is said on standard error too: a pipeline that stopped recording should be noticed.
            foreach (var problem in (h.BaselineError is null ? h.Problems : [h.BaselineError, .. h.Problems]))
            {
                await error.WriteLineAsync($"release-gates: history: {problem}");
            }
        }

        if (outDirectory is not null)
        {
            var failed = false;
            try
            {
                // Every file the tool writes, by the library (ReleaseReport.FileNames).
                await report.WriteToDirectoryAsync(outDirectory.FullName, new ReportFileOptions
                {
                    SourceFile = ArtifactPath(parse.GetValue(options.Config)!, environment),
                    FullReportUrl = parse.GetValue(options.ReportUrl) ?? RunUrl(environment),
                }, CancellationToken.None);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"release-gates: --out: {e.Message}");
                failed = true;
            }

            if (failed)
            {
                // The decision was printed above; a report file that is missing is an error of the run, never a pass.
                exitCode ??= ReleaseExitCodes.EvaluationError;
            }
        }

        await GitHubActions.WriteAsync(report, environment, output, error, CancellationToken.None);
        var summary = outDirectory is null ? null : Path.Combine(outDirectory.FullName, "report.md");
        await AzurePipelines.WriteAsync(report, environment, summary is not null && File.Exists(summary) ? summary : null,
            parse.GetValue(options.FailOnWarnings), output, error, CancellationToken.None);
        return exitCode ?? report.GetExitCode(parse.GetValue(options.FailOnWarnings));
    }

    /// <summary>
    /// Why <c>--out</c> cannot take the reports, checked before anything is evaluated: it names a file or device, or a
    /// folder nothing can be written into (<c>/proc/self</c>); <see langword="null"/> when a file can be created there.
    /// </summary>
    internal static string? CheckOutDirectory(DirectoryInfo directory)
    {
        var path = directory.ToString();
        if (string.IsNullOrWhiteSpace(path))
        {
            return "--out: expected a folder, got an empty name.";
        }

        if (File.Exists(directory.FullName))
        {
            return $"--out: {path} is a file, not a folder: name a folder for report.json, report.md, junit.xml and report.sarif.";
        }

        try
        {
            Directory.CreateDirectory(directory.FullName);
            var probe = Path.Combine(directory.FullName, $".release-gates-{Guid.NewGuid():N}.tmp");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return $"--out: no report can be written into {path}: {e.Message}";
        }
    }

    /// <summary>
    /// The configuration file as SARIF locates results without a file of their own: relative to the checkout
    /// (<c>GITHUB_WORKSPACE</c> in GitHub Actions, else the current folder), with forward slashes, so code scanning can
    /// open it; absolute when the file lies outside.
    /// </summary>
    /// <summary>The page of the CI run the tool runs in (GitHub Actions, Azure Pipelines, GitLab), or <see langword="null"/>.</summary>
    internal static Uri? RunUrl(Func<string, string?> environment)
    {
        string? url = null;
        if (environment("GITHUB_ACTIONS") == "true" && environment("GITHUB_SERVER_URL") is { Length: > 0 } server
            && environment("GITHUB_REPOSITORY") is { Length: > 0 } repository && environment("GITHUB_RUN_ID") is { Length: > 0 } run)
        {
            url = $"{server.TrimEnd('/')}/{repository}/actions/runs/{run}";
        }
        else if (environment("TF_BUILD") is { Length: > 0 } && environment("SYSTEM_COLLECTIONURI") is { Length: > 0 } collection
            && environment("SYSTEM_TEAMPROJECT") is { Length: > 0 } project && environment("BUILD_BUILDID") is { Length: > 0 } build)
        {
            url = $"{collection.TrimEnd('/')}/{Uri.EscapeDataString(project)}/_build/results?buildId={Uri.EscapeDataString(build)}";
        }
        else if (environment("GITLAB_CI") == "true" && environment("CI_JOB_URL") is { Length: > 0 } job)
        {
            url = job;
        }

        return url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) ? uri : null;
    }

    internal static string ArtifactPath(FileInfo config, Func<string, string?> environment)
    {
        var root = environment("GITHUB_WORKSPACE") is { Length: > 0 } workspace ? workspace : Environment.CurrentDirectory;
        var relative = Path.GetRelativePath(root, config.FullName);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? config.FullName : relative.Replace('\\', '/');
    }
}
