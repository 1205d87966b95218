using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ReleaseGates;

/// <summary>Pieces of PromQL text: names checked, label values quoted, durations written.</summary>
internal static partial class PromQl
{
    public static bool IsMetricName(string name) => MetricName().IsMatch(name);

    public static bool IsLabelName(string name) => LabelName().IsMatch(name);

    /// <summary>A label value as a PromQL double-quoted string, backslashes, quotes and newlines escaped.</summary>
    public static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '"' => text.Append("\\\""),
                '\n' => text.Append(@"\n"),
                _ => text.Append(c),
            };
        }

        return text.Append('"').ToString();
    }

    /// <summary><c>{a="x", b=~"y"}</c> from exact labels and extra matchers; empty braces when there are none.</summary>
    public static string Selector(IEnumerable<KeyValuePair<string, string>> labels, params string?[] matchers)
    {
        var parts = labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + Quote(l.Value))
            .Concat(matchers.Where(m => !string.IsNullOrWhiteSpace(m)).Select(m => m!.Trim()));
        return "{" + string.Join(", ", parts) + "}";
    }

    /// <summary>A duration as PromQL writes it: <c>300s</c>.</summary>
    public static string Duration(TimeSpan duration) => ((long)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();
}
