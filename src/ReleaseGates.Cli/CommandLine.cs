using System.CommandLine;
using System.CommandLine.Help;
using System.Diagnostics.CodeAnalysis;

namespace ReleaseGates.Cli;

/// <summary>
/// The <c>release-gates</c> command line: parses it, runs one of the commands (each in its own file:
/// <see cref="EvaluateCommand"/>, <see cref="WatchCommand"/>, <see cref="ValidateCommand"/>, <see cref="ReplayCommand"/>,
/// <see cref="CompareCommand"/>, <see cref="InitCommand"/>, <see cref="SchemaCommand"/>) and turns whatever escapes into an
/// exit code. A host of the library: it owns no gate logic, only reading the configuration, running the evaluation and
/// writing what it found, with the exit codes of <see cref="ReleaseExitCodes"/>.
/// </summary>
internal static class CommandLine
{
    /// <summary>The command's name, as the help's usage lines show it.</summary>
    internal const string ToolName = "release-gates";

    public static async Task<int> RunAsync(
        string[] args, TextWriter output, TextWriter error, Func<string, string?> environment, bool errorIsTerminal = false, CancellationToken cancellationToken = default)
    {
        // On a runner that reads commands from the log, nothing printed from evidence can be one (CiLogWriter).
        output = CiLogWriter.For(output, environment);
        error = CiLogWriter.For(error, environment);
        var config = new Option<FileInfo>("--config", "-c")
        {
            Description = "The configuration file.",
            DefaultValueFactory = _ => new FileInfo("releasegates.json"),
        };
        // A plain command as the root, with help and version options of its own: RootCommand's constructor reads its
        // options' descriptions through a ResourceManager, whose first use starts the runtime's reflection over assembly
        // metadata (about a fifth of a native --version; docs/performance.md). The parser's own messages still come from
        // its resources, read only when one is printed.
        var root = new Command(ToolName, "Evaluates release gates into a GO / GO WITH WARNINGS / NO-GO decision.")
        {
            EvaluateCommand.Create(config, output, error, environment, errorIsTerminal),
            WatchCommand.Create(config, output, error, environment, errorIsTerminal),
            ValidateCommand.Create(config, output, error),
            ReplayCommand.Create(output, error),
            CompareCommand.Create(output, error),
            InitCommand.Create(output, error),
            SchemaCommand.Create(output, error),
            HistoryCommand.Create(config, output, error, environment),
        };
        root.Options.Add(GatePackages.Option);
        root.Options.Add(HelpOption());
        root.Options.Add(VersionOption());
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

    /// <summary>The help option RootCommand would add (the same names, description and help output), described without resources.</summary>
    private static Option<bool> HelpOption() => new("--help", "-h", "/h", "-?", "/?")
    {
        Description = "Show help and usage information",
        Arity = ArgumentArity.Zero,
        Recursive = true,
        Action = new HelpAction(),
    };

    /// <summary>
    /// The version option RootCommand would add: prints the informational version written into the build (ToolVersion.g.cs),
    /// which RootCommand's reads from the assembly's attribute through reflection, and refuses other arguments beside it.
    /// </summary>
    private static Option<bool> VersionOption() => new("--version")
    {
        Description = "Show version information",
        Arity = ArgumentArity.Zero,
        Action = new VersionAction(),
    };

    /// <summary>
    /// Loads the configuration and builds the one evaluator the command uses: what only the whole configuration can show
    /// (a waiver for a gate the file does not have, scoring out of range) is an invalid configuration too, found here.
    /// </summary>
    internal static bool TryLoad(ParseResult parse, FileInfo file, TextWriter error, [NotNullWhen(true)] out IReleaseGateEvaluator? evaluator)
    {
        evaluator = null;
        if (string.IsNullOrWhiteSpace(file.ToString()))
        {
            error.WriteLine("--config: expected the path of a releasegates.json, got an empty name.");
            return false;
        }

        // The database providers a migrationIntegrity gate in the file can name, found by their invariant names: registered
        // here, when a file is loaded, not at start, so that a command that reads no configuration does not pay for them.
        System.Data.Common.DbProviderFactories.RegisterFactory("Microsoft.Data.Sqlite", Microsoft.Data.Sqlite.SqliteFactory.Instance);
        System.Data.Common.DbProviderFactories.RegisterFactory("Npgsql", Npgsql.NpgsqlFactory.Instance);
        try
        {
            if (!GatePackages.TryLoad(parse, file, error, out var kinds))
            {
                return false;
            }

            // The path as given (FileInfo keeps it), so messages name the file the way the user wrote it.
            var builder = ReleaseGate.CreateBuilder().AddFromJsonFile(file.ToString(), kinds);
            try
            {
                evaluator = builder.Build();
            }
            catch (ReleaseGatesConfigurationException e)
            {
                // What only the whole configuration shows (scoring out of range, a waiver for a gate it does not have):
                // still a problem of this file, so the message names it.
                error.WriteLine($"{file}: {e.Message}");
                return false;
            }

            return true;
        }
        catch (ReleaseGatesConfigurationException e)
        {
            error.WriteLine(e.Message);
            return false;
        }
        catch (ArgumentException e)
        {
            // Two packages (or a package and a built-in gate) claim the same type.
            error.WriteLine(e.Message);
            return false;
        }
    }
}
