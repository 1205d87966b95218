using System.Text.RegularExpressions;
using ReleaseGates.Tests.Support;

namespace ReleaseGates.IntegrationTests.Docs;

public partial class GateDocsExamplesTests
{
    public static TheoryData<string> Pages() => new(Directory.GetFiles(Path.Combine(Repository.Root, "docs"), "*.md", SearchOption.AllDirectories)
        .Append(Path.Combine(Repository.Root, "src", "ReleaseGates", "PACKAGE.md"))
        .Select(p => Path.GetRelativePath(Repository.Root, p).Replace('\\', '/')).Order());

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_csharp_block_of_the_page_is_compiled_verbatim(string page)
    {
        var markdown = File.ReadAllText(Path.Combine(Repository.Root, page));
        // The snippets compile here, and a gate package's in the third-party project, built against the public API only.
        var files = new[] { "tests/ReleaseGates.IntegrationTests/Docs", "tests/ReleaseGates.ThirdPartyGates.Tests" }
            .SelectMany(folder => Directory.GetFiles(Path.Combine(Repository.Root, folder), "*.cs"))
            .Select(File.ReadAllText)
            .ToList();
        var source = Normalise(string.Join('\n', files));
        var usings = files.SelectMany(f => f.Split('\n')).Select(l => l.Trim()).Where(l => UsingDirective().IsMatch(l)).ToHashSet(StringComparer.Ordinal);
        usings.Add("using ReleaseGates;");   // the snippets' namespace is inside ReleaseGates
        foreach (Match block in CSharpBlock().Matches(markdown))
        {
            // A block may open with its usings, as a reader copies it into a file: each must be one the compiled snippets use.
            var lines = block.Groups[1].Value.Split('\n');
            var header = lines.TakeWhile(l => UsingDirective().IsMatch(l.Trim()) || l.Trim().Length == 0).ToList();
            foreach (var directive in header.Select(l => l.Trim()).Where(l => l.Length > 0))
            {
                Assert.True(usings.Contains(directive), $"{page}: '{directive}' is not a using of the compiled snippets in tests/ReleaseGates.IntegrationTests/Docs");
            }

            var body = string.Join('\n', lines.Skip(header.Count));
            Assert.True(source.Contains(Normalise(body), StringComparison.Ordinal), $"This block of {page} is not compiled in tests/ReleaseGates.IntegrationTests/Docs (copy it there unchanged):\n{body}");
        }

        if (page.StartsWith("docs/gates/", StringComparison.Ordinal))
        {
            Assert.True(CSharpBlock().IsMatch(markdown), $"{page} has no ```csharp example");
        }
    }

    [Fact]
    public void Every_example_passes_registration()
    {
        GateDocsExamples.Canary();
        GateDocsExamples.Checklist();
        GateDocsExamples.Coverage();
        GateDocsExamples.ErrorRate();
        GateDocsExamples.HealthChecks();
        GateDocsExamples.HostResources();
        GateDocsExamples.Latency();
        GateDocsExamples.Metric();
        GateDocsExamples.Prometheus();
        GateDocsExamples.Migrations();
        GateDocsExamples.SecurityHeaders();
        GateDocsExamples.SmokeTests();
        GateDocsExamples.TestResults();
        GateDocsExamples.WebSocket();
        GateDocsExamples.Tls();
    }

    /// <summary>
    /// Every public <c>AddXxx</c> gate extension of the library (found by reflection, so a new gate cannot be forgotten) has
    /// a page under docs/gates that shows it, and README and getting-started link that page.
    /// </summary>
    [Fact]
    public void Every_gate_has_a_docs_page_linked_from_the_readme_and_getting_started()
    {
        var gates = typeof(ReleaseGate).Assembly.GetExportedTypes()
            .Where(t => t is { IsAbstract: true, IsSealed: true } && t.Name.EndsWith("ReleaseGatesBuilderExtensions", StringComparison.Ordinal) || t.Name.EndsWith("ReleaseGatesExtensions", StringComparison.Ordinal))
            .SelectMany(t => t.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static))
            // AddFromJson and AddFromJsonFile load gates rather than add one; docs/configuration.md shows them.
            // AddWaiver adds an exception, not a gate; docs/waivers.md shows it.
            .Where(m => m.Name.StartsWith("Add", StringComparison.Ordinal) && m.Name is not ("Add" or "AddGate" or "AddWaiver")
                && m.DeclaringType != typeof(JsonConfigurationReleaseGatesBuilderExtensions)
                && m.GetParameters() is [var first, ..] && typeof(IReleaseGatesBuilder).IsAssignableFrom(first.ParameterType.IsGenericParameter ? first.ParameterType.GetGenericParameterConstraints().FirstOrDefault() ?? typeof(object) : first.ParameterType))
            .Select(m => m.Name)
            .Distinct()
            .Order()
            .ToList();
        Assert.True(gates.Count >= 9, "found only: " + string.Join(", ", gates));   // the nine gates of today at least

        var pages = Directory.GetFiles(Path.Combine(Repository.Root, "docs", "gates"), "*.md").ToDictionary(p => "gates/" + Path.GetFileName(p), File.ReadAllText);
        var readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));
        var gettingStarted = File.ReadAllText(Path.Combine(Repository.Root, "docs", "getting-started.md"));
        foreach (var gate in gates)
        {
            var page = pages.FirstOrDefault(p => p.Value.Contains($".{gate}(", StringComparison.Ordinal)).Key;
            Assert.True(page is not null, $"{gate} has no page under docs/gates showing it (a ```csharp example calling .{gate}(...)).");
            Assert.True(readme.Contains("docs/" + page, StringComparison.Ordinal), $"README.md does not link docs/{page} ({gate}).");
            Assert.True(gettingStarted.Contains(page, StringComparison.Ordinal), $"docs/getting-started.md does not link {page} ({gate}).");
        }
    }

    private static string Normalise(string code) => string.Join('\n', code.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

    [GeneratedRegex("```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"^using (static )?[A-Za-z_][A-Za-z0-9_.]*;$")]
    private static partial Regex UsingDirective();

    [Fact]
    public async Task The_report_snippet_writes_every_report_file_into_a_folder_it_creates()
    {
        var report = await ReleaseGate.CreateBuilder().AddGate("g", (_, _) => ValueTask.FromResult(GateResult.Passed("ok"))).EvaluateAsync(TestContext.Current.CancellationToken);
        var folder = Path.Combine(Path.GetTempPath(), "releasegates-docs-" + Guid.NewGuid().ToString("N"), "nested");
        try
        {
            var written = await report.WriteToDirectoryAsync(folder, TestContext.Current.CancellationToken);
            Assert.Equal(["report.json", "report.md", "junit.xml", "report.sarif", "report.html", "report.comment.md", "gl-code-quality-report.json"],
                written.Select(Path.GetFileName));
            Assert.Equal(ReleaseDecision.Go, ReleaseReport.FromJson(await File.ReadAllTextAsync(written[0], TestContext.Current.CancellationToken)).Decision);
            Assert.False((await File.ReadAllBytesAsync(written[1], TestContext.Current.CancellationToken)).AsSpan().StartsWith("\uFEFF"u8));

            // The docs' snippet itself, run: it writes into ./release-report (created) of the current directory.
            await DocsSnippets.Reports(report);
            Assert.True(File.Exists(Path.Combine("release-report", "junit.xml")));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }
}
