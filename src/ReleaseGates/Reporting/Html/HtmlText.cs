using System.Globalization;
using System.Text;

namespace ReleaseGates;

/// <summary>
/// Text made inert for an HTML page: every character that could open markup or end an attribute is an entity, control
/// characters are shown as their visible symbols (U+2400 block) and a broken surrogate as U+FFFD, so that evidence (a gate
/// name, a header value, a file name) is always shown as text and never read as markup.
/// </summary>
internal static class HtmlText
{
    /// <summary>Characters that no file name a finding links to holds: markup, quotes, wildcards.</summary>
    private static readonly System.Buffers.SearchValues<char> NotInFileNames = System.Buffers.SearchValues.Create("<>\"|*`");

    /// <summary>Appends <paramref name="text"/> escaped for an element's content or a quoted attribute value.</summary>
    public static StringBuilder AppendText(this StringBuilder sb, string? text)
    {
        if (text is null)
        {
            return sb;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                case '\t' or '\n': sb.Append(c); break;
                case '\r': sb.Append('\u240D'); break;
                case < ' ': sb.Append((char)(0x2400 + c)); break;
                case '\u007F': sb.Append('\u2421'); break;
                case >= '\u0080' and <= '\u009F': sb.Append('\uFFFD'); break;
                case >= '\uD800' and <= '\uDBFF' when i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]):
                    sb.Append(c).Append(text[++i]);
                    break;
                case >= '\uD800' and <= '\uDFFF': sb.Append('\uFFFD'); break;
                default: sb.Append(c); break;
            }
        }

        return sb;
    }

    /// <summary><paramref name="text"/> escaped (<see cref="AppendText"/>).</summary>
    public static string Escape(string? text) => new StringBuilder(text?.Length ?? 0).AppendText(text).ToString();

    /// <summary>A number for an SVG attribute: invariant, at most one decimal (a tenth of a pixel).</summary>
    public static string Svg(double value) => double.IsFinite(value) ? Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture) : "0";

    /// <summary>
    /// A link target for a finding's file: a relative path of ordinary segments, percent-encoded, with <c>#L</c> and the
    /// line (as code hosts link lines). <see langword="null"/> for anything else (a URL, an absolute or parent path, a scheme),
    /// which is shown as text and never linked.
    /// </summary>
    public static string? FileHref(string? target, int? line)
    {
        if (string.IsNullOrWhiteSpace(target) || target.Length > 1024 || target.Contains(':', StringComparison.Ordinal)
            || target.StartsWith('/') || target.StartsWith('\\') || target.StartsWith('~'))
        {
            return null;
        }

        // A file: ordinary segments (no markup characters, no blanks around them), the last with an extension; an
        // endpoint ("GET /api/orders"), a table or a URL is no file and stays text.
        var segments = target.Replace('\\', '/').Split('/');
        if (segments.Any(s => s is "" or "." or ".." || s.Trim().Length != s.Length || s.AsSpan().IndexOfAny(NotInFileNames) >= 0 || s.Any(char.IsControl))
            || segments[^1].LastIndexOf('.') is <= 0 || segments[^1].EndsWith('.'))
        {
            return null;
        }

        var href = string.Join('/', segments.Select(Uri.EscapeDataString));
        return line is { } l ? href + "#L" + l.ToString(CultureInfo.InvariantCulture) : href;
    }
}
