using System.Globalization;

namespace ReleaseGates;

/// <summary>
/// How a baseline is chosen from a history, always among evaluations of the same service and environment (and branch,
/// when <see cref="SameBranch"/> is set) that were not invalidated. Written as text in <c>releasegates.json</c> and on the
/// command line: <c>last passing</c>, <c>median of 5</c>, <c>mean of 3 including warnings</c>, <c>pinned</c>,
/// <c>pinned 2.3.1</c>, <c>pinned #42</c>, <c>blessed</c>, each optionally followed by <c>same branch</c>.
/// </summary>
public sealed record BaselineRule
{
    /// <summary>The most evaluations <see cref="Count"/> may combine: 100.</summary>
    public const int MaximumCount = 100;

    /// <summary>How the baseline is chosen.</summary>
    public BaselineRuleKind Kind { get; init; } = BaselineRuleKind.LastPassing;

    /// <summary>
    /// How many passing evaluations <see cref="BaselineRuleKind.Median"/> and <see cref="BaselineRuleKind.Mean"/>
    /// combine (1 to 100); 1 for the other rules.
    /// </summary>
    public int Count { get; init; } = 1;

    /// <summary>Whether GO WITH WARNINGS counts as passing. Default: only GO.</summary>
    public bool IncludeWarnings { get; init; }

    /// <summary>Whether only evaluations of the same branch are candidates. Default: every branch.</summary>
    public bool SameBranch { get; init; }

    /// <summary>
    /// For <see cref="BaselineRuleKind.Pinned"/>: <c>#42</c> for an id, <c>2.3.1</c> for the newest evaluation of that
    /// version; <see langword="null"/> for the latest pinned.
    /// </summary>
    public string? Pin { get; init; }

    /// <summary>
    /// Which fingerprint fields must match before performance-like measurements are compared. Default: <see
    /// cref="FingerprintFields.Default"/>.
    /// </summary>
    public FingerprintFields Fingerprint { get; init; } = FingerprintFields.Default;

    /// <summary>The latest passing evaluation.</summary>
    public static BaselineRule LastPassing { get; } = new();

    /// <summary>Parses a rule's text form (see the type's summary).</summary>
    /// <param name="text">The text, such as <c>median of 5</c>.</param>
    /// <returns>The rule.</returns>
    /// <exception cref="FormatException">The text is not a rule; the message says what was expected.</exception>
    public static BaselineRule Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var rule, out var error) ? rule : throw new FormatException(error);
    }

    /// <summary>Parses a rule's text form without throwing.</summary>
    /// <param name="text">The text.</param>
    /// <param name="rule">The rule, when the text is one.</param>
    /// <param name="error">What was expected, when it is not.</param>
    /// <returns>Whether the text is a rule.</returns>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out BaselineRule? rule,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        rule = null;
        var words = (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(w => w.ToLowerInvariant()).ToList();
        var original = (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var sameBranch = TakeSuffix(words, "same", "branch");
        var includeWarnings = TakeSuffix(words, "including", "warnings");
        error = $"'{text}' is not a baseline rule; expected 'last passing', 'median of N', 'mean of N', 'pinned', 'pinned VERSION', "
            + $"'pinned #ID' or 'blessed', optionally followed by 'including warnings' (not for pinned and blessed) and 'same branch'.";
        switch (words)
        {
            case ["last", "passing"]:
                rule = new BaselineRule { Kind = BaselineRuleKind.LastPassing };
                break;
            case ["median" or "mean", "of", var n]:
                if (!int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > MaximumCount)
                {
                    error = $"'{text}': the number of evaluations must be a whole number from 1 to {MaximumCount}, not '{n}'.";
                    return false;
                }

                rule = new BaselineRule { Kind = words[0] == "median" ? BaselineRuleKind.Median : BaselineRuleKind.Mean, Count = count };
                break;
            case ["pinned"]:
                rule = new BaselineRule { Kind = BaselineRuleKind.Pinned };
                break;
            case ["pinned", _]:
                if (words[1].StartsWith('#') && !long.TryParse(words[1].AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    error = $"'{text}': an evaluation id is written '#' and a number, such as '#42'.";
                    return false;
                }

                rule = new BaselineRule { Kind = BaselineRuleKind.Pinned, Pin = original[1] };
                break;
            case ["blessed"]:
                rule = new BaselineRule { Kind = BaselineRuleKind.Blessed };
                break;
            default:
                return false;
        }

        if (includeWarnings && rule.Kind is BaselineRuleKind.Pinned or BaselineRuleKind.Blessed)
        {
            rule = null;
            error = $"'{text}': 'including warnings' applies to the passing rules only; a pinned or blessed evaluation is used whatever its decision.";
            return false;
        }

        rule = rule with { IncludeWarnings = includeWarnings, SameBranch = sameBranch };
        error = null;
        return true;
    }

    /// <summary>The rule's text form, which <see cref="Parse"/> reads back.</summary>
    /// <returns>The text, such as <c>median of 5 same branch</c>.</returns>
    public override string ToString()
    {
        var text = Kind switch
        {
            BaselineRuleKind.Median => $"median of {Count.ToString(CultureInfo.InvariantCulture)}",
            BaselineRuleKind.Mean => $"mean of {Count.ToString(CultureInfo.InvariantCulture)}",
            BaselineRuleKind.Pinned => Pin is null ? "pinned" : "pinned " + Pin,
            BaselineRuleKind.Blessed => "blessed",
            _ => "last passing",
        };
        return text + (IncludeWarnings ? " including warnings" : "") + (SameBranch ? " same branch" : "");
    }

    /// <summary>Throws when the rule's parts do not fit together.</summary>
    /// <exception cref="ArgumentException">The count is out of range or does not fit the kind, or a pin is given to another kind.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind))
        {
            throw new ArgumentException($"'{Kind}' is not a baseline rule kind.", nameof(Kind));
        }

        if (Kind is BaselineRuleKind.Median or BaselineRuleKind.Mean ? Count is < 1 or > MaximumCount : Count != 1)
        {
            throw new ArgumentException($"The rule '{this}' combines {Count} evaluations; median and mean take 1 to {MaximumCount}, the other rules 1.",
                nameof(Count));
        }

        if (Pin is not null && (Kind != BaselineRuleKind.Pinned || string.IsNullOrWhiteSpace(Pin)))
        {
            throw new ArgumentException("A pin (an id such as '#42' or a version) is given only to the pinned rule, and is not empty.", nameof(Pin));
        }
    }

    /// <summary>Removes <paramref name="first"/> <paramref name="second"/> from the end of <paramref name="words"/>, if it is there.</summary>
    private static bool TakeSuffix(List<string> words, string first, string second)
    {
        if (words.Count < 2 || words[^2] != first || words[^1] != second)
        {
            return false;
        }

        words.RemoveRange(words.Count - 2, 2);
        return true;
    }
}
