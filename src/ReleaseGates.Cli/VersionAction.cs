using System.CommandLine;
using System.CommandLine.Invocation;

namespace ReleaseGates.Cli;

/// <summary>Prints the tool's version; alone on the command line, as RootCommand's version option requires (exit 3 otherwise).</summary>
internal sealed class VersionAction : SynchronousCommandLineAction
{
    /// <inheritdoc />
    public override bool ClearsParseErrors => true;

    /// <inheritdoc />
    public override int Invoke(ParseResult parseResult)
    {
        if (parseResult.Tokens.Count > 1)
        {
            var error = parseResult.InvocationConfiguration.Error;
            error.WriteLine("--version option cannot be combined with other arguments.");
            error.WriteLine($"Run '{CommandLine.ToolName} --help' for the commands and options.");
            return ReleaseExitCodes.InvalidConfiguration;
        }

        parseResult.InvocationConfiguration.Output.WriteLine(ToolVersion.Informational);
        return 0;
    }
}
