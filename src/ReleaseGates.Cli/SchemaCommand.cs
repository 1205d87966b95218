using System.CommandLine;
using System.Diagnostics.CodeAnalysis;

namespace ReleaseGates.Cli;

/// <summary><c>release-gates schema</c>: the configuration's JSON Schema.</summary>
[RequiresUnreferencedCode("The configuration file is bound by reflection.")]
[RequiresDynamicCode("The configuration file is bound by reflection.")]
internal static class SchemaCommand
{
    public static Command Create(TextWriter output)
    {
        var command = new Command("schema", "Prints the JSON Schema of the configuration file.");
        command.SetAction(async parse =>
        {
            await output.WriteAsync(ReleaseGatesConfigurationSchema.Generate());
            return ReleaseExitCodes.Go;
        });
        return command;
    }
}
