using System.CommandLine;
using System.Diagnostics.CodeAnalysis;

namespace ReleaseGates.Cli;

/// <summary><c>release-gates schema</c>: the configuration's JSON Schema.</summary>
internal static class SchemaCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("schema", "Prints the JSON Schema of the configuration file, with the gates of the packages given with --gate-package.");
        command.SetAction(async parse =>
        {
            if (!GatePackages.TryLoad(parse, config: null, error, out var kinds))
            {
                return ReleaseExitCodes.InvalidConfiguration;
            }

            try
            {
                await output.WriteAsync(ReleaseGatesConfigurationSchema.Generate(kinds));
            }
            catch (ArgumentException e)
            {
                await error.WriteLineAsync(e.Message);
                return ReleaseExitCodes.InvalidConfiguration;
            }

            return ReleaseExitCodes.Go;
        });
        return command;
    }
}
