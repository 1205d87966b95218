using System.Text.RegularExpressions;
using ReleaseGates.Tests.Support;

namespace ReleaseGates.IntegrationTests.Docs;

public partial class GateDocsExamplesTests
{
    public static TheoryData<string> Pages() => new(Directory.GetFiles(Path.Combine(Repository.Root, "docs"), "*.md", SearchOption.AllDirectories)
        .Select(p => Path.GetRelativePath(Repository.Root, p).Replace('\\', '/')).Order());

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_csharp_block_of_the_page_is_compiled_verbatim(string page)
    {
        var markdown = File.ReadAllText(Path.Combine(Repository.Root, page));
        var folder = Path.Combine(Repository.Root, "tests/ReleaseGates.IntegrationTests/Docs");
        var source = Normalise(string.Join('\n', Directory.GetFiles(folder, "*.cs").Select(File.ReadAllText)));
        foreach (Match block in CSharpBlock().Matches(markdown))
        {
            Assert.True(source.Contains(Normalise(block.Groups[1].Value), StringComparison.Ordinal), $"This block of {page} is not compiled in tests/ReleaseGates.IntegrationTests/Docs (copy it there unchanged):\n{block.Groups[1].Value}");
        }

        if (page.StartsWith("docs/gates/", StringComparison.Ordinal))
        {
            Assert.True(CSharpBlock().IsMatch(markdown), $"{page} has no ```csharp example");
        }
    }

    [Fact]
    public void Every_example_passes_registration()
    {
        GateDocsExamples.Coverage();
        GateDocsExamples.ErrorRate();
        GateDocsExamples.HealthChecks();
        GateDocsExamples.HostResources();
        GateDocsExamples.Latency();
        GateDocsExamples.Migrations();
        GateDocsExamples.SecurityHeaders();
        GateDocsExamples.SmokeTests();
        GateDocsExamples.TestResults();
    }

    private static string Normalise(string code) => string.Join('\n', code.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

    [GeneratedRegex("```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
