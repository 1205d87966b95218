using System.Text.RegularExpressions;

namespace ReleaseGates.IO;

/// <summary>A glob over text: <c>*</c> any characters, <c>?</c> one; the whole text, case-insensitive.</summary>
internal static class TextGlob
{
    /// <summary>
    /// The expression that matches <paramref name="pattern"/> (trimmed) against a whole text, run without backtracking:
    /// time linear in the text however many <c>*</c> the pattern has (a backtracking match of <c>*a*a*a*…b</c> against a
    /// long heading takes exponential time), so it needs no timeout and never throws one.
    /// </summary>
    public static Regex Create(string pattern)
        => new(
            "^" + Regex.Escape(pattern.Trim()).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
}
