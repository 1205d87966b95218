using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace ReleaseGates.Cli;

/// <summary>
/// The <c>release-gates</c> commands. A host of the library: it owns no gate logic, only reading the configuration,
/// running the evaluation and writing what it found, with the exit codes of <see cref="ReleaseExitCodes"/>.
/// </summary>
[RequiresUnreferencedCode("The configuration file is bound by reflection.")]
[RequiresDynamicCode("The configuration file is bound by reflection.")]
internal static class CommandLine
{
    public static async Task<int> RunAsync(
        string[] args, TextWriter output, TextWriter error, Func<string, string?> environment, bool errorIsTerminal = false, CancellationToken cancellationToken = default)
    {
        var config = new Option<FileInfo>("--config", "-c")
        {
            Description = "The configuration file.",
            DefaultValueFactory = _ => new FileInfo("releasegates.json"),
        };
        var root = new RootCommand("Evaluates release gates into a GO / GO WITH WARNINGS / NO-GO decision.")
        {
            Evaluate(config, output, error, environment, errorIsTerminal),
            WatchCommand.Create(config, output, error, environment, errorIsTerminal),
            Validate(config, output, error),
            Replay(output, error),
            Compare(output, error),
            Init(output, error),
            Schema(output),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync(problem.Message);
            }

            await error.WriteLineAsync("Run 'release-gates --help' for the commands and options.");
            return ReleaseExitCodes.InvalidConfiguration;
        }

        try
        {
            // No termination handling by the parser (it ends the process 2 s after SIGINT or SIGTERM with 130 or 143): the
            // host cancels the token instead (Program.cs), and the commands end with what they have and exit 4.
            var invocation = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            return await parse.InvokeAsync(invocation, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("release-gates: the run was cancelled before it decided anything.");
            return ReleaseExitCodes.EvaluationError;
        }
        catch (Exception e)
        {
            // The parser's own handler exits 1, which here means NO-GO: an unexpected failure is 4, never a decision.
            // The message only: a stack trace helps no pipeline user (the crash oracle of the hostile suite counts one as a crash).
            await error.WriteLineAsync($"release-gates failed: {e.GetType().Name}: {e.Message}");
            return ReleaseExitCodes.EvaluationError;
        }
    }

    private static Command Evaluate(Option<FileInfo> config, TextWriter output, TextWriter error, Func<string, string?> environment, bool errorIsTerminal)
    {
        var shared = new EvaluationOptions(config);
        var command = new Command("evaluate", "Evaluates the gates of the configuration and prints the report.");
        shared.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse, shared, output, error, environment, errorIsTerminal, (builder, request, ct) => builder.EvaluateAsync(request, ct), cancellationToken));
        return command;
    }

    /// <summary>The options <c>evaluate</c> and <c>watch</c> share: what to evaluate, against what, and where the report goes.</summary>
    internal sealed class EvaluationOptions(Option<FileInfo> config)
    {
        public Option<FileInfo> Config { get; } = config;

        public Option<string[]> Tags { get; } = new("--tags", "-t") { Description = "Evaluate only the gates with one of these tags.", AllowMultipleArgumentsPerToken = true };

        public Option<FileInfo?> Baseline { get; } = new("--baseline") { Description = "A report.json of an earlier release, for conditions relative to it." };

        public Option<bool> FailOnWarnings { get; } = new("--fail-on-warnings") { Description = "Exit 2 on GO WITH WARNINGS instead of 0." };

        public Option<DirectoryInfo?> Out { get; } = new("--out", "-o") { Description = "Write report.json, report.md, junit.xml and report.sarif into this folder." };

        public Option<bool> Json { get; } = new("--json") { Description = "Print the report as JSON instead of text." };

        public Option<string> Progress { get; } = ProgressOption();

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { Config, Tags, Baseline, FailOnWarnings, Out, Json, Progress })
            {
                command.Options.Add(option);
            }
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
        Func<ReleaseGatesBuilder, EvaluationRequest, CancellationToken, Task<ReleaseReport>> run,
        CancellationToken cancellationToken)
    {
        var outDirectory = parse.GetValue(options.Out);
        if (outDirectory is not null && CheckOutDirectory(outDirectory) is { } outProblem)
        {
            await error.WriteLineAsync(outProblem);
            return ReleaseExitCodes.InvalidConfiguration;
        }

        if (!TryLoad(parse.GetValue(options.Config)!, error, out var builder))
        {
            return ReleaseExitCodes.InvalidConfiguration;
        }

        var request = new EvaluationRequest { Progress = ConsoleProgress.Shows(parse.GetValue(options.Progress)!, errorIsTerminal) ? new ConsoleProgress(error) : null };
        foreach (var tag in parse.GetValue(options.Tags) ?? [])
        {
            request.Tags.UnionWith(tag.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        ReleaseReport report;
        var exitCode = (int?)null;
        try
        {
            if (parse.GetValue(options.Baseline) is { } baselineFile)
            {
                request.Baseline = await ReleaseReport.ReadJsonFileAsync(baselineFile.ToString(), cancellationToken);
            }

            report = await run(builder, request, cancellationToken);
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
        if (outDirectory is not null)
        {
            var failed = false;
            try
            {
                await report.WriteToDirectoryAsync(outDirectory.FullName, CancellationToken.None);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"release-gates: --out: {e.Message}");
                failed = true;
            }

            try
            {
                var sarif = report.ToSarif(ArtifactPath(parse.GetValue(options.Config)!, environment));
                await File.WriteAllTextAsync(Path.Combine(outDirectory.FullName, SarifFileName), sarif, new UTF8Encoding(false), CancellationToken.None);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"release-gates: --out: {SarifFileName} could not be written: {e.Message}");
                failed = true;
            }

            if (failed)
            {
                // The decision was printed above; a report file that is missing is an error of the run, never a pass.
                exitCode ??= ReleaseExitCodes.EvaluationError;
            }
        }

        await GitHubActions.WriteAsync(report, environment, output, error, CancellationToken.None);
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

    /// <summary>The SARIF log <c>evaluate --out</c> writes beside the library's three reports.</summary>
    internal const string SarifFileName = "report.sarif";

    /// <summary>
    /// The configuration file as SARIF locates results without a file of their own: relative to the checkout
    /// (<c>GITHUB_WORKSPACE</c> in GitHub Actions, else the current folder), with forward slashes, so code scanning can
    /// open it; absolute when the file lies outside.
    /// </summary>
    internal static string ArtifactPath(FileInfo config, Func<string, string?> environment)
    {
        var root = environment("GITHUB_WORKSPACE") is { Length: > 0 } workspace ? workspace : Environment.CurrentDirectory;
        var relative = Path.GetRelativePath(root, config.FullName);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? config.FullName : relative.Replace('\\', '/');
    }

    private static Command Validate(Option<FileInfo> config, TextWriter output, TextWriter error)
    {
        var command = new Command("validate", "Checks the configuration without evaluating anything.") { config };
        command.SetAction(async parse =>
        {
            var file = parse.GetValue(config)!;
            if (!TryLoad(file, error, out var builder))
            {
                return ReleaseExitCodes.InvalidConfiguration;
            }

            var gates = builder.Build().Registrations;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{file.Name} is valid: {gates.Count} gate{(gates.Count == 1 ? "" : "s")} ({string.Join(", ", gates.Select(g => g.Name))})."));
            return ReleaseExitCodes.Go;
        });
        return command;
    }

    private static Command Replay(TextWriter output, TextWriter error)
    {
        var report = new Argument<FileInfo>("report") { Description = "A report.json written by an evaluation." };
        var passScore = new Option<double?>("--pass-score") { Description = "Re-decide with this pass mark." };
        var warningScore = new Option<double?>("--warning-score") { Description = "Re-decide with this warning mark." };
        var failOnWarnings = new Option<bool>("--fail-on-warnings") { Description = "Exit 2 on GO WITH WARNINGS instead of 0." };
        var command = new Command("replay", "Re-decides the saved evidence of a report, under its own or other scoring.") { report, passScore, warningScore, failOnWarnings };
        command.SetAction(async (parse, cancellationToken) =>
        {
            ReleaseReport saved;
            try
            {
                saved = await ReleaseReport.ReadJsonFileAsync(parse.GetValue(report)!.ToString(), cancellationToken);
            }
            catch (Exception e) when (e is ReleaseReportFormatException or IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync(e.Message);
                return ReleaseExitCodes.InvalidConfiguration;
            }

            var scoring = new ScoringOptions
            {
                PassScore = parse.GetValue(passScore) ?? saved.Scoring.PassScore,
                WarningScore = parse.GetValue(warningScore) ?? saved.Scoring.WarningScore,
                WarningGateScore = saved.Scoring.WarningGateScore,
            };
            foreach (var (category, weight) in saved.Scoring.CategoryWeights)
            {
                scoring.CategoryWeights[category] = weight;
            }

            ReleaseReport replayed;
            try
            {
                replayed = saved.Replay(scoring);
            }
            catch (ReleaseGatesConfigurationException e)
            {
                await error.WriteLineAsync(e.Message);
                return ReleaseExitCodes.InvalidConfiguration;
            }

            await output.WriteLineAsync(replayed.ToText());
            return replayed.GetExitCode(parse.GetValue(failOnWarnings));
        });
        return command;
    }

    private static Command Compare(TextWriter output, TextWriter error)
    {
        var old = new Argument<FileInfo>("old") { Description = "The earlier report.json." };
        var @new = new Argument<FileInfo>("new") { Description = "The later report.json." };
        var json = new Option<bool>("--json") { Description = "Print the comparison as JSON instead of a table." };
        var failOnRegression = new Option<bool>("--fail-on-regression") { Description = "Exit 1 when a gate or measurement regressed or a gate disappeared." };
        var command = new Command("compare", "Shows what regressed, improved, appeared and disappeared between two reports.") { old, @new, json, failOnRegression };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var reports = new List<ReleaseReport>();
            foreach (var file in new[] { parse.GetValue(old)!, parse.GetValue(@new)! })
            {
                try
                {
                    reports.Add(await ReleaseReport.ReadJsonFileAsync(file.ToString(), cancellationToken));
                }
                catch (Exception e) when (e is ReleaseReportFormatException or IOException or UnauthorizedAccessException)
                {
                    await error.WriteLineAsync(e.Message);
                    return ReleaseExitCodes.InvalidConfiguration;
                }
            }

            var comparison = ReportComparison.Compare(reports[0], reports[1]);
            await output.WriteLineAsync(parse.GetValue(json) ? comparison.ToJson() : comparison.ToText());
            return parse.GetValue(failOnRegression) && comparison.HasRegressions ? ReleaseExitCodes.NoGo : ReleaseExitCodes.Go;
        });
        return command;
    }

    private static Command Init(TextWriter output, TextWriter error)
    {
        var url = new Option<string?>("--url") { Description = "The deployed service to smoke-test and check the security headers of." };
        var path = new Option<FileInfo>("--config", "-c") { Description = "The file to write.", DefaultValueFactory = _ => new FileInfo("releasegates.json") };
        var force = new Option<bool>("--force") { Description = "Overwrite the file if it exists." };
        var command = new Command("init", "Writes a commented starter configuration from the coverage reports and test results found here.") { url, path, force };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetValue(path)!;
            var text = parse.GetValue(url);
            Uri? service = null;
            if (text is not null && (!Uri.TryCreate(text, UriKind.Absolute, out service) || service.Scheme is not ("http" or "https")))
            {
                await error.WriteLineAsync($"--url must be an absolute http or https URL, but was '{text}'.");
                return ReleaseExitCodes.InvalidConfiguration;
            }

            if (file.Exists && !parse.GetValue(force))
            {
                await error.WriteLineAsync($"{file} exists: pass --force to overwrite it.");
                return ReleaseExitCodes.InvalidConfiguration;
            }

            var found = StarterConfiguration.Find(Directory.GetCurrentDirectory());
            if (found.Count == 0 && service is null)
            {
                await error.WriteLineAsync("No coverage report or test result was found here, and no --url was given: there is nothing to gate yet.");
                return ReleaseExitCodes.InvalidConfiguration;
            }

            await File.WriteAllTextAsync(file.FullName, StarterConfiguration.Write(found, service), cancellationToken);
            foreach (var (kind, pattern, count) in found)
            {
                await output.WriteLineAsync($"found {count} {kind} file{(count == 1 ? "" : "s")} matching {pattern}");
            }

            await output.WriteLineAsync($"wrote {file}; next: release-gates evaluate --config {file}");
            return ReleaseExitCodes.Go;
        });
        return command;
    }

    private static Command Schema(TextWriter output)
    {
        var command = new Command("schema", "Prints the JSON Schema of the configuration file.");
        command.SetAction(async parse =>
        {
            await output.WriteAsync(ReleaseGatesConfigurationSchema.Generate());
            return ReleaseExitCodes.Go;
        });
        return command;
    }

    private static bool TryLoad(FileInfo file, TextWriter error, out ReleaseGatesBuilder builder)
    {
        builder = ReleaseGate.CreateBuilder();
        if (string.IsNullOrWhiteSpace(file.ToString()))
        {
            error.WriteLine("--config: expected the path of a releasegates.json, got an empty name.");
            return false;
        }

        try
        {
            // The path as given (FileInfo keeps it), so messages name the file the way the user wrote it.
            builder.AddFromJsonFile(file.ToString());

            // What only the whole configuration can show (a waiver for a gate the file does not have, scoring out of
            // range) is an invalid configuration too, not a failure of the run.
            _ = builder.Build();
            return true;
        }
        catch (ReleaseGatesConfigurationException e)
        {
            error.WriteLine(e.Message);
            return false;
        }
    }
}
