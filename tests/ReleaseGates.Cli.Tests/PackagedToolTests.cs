using ReleaseGates.Tests.Support;

namespace ReleaseGates.Cli.Tests;

/// <summary>The tool as users get it: packed into a .nupkg, installed with dotnet tool install from a local feed, run by its command name.</summary>
public sealed class PackagedToolTests : IDisposable
{
    private readonly Fixtures.TempFolder _folder = Fixtures.CreateTempFolder();

    public void Dispose() => _folder.Dispose();

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string workingDirectory, params string[] args)
    {
        var (exit, output, error) = await ReleaseGatesTool.RunProcessAsync(file, workingDirectory, new Dictionary<string, string?>(), TimeSpan.FromMinutes(4), args);
        return (exit, output + error);
    }

    [Fact]
    public async Task The_packed_tool_installs_from_a_local_feed_and_runs_as_release_gates()
    {
        var feed = Path.Combine(_folder.Path, "feed");
        var tools = Path.Combine(_folder.Path, "tools");
        var pack = await RunAsync("dotnet", Repository.Root, "pack", Path.Combine("src", "ReleaseGates.Cli"), "-c", "Release", "-o", feed, "-nologo");
        Assert.True(pack.ExitCode == 0, pack.Output);
        var package = Assert.Single(Directory.GetFiles(feed, "ReleaseGates.Cli.*.nupkg"));
        var version = Path.GetFileNameWithoutExtension(package)["ReleaseGates.Cli.".Length..];

        // Only the local feed: the tool's package carries its dependencies, and nothing of the same name elsewhere may win.
        var config = _folder.Write("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        var install = await RunAsync("dotnet", _folder.Path, "tool", "install", "ReleaseGates.Cli", "--tool-path", tools, "--version", version, "--configfile", config);
        Assert.True(install.ExitCode == 0, install.Output);

        File.Copy(Fixtures.Coverage("sample-coverlet.cobertura.xml"), Path.Combine(_folder.Path, "coverage.xml"));
        _folder.Write("releasegates.json", """{ "gates": { "cov": { "type": "coverage", "files": ["coverage.xml"], "minimumLineRate": "40%" } } }""");
        var command = Path.Combine(tools, OperatingSystem.IsWindows() ? "release-gates.exe" : "release-gates");
        var (exit, output) = await RunAsync(command, _folder.Path, "evaluate");
        var (versionExit, versionOutput) = await RunAsync(command, _folder.Path, "--version");

        Assert.True(exit == ReleaseExitCodes.Go, output);
        Assert.Contains("Release decision: GO", output, StringComparison.Ordinal);
        Assert.Equal(0, versionExit);
        Assert.StartsWith(version.Split('-')[0], versionOutput.Trim(), StringComparison.Ordinal);
    }
}
