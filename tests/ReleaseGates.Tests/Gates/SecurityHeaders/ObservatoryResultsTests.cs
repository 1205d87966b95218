using System.Text.RegularExpressions;
using ReleaseGates.Tests.Support;

namespace ReleaseGates.Tests.Gates.SecurityHeaders;

/// <summary>The scorer's one table of results and modifiers, and the docs page that lists them, agree exactly.</summary>
public partial class ObservatoryResultsTests
{
    [Fact]
    public void The_docs_table_lists_every_result_with_its_test_and_modifier_and_nothing_else()
    {
        var page = File.ReadAllLines(Path.Combine(Repository.Root, "docs/gates/security-headers.md"));
        var header = Array.IndexOf(page, "| test | result (modifier) |");
        Assert.True(header >= 0, "docs/gates/security-headers.md has no '| test | result (modifier) |' table");
        var documented = page.Skip(header + 2).TakeWhile(l => l.StartsWith('|'))
            .SelectMany(row =>
            {
                var test = row.Split('|')[1].Trim().Split(' ')[0];
                return DocumentedResult().Matches(row).Select(m =>
                    (test, m.Groups[1].Value, int.Parse(m.Groups[2].Value.Replace('−', '-'), System.Globalization.CultureInfo.InvariantCulture)));
            })
            .ToHashSet();

        var table = ObservatoryResults.All.ToHashSet();
        Assert.Empty(table.Except(documented));
        Assert.Empty(documented.Except(table));
    }

    [Fact]
    public void Result_names_are_unique_and_an_unknown_one_is_a_programming_error()
    {
        Assert.Equal(ObservatoryResults.All.Count, ObservatoryResults.All.Select(r => r.Result).Distinct(StringComparer.Ordinal).Count());
        Assert.Throws<InvalidOperationException>(() => ObservatoryResults.ModifierOf("csp-not-a-result"));
    }

    [GeneratedRegex(@"`([a-z0-9-]+)` \(([+−]?[0-9]+)\)")]
    private static partial Regex DocumentedResult();
}
