using System.Text.Json.Nodes;
using ReleaseGates.Tests.Support;

namespace ReleaseGates.Cli.Tests;

/// <summary>
/// The NativeAOT build cannot load .NET assemblies, so it refuses gate packages by name and says what to use instead.
/// In .ci/run's native pass this runs the native executable; otherwise the .NET tool with the same switch turned off,
/// as the native build turns it off (ReleaseGates.Cli.csproj).
/// </summary>
public sealed class NativeToolTests : IDisposable
{
    private readonly Fixtures.TempFolder _folder = Fixtures.CreateTempFolder();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Without_assembly_loading_a_gate_package_is_refused_with_what_to_use_instead_and_the_bundled_gates_still_load()
    {
        var package = Path.Combine(AppContext.BaseDirectory, "ReleaseGates.Samples.GatePackage.dll");
        _folder.Write("releasegates.json", """{ "gates": { "orders-queue": { "type": "queueDepth", "maximumDepth": 100, "depthFile": "depth.txt" } } }""");

        var (exit, output, error) = await RunWithoutAssemblyLoadingAsync("validate", "--gate-package", package);

        Assert.True(exit == ReleaseExitCodes.InvalidConfiguration, output + error);
        Assert.Contains($"--gate-package: the gate package {package} cannot be loaded by this native release-gates", error, StringComparison.Ordinal);
        Assert.Contains("dotnet tool install ReleaseGates.Cli", error, StringComparison.Ordinal);

        // The OpenSLO kind is bundled, so its type is known without any package.
        _folder.Write("releasegates.json", """{ "gates": { "slo": { "type": "openslo", "file": "missing.yaml" } } }""");
        (exit, output, error) = await RunWithoutAssemblyLoadingAsync("validate");
        Assert.True(exit == ReleaseExitCodes.InvalidConfiguration, output + error);
        Assert.DoesNotContain("unknown gate type", error, StringComparison.Ordinal);
    }

    private Task<(int ExitCode, string Output, string Error)> RunWithoutAssemblyLoadingAsync(params string[] args)
    {
        if (ReleaseGatesTool.Native is not null)
        {
            return ReleaseGatesTool.RunAsync(_folder.Path, args);
        }

        var config = JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(ReleaseGatesTool.Assembly, ".runtimeconfig.json")))!;
        config["runtimeOptions"]!["configProperties"]!["ReleaseGates.Cli.GatePackages.IsSupported"] = false;
        var runtimeConfig = _folder.Write("without-packages.runtimeconfig.json", config.ToJsonString());
        return ReleaseGatesTool.RunProcessAsync("dotnet", _folder.Path, new Dictionary<string, string?> { ["GITHUB_ACTIONS"] = null },
            TimeSpan.FromSeconds(60), ["exec", "--runtimeconfig", runtimeConfig, ReleaseGatesTool.Assembly, .. args]);
    }
}
