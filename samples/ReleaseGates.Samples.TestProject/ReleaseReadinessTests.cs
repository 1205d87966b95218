using ReleaseGates;
using Xunit;

namespace ReleaseGates.Samples.TestProject;

/// <summary>
/// A release-readiness test as a team would write it: the gates read the reports their CI produced (here the real
/// files in tests/fixtures) and <see cref="ReleaseReport.EnsureGo"/> fails the test with a table of what fell short.
/// </summary>
public class ReleaseReadinessTests
{
    private static readonly string Fixtures = FindFixtures();

    [Fact]
    public async Task Release_is_ready()
    {
        var report = await ReleaseGate.CreateBuilder()
            .Configure(o => o.Subject = new ReleaseSubject { Service = "silent-notes", Version = "7.2.0" })
            .AddTestResults("unit-tests", o =>
            {
                o.Files.Add(Path.Combine(Fixtures, "test-results", "silentnotes.trx"));
                o.MinimumExecuted = 50;
                o.MaximumSkipped = 20;
            })
            .AddCoverage("coverage", o =>
            {
                o.Files.Add(Path.Combine(Fixtures, "coverage", "reportgenerator-coverlet.cobertura.xml"));
                o.MinimumLineRate = 0.60;
            })
            .EvaluateAsync(TestContext.Current.CancellationToken);

        report.EnsureGo();
    }

    [Fact]
    public async Task A_failing_release_explains_itself()
    {
        var report = await ReleaseGate.CreateBuilder()
            .AddTestResults("unit-tests", o => o.Files.Add(Path.Combine(Fixtures, "test-results", "dotnet-vstest.trx")))
            .AddCoverage("coverage", o =>
            {
                o.Files.Add(Path.Combine(Fixtures, "coverage", "sample-coverlet.cobertura.xml"));
                o.MinimumLineRate = 0.85;
            })
            .EvaluateAsync(TestContext.Current.CancellationToken);

        var error = Assert.Throws<ReleaseNotReadyException>(() => report.EnsureGo());

        // The message is the table a developer reads in the test output.
        Assert.Contains("Release is NO-GO", error.Message, StringComparison.Ordinal);
        Assert.Contains("failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("line >= 85%", error.Message, StringComparison.Ordinal);
        Assert.Contains("44.77 %", error.Message, StringComparison.Ordinal);
    }

    private static string FindFixtures()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "tests", "fixtures")))
        {
            dir = dir.Parent;
        }

        return dir is null ? throw new InvalidOperationException("tests/fixtures not found above " + AppContext.BaseDirectory) : Path.Combine(dir.FullName, "tests", "fixtures");
    }
}
