namespace ReleaseGates.Tests.History;

public sealed class BaselineRuleTests
{
    [Theory]
    [InlineData("last passing", BaselineRuleKind.LastPassing, 1, false, false, null)]
    [InlineData("  Median   of 5 ", BaselineRuleKind.Median, 5, false, false, null)]
    [InlineData("mean of 3 including warnings", BaselineRuleKind.Mean, 3, true, false, null)]
    [InlineData("median of 5 including warnings same branch", BaselineRuleKind.Median, 5, true, true, null)]
    [InlineData("pinned", BaselineRuleKind.Pinned, 1, false, false, null)]
    [InlineData("pinned 2.3.1-RC1", BaselineRuleKind.Pinned, 1, false, false, "2.3.1-RC1")]
    [InlineData("pinned #42 same branch", BaselineRuleKind.Pinned, 1, false, true, "#42")]
    [InlineData("blessed", BaselineRuleKind.Blessed, 1, false, false, null)]
    public void Parses_every_rule_and_writes_it_back(string text, BaselineRuleKind kind, int count, bool warnings, bool sameBranch, string? pin)
    {
        var rule = BaselineRule.Parse(text);

        Assert.Equal(new BaselineRule { Kind = kind, Count = count, IncludeWarnings = warnings, SameBranch = sameBranch, Pin = pin }, rule);
        Assert.Equal(rule, BaselineRule.Parse(rule.ToString()));
        rule.Validate();
    }

    [Theory]
    [InlineData("", "is not a baseline rule")]
    [InlineData("latest", "is not a baseline rule")]
    [InlineData("median of 0", "from 1 to 100")]
    [InlineData("median of 101", "from 1 to 100")]
    [InlineData("mean of five", "from 1 to 100")]
    [InlineData("pinned #x", "'#' and a number")]
    [InlineData("blessed including warnings", "applies to the passing rules only")]
    [InlineData("same branch last passing", "is not a baseline rule")]
    public void Refuses_what_is_not_a_rule_and_says_what_was_expected(string text, string expected)
    {
        Assert.False(BaselineRule.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => BaselineRule.Parse(text));
    }

    [Fact]
    public void Validate_refuses_parts_that_do_not_fit_together()
    {
        Assert.Throws<ArgumentException>(() => new BaselineRule { Kind = BaselineRuleKind.LastPassing, Count = 3 }.Validate());
        Assert.Throws<ArgumentException>(() => new BaselineRule { Kind = BaselineRuleKind.Median, Count = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new BaselineRule { Kind = BaselineRuleKind.Blessed, Pin = "1.0" }.Validate());
        Assert.Throws<ArgumentException>(() => new BaselineRule { Kind = (BaselineRuleKind)42 }.Validate());
    }
}
