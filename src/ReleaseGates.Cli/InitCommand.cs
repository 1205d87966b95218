using System.CommandLine;
using System.Diagnostics.CodeAnalysis;

namespace ReleaseGates.Cli;

/// <summary><c>release-gates init</c>: a starter configuration from the reports found here.</summary>
internal static class InitCommand
{
    public static Command Create(TextWriter output, TextWriter error)
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
}
