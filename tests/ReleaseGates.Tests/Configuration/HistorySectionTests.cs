using ReleaseGates.Tests.Support;

namespace ReleaseGates.Tests.Configuration;

/// <summary>The <c>history</c> section of releasegates.json: what it reads, and each problem at its line and column, never a secret.</summary>
public sealed class HistorySectionTests : IDisposable
{
    private readonly Fixtures.TempFolder _folder = Fixtures.CreateTempFolder();

    public void Dispose() => _folder.Dispose();

    private string File(string history) => _folder.Write("ci/releasegates.json", $$"""
        {
          "subject": { "service": "checkout" },
          "history": {{history}},
          "gates": {}
        }
        """);

    [Fact]
    public void A_sqlite_history_is_read_with_its_path_relative_to_the_file_and_its_rule()
    {
        var path = File("""{ "store": "sqlite", "path": "../.releasegates/history.db", "baseline": "median of 5 same branch", "fingerprint": ["cpuModel", "runnerLabel"], "runner": "ci-large", "timeout": "5s" }""");

        var settings = JsonConfigurationReleaseGatesBuilderExtensions.ReadHistorySettings(path)!;

        Assert.Equal(HistoryStoreKind.Sqlite, settings.Store);
        Assert.Equal(Path.Combine(_folder.Path, ".releasegates", "history.db"), settings.Path);
        Assert.Equal(new BaselineRule { Kind = BaselineRuleKind.Median, Count = 5, SameBranch = true, Fingerprint = FingerprintFields.CpuModel | FingerprintFields.RunnerLabel },
            settings.Baseline);
        Assert.Equal(("ci-large", TimeSpan.FromSeconds(5), true), (settings.RunnerLabel, settings.Timeout, settings.Record));
        Assert.Null(JsonConfigurationReleaseGatesBuilderExtensions.ReadHistorySettings(_folder.Write("none.json", """{ "gates": {} }""")));
    }

    [Fact]
    public void A_postgresql_connection_string_comes_from_the_environment_only()
    {
        Environment.SetEnvironmentVariable("RG_TEST_HISTORY", "Host=db;Username=ci;Password=S3cret-Hist0ry");
        try
        {
            var settings = JsonConfigurationReleaseGatesBuilderExtensions.ReadHistorySettings(
                File("""{ "store": "postgresql", "connectionString": "${RG_TEST_HISTORY}", "baseline": "none" }"""))!;
            var literal = Assert.Throws<ReleaseGatesConfigurationException>(() => JsonConfigurationReleaseGatesBuilderExtensions.ReadHistorySettings(
                File("""{ "store": "postgresql", "connectionString": "Host=db;Password=In-The-File" }""")));

            Assert.Equal(("Host=db;Username=ci;Password=S3cret-Hist0ry", "RG_TEST_HISTORY", null), (settings.ConnectionString, settings.ConnectionStringVariable, settings.Baseline));
            var problem = Assert.Single(literal.Problems);
            Assert.StartsWith("ci/releasegates.json:3:59: history.connectionString", problem.Replace(_folder.Path + "/", "", StringComparison.Ordinal),
                StringComparison.Ordinal);
            Assert.Contains("environment reference only", problem, StringComparison.Ordinal);
            Assert.DoesNotContain("In-The-File", problem, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("RG_TEST_HISTORY", null);
        }
    }

    [Fact]
    public void Every_problem_of_the_section_is_listed_with_its_position()
    {
        var path = File("""{ "store": "sqlite", "baseline": "median of zero", "timeout": "0s", "colour": 1 }""");

        var error = Assert.Throws<ReleaseGatesConfigurationException>(() => JsonConfigurationReleaseGatesBuilderExtensions.ReadHistorySettings(path));
        var problems = error.Problems.Select(p => p[(p.IndexOf("releasegates.json", StringComparison.Ordinal) + "releasegates.json".Length)..]).ToList();

        Assert.Contains(problems, p => p.Contains("unknown property 'colour'", StringComparison.Ordinal));
        Assert.Single(error.Problems);
    }

    [Fact]
    public void The_section_is_checked_when_the_file_is_loaded_and_binds_nothing_onto_the_options()
    {
        var path = File("""{ "store": "sqlite", "baseline": "median of zero" }""");

        var error = Assert.Throws<ReleaseGatesConfigurationException>(() => ReleaseGate.CreateBuilder().AddFromJsonFile(path));

        Assert.Contains(error.Problems, p => p.Contains("needs \"path\"", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("from 1 to 100", StringComparison.Ordinal));
        ReleaseGate.CreateBuilder().AddFromJsonFile(File("""{ "store": "sqlite", "path": "h.db" }""")).Build();
    }
}
