using ReleaseGates.Tests.Support;

namespace ReleaseGates.Cli.Tests;

/// <summary>
/// The tool reads OpenSLO files without a --gate-package: <c>"type": "openslo"</c> is bundled. What the file says that is
/// not read is refused by <c>validate</c> with the SLO file's line, as the configuration's own problems are.
/// </summary>
public sealed class OpenSloThroughTheToolTests : IDisposable
{
    private readonly Fixtures.TempFolder _folder = Fixtures.CreateTempFolder();

    public void Dispose() => _folder.Dispose();

    private static string Fixture(string name) => Path.Combine(Repository.Root, "tests", "fixtures", "openslo", name);

    [Fact]
    public async Task Validates_an_openslo_gate_and_refuses_the_spec_example_it_cannot_query_at_the_slo_files_line()
    {
        File.Copy(Fixture("main-page-prometheus.yaml"), Path.Combine(_folder.Path, "main-page.yaml"));
        File.Copy(Fixture(Path.Combine("spec-examples", "ratio-timeslices.yaml")), Path.Combine(_folder.Path, "ratio-timeslices.yaml"));
        _folder.Write("releasegates.json", """
            {
              "gates": {
                "main-page": { "type": "openslo", "file": "main-page.yaml", "objective": "Good", "minimumBudgetRemaining": 0.1 }
              }
            }
            """);

        var (exit, output, error) = await ReleaseGatesTool.RunAsync(_folder.Path, "validate");
        Assert.True(exit == 0, output + error);

        _folder.Write("releasegates.json", """
            {
              "gates": {
                "main-page": { "type": "openslo", "file": "ratio-timeslices.yaml", "prometheus": { "baseAddress": "http://127.0.0.1:9/" } }
              }
            }
            """);
        (exit, _, error) = await ReleaseGatesTool.RunAsync(_folder.Path, "validate");

        Assert.Equal(ReleaseExitCodes.InvalidConfiguration, exit);
        Assert.Contains("releasegates.json:3:18: gates.main-page: ", error, StringComparison.Ordinal);
        Assert.Contains("ratio-timeslices.yaml:18:13: a metricSource of type 'Any' is not read", error, StringComparison.Ordinal);
    }
}
