using System.Text.RegularExpressions;
using ReleaseGates.Tests.Support;

namespace ReleaseGates.IntegrationTests.Docs;

public partial class GateDocsExamplesTests
{
    public static TheoryData<string> Pages() => new(Directory.GetFiles(Path.Combine(Repository.Root, "docs/gates"), "*.md").Select(Path.GetFileNameWithoutExtension).Order()!);

    [Theory]
    [MemberData(nameof(Pages))]
    public void The_pages_first_example_is_the_compiled_one(string page)
    {
        var markdown = File.ReadAllText(Path.Combine(Repository.Root, "docs/gates", page + ".md"));
        var example = CSharpBlock().Match(markdown);
        Assert.True(example.Success, $"docs/gates/{page}.md has no ```csharp example");
        var source = Normalise(File.ReadAllText(Path.Combine(Repository.Root, "tests/ReleaseGates.IntegrationTests/Docs/GateDocsExamples.cs")));
        var expected = Normalise(example.Groups[1].Value);

        Assert.True(source.Contains(expected, StringComparison.Ordinal), $"docs/gates/{page}.md's example is not the one in GateDocsExamples.cs:\n{example.Groups[1].Value}");
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
