using System.Globalization;
using System.Text;

namespace ReleaseGates.IO;

/// <summary>
/// Makes any string safe for a report format: control characters (an ANSI colour code, a NUL quoted from a bad file),
/// lone surrogates and non-characters become visible <c>\u001B</c>-style escapes, and line breaks are kept or flattened
/// as the format needs. Nothing is dropped silently: what could not be shown as is, is shown escaped.
/// </summary>
internal static class ReportText
{
    /// <summary>Text for XML 1.0 (attributes and elements): tab, CR and LF kept, every other character XML cannot hold escaped.</summary>
    public static string Xml(string? text) => Escape(text, keepLineBreaks: true);

    /// <summary>One line: CR/LF and tabs become spaces (CRLF one space), other control characters are escaped.</summary>
    public static string Line(string? text) => Escape(text, keepLineBreaks: false);

    /// <summary>A Markdown table cell: one line, with pipes and HTML-significant brackets escaped.</summary>
    public static string MarkdownCell(string? text)
    {
        var line = Line(text);
        if (line.AsSpan().IndexOfAny('|', '<', '>') < 0)
        {
            return line;
        }

        return line.Replace("|", "\\|", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
    }

    private static string Escape(string? text, bool keepLineBreaks)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }

        var firstBad = -1;
        for (var i = 0; i < text.Length; i++)
        {
            if (NeedsWork(text, i, keepLineBreaks))
            {
                firstBad = i;
                break;
            }
        }

        if (firstBad < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 16).Append(text, 0, firstBad);
        for (var i = firstBad; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb.Append(c).Append(text[++i]);
            }
            else if (!keepLineBreaks && c is '\r' or '\n' or '\t')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                sb.Append(' ');
            }
            else if (NeedsWork(text, i, keepLineBreaks))
            {
                sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static bool NeedsWork(string text, int i, bool keepLineBreaks)
    {
        var c = text[i];
        if (c < 0x20)
        {
            return !(keepLineBreaks && c is '\t' or '\n' or '\r');
        }

        if (c is >= '\u007F' and <= '\u009F' or '\uFFFE' or '\uFFFF')
        {
            return true;
        }

        if (char.IsHighSurrogate(c))
        {
            return !(i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]));
        }

        if (char.IsLowSurrogate(c))
        {
            // Reached only when not preceded by its high surrogate (pairs are consumed together).
            return !(i > 0 && char.IsHighSurrogate(text[i - 1]));
        }

        return false;
    }
}
