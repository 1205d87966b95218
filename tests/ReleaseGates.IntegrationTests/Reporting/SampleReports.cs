using ReleaseGates.IntegrationTests.Support;

namespace ReleaseGates.IntegrationTests.Reporting;

/// <summary>
/// The sample host's four kinds of report, each written by a real run into its own folder: a GO (run twice, so that the
/// second has a history with trends), a NO-GO, a GO on a waiver and a watch of three rounds.
/// </summary>
public sealed class SampleReports : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("releasegates-html-").FullName;

    /// <summary>The folder of each kind: go, no-go, waiver, watch.</summary>
    public IReadOnlyDictionary<string, string> Folders { get; private set; } = new Dictionary<string, string>();

    public async ValueTask InitializeAsync()
    {
        var runs = new (string Kind, string[] Arguments, int Times)[]
        {
            ("go", ["--requests", "300"], 2),
            ("no-go", ["--break", "hsts,errors,migrations", "--requests", "300"], 1),
            ("waiver", ["--break", "checklist", "--waive-rollback", "--requests", "300"], 1),
            ("watch", ["--watch", "3", "--requests", "300"], 1),
        };
        var folders = new Dictionary<string, string>();
        foreach (var (kind, arguments, times) in runs)
        {
            var folder = Path.Combine(_root, kind);
            for (var i = 0; i < times; i++)
            {
                var (exit, output) = await SampleHost.RunAsync(CancellationToken.None, [.. arguments, "--output", folder]);
                Assert.True(exit is ReleaseExitCodes.Go or ReleaseExitCodes.NoGo, $"The sample ({kind}) exited with {exit}: {output}");
            }

            folders[kind] = folder;
        }

        Folders = folders;
    }

    /// <summary>The report of a kind, read from its <c>report.json</c>.</summary>
    public ReleaseReport Read(string kind) => ReleaseReport.FromJson(File.ReadAllText(Path.Combine(Folders[kind], "report.json")));

    /// <summary>The path of a kind's <c>report.html</c>.</summary>
    public string Html(string kind) => Path.Combine(Folders[kind], "report.html");

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return ValueTask.CompletedTask;
    }
}
