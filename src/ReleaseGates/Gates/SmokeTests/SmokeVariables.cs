using System.Text.RegularExpressions;

namespace ReleaseGates;

/// <summary>The <c>{{name}}</c> references of smoke requests to values captured from earlier responses.</summary>
internal static partial class SmokeVariables
{
    public static bool IsName(string name) => NamePattern().IsMatch(name);

    /// <summary>The variables a request's path, headers and body refer to.</summary>
    public static IEnumerable<string> Referenced(SmokeRequest request)
        => new[] { request.Path, request.Body ?? "" }.Concat(request.Headers.Values)
            .SelectMany(text => Reference().Matches(text).Select(m => m.Groups[1].Value))
            .Distinct(StringComparer.Ordinal);

    /// <summary>The text with every reference replaced by its value; references to unknown names are left as they are.</summary>
    public static string Substitute(string text, IReadOnlyDictionary<string, string> values)
        => Reference().Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    /// <summary>The text with every captured value masked, so a token never reaches a report or a log.</summary>
    public static string Mask(string text, IEnumerable<string> values)
    {
        foreach (var value in values.Where(v => v.Length >= 3).Distinct(StringComparer.Ordinal).OrderByDescending(v => v.Length))
        {
            text = text.Replace(value, "***", StringComparison.Ordinal);
        }

        return text;
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_-]+)\s*\}\}")]
    private static partial Regex Reference();

    [GeneratedRegex(@"^[A-Za-z0-9_-]+$")]
    private static partial Regex NamePattern();
}
