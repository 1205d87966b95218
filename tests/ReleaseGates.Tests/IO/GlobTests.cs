using ReleaseGates.IO;

namespace ReleaseGates.Tests.IO;

public class GlobTests
{
    [Fact]
    public void A_text_glob_with_many_stars_against_a_long_text_answers_without_a_timeout()
    {
        // Exponential for a backtracking engine: 30 stars, a long text of the letter they separate, and no match at the end.
        var pattern = string.Concat(Enumerable.Repeat("*a", 30)) + "*b";
        var text = new string('a', 5_000);

        var glob = TextGlob.Create(pattern);

        Assert.DoesNotMatch(glob, text);
        Assert.Matches(glob, text + "b");
        Assert.Matches(TextGlob.Create("*Tier 3*"), "## Tier 3 — before release");
        Assert.Matches(TextGlob.Create("checklist.md:2?"), "CHECKLIST.md:27");
    }

    [Fact]
    public void A_file_glob_with_many_stars_answers_without_backtracking()
    {
        var glob = FileGlob.ToRegex(string.Concat(Enumerable.Repeat("*x", 25)) + "*/y");
        Assert.DoesNotMatch(glob, new string('x', 4_000));
        Assert.Matches(FileGlob.ToRegex("**/coverage.cobertura.xml"), "tests/a/TestResults/coverage.cobertura.xml");
    }
}
