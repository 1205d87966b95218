using ReleaseGates.Tests.Support;

namespace ReleaseGates.Cli.Tests;

/// <summary>
/// The tool loads gate packages named with --gate-package or in the file's gatePackages, after which the file names their
/// gates as strictly as built-in ones; what is not a gate package is refused with exit 3 and the reason.
/// </summary>
public sealed class GatePackageTests : IDisposable
{
    /// <summary>The sample package (samples/ReleaseGates.Samples.GatePackage), copied beside the tests by its project reference.</summary>
    private static readonly string Package = Path.Combine(AppContext.BaseDirectory, "ReleaseGates.Samples.GatePackage.dll");

    private readonly Fixtures.TempFolder _folder = Fixtures.CreateTempFolder();

    public void Dispose() => _folder.Dispose();

    private void Config(string extra = "", string gate = """{ "type": "queueDepth", "maximumDepth": 100, "depthFile": "depth.txt" }""") =>
        _folder.Write("releasegates.json", $$"""
            {
              {{extra}}
              "gates": { "orders-queue": {{gate}} }
            }
            """);

    [Fact]
    public async Task Evaluates_a_package_gate_named_on_the_command_line()
    {
        _folder.Write("depth.txt", "250");
        Config();

        var (exit, output, error) = await ReleaseGatesTool.RunAsync(_folder.Path, "evaluate", "--gate-package", Package);

        Assert.True(exit == ReleaseExitCodes.NoGo, output + error);
        Assert.Contains("250 messages waiting in default", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluates_a_package_gate_named_in_the_files_gate_packages_relative_to_the_file()
    {
        _folder.Write("depth.txt", "3");
        Directory.CreateDirectory(Path.Combine(_folder.Path, "gates"));
        File.Copy(Package, Path.Combine(_folder.Path, "gates", Path.GetFileName(Package)));
        Config("\"gatePackages\": [\"gates/ReleaseGates.Samples.GatePackage.dll\"],");

        var (exit, output, error) = await ReleaseGatesTool.RunAsync(_folder.Path, "evaluate");

        Assert.True(exit == ReleaseExitCodes.Go, output + error);
        Assert.Contains("3 messages waiting", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_package_gate_property_it_does_not_know_at_its_line()
    {
        Config(gate: """{ "type": "queueDepth", "maximumDepth": 100, "depth": 3 }""");

        var (exit, _, error) = await ReleaseGatesTool.RunAsync(_folder.Path, "validate", "--gate-package", Package);

        Assert.Equal(ReleaseExitCodes.InvalidConfiguration, exit);
        Assert.Contains("releasegates.json:3:75: gates.orders-queue.depth: unknown property 'depth'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_package_the_type_is_unknown()
    {
        Config();

        var (exit, _, error) = await ReleaseGatesTool.RunAsync(_folder.Path, "validate");

        Assert.Equal(ReleaseExitCodes.InvalidConfiguration, exit);
        Assert.Contains("unknown gate type 'queueDepth'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing.dll", null, "does not exist.")]
    [InlineData("text.dll", "not an assembly", "is not a .NET assembly.")]
    public async Task Refuses_what_is_not_a_gate_package_with_exit_3(string name, string? content, string reason)
    {
        if (content is not null)
        {
            _folder.Write(name, content);
        }

        Config();
        var (exit, _, error) = await ReleaseGatesTool.RunAsync(_folder.Path, "validate", "--gate-package", name);

        Assert.Equal(ReleaseExitCodes.InvalidConfiguration, exit);
        Assert.Contains($"--gate-package: the gate package {Path.Combine(_folder.Path, name)} {reason}", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Places_a_missing_package_of_the_file_at_its_line()
    {
        Config("\"gatePackages\": [\"gates/QueueDepth.dll\"],");

        var (exit, _, error) = await ReleaseGatesTool.RunAsync(_folder.Path, "validate");

        Assert.Equal(ReleaseExitCodes.InvalidConfiguration, exit);
        Assert.Contains("releasegates.json:2:20: gatePackages[0]: the gate package gates/QueueDepth.dll does not exist (paths are relative to this file).", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_an_assembly_without_a_gate_kind()
    {
        Config();

        var (exit, _, error) = await ReleaseGatesTool.RunAsync(_folder.Path, "validate", "--gate-package", Path.Combine(AppContext.BaseDirectory, "System.CommandLine.dll"));

        Assert.Equal(ReleaseExitCodes.InvalidConfiguration, exit);
        Assert.Contains("does not reference ReleaseGates", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_schema_includes_the_package_gate()
    {
        var (exit, output, _) = await ReleaseGatesTool.RunAsync(_folder.Path, "schema", "--gate-package", Package);

        Assert.Equal(ReleaseExitCodes.Go, exit);
        Assert.Contains("\"const\": \"queueDepth\"", output, StringComparison.Ordinal);
        Assert.Contains("\"depthFile\"", output, StringComparison.Ordinal);
    }
}
