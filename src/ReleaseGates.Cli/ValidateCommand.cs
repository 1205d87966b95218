using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace ReleaseGates.Cli;

/// <summary><c>release-gates validate</c>: the configuration checked, nothing evaluated.</summary>
internal static class ValidateCommand
{
    public static Command Create(Option<FileInfo> config, TextWriter output, TextWriter error)
    {
        var command = new Command("validate", "Checks the configuration without evaluating anything.") { config };
        command.SetAction(async parse =>
        {
            var file = parse.GetValue(config)!;
            if (!CommandLine.TryLoad(parse, file, error, out var evaluator))
            {
                return ReleaseExitCodes.InvalidConfiguration;
            }

            var gates = evaluator.Registrations;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{file.Name} is valid: {gates.Count} gate{(gates.Count == 1 ? "" : "s")} ({string.Join(", ", gates.Select(g => g.Name))})."));
            return ReleaseExitCodes.Go;
        });
        return command;
    }
}
