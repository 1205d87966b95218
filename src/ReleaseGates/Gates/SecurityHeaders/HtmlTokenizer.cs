using System.Net;

namespace ReleaseGates;

/// <summary>A start tag of an HTML document: its lower-case name and attributes (first occurrence wins, entities decoded).</summary>
internal sealed record HtmlStartTag(string Name, IReadOnlyDictionary<string, string> Attributes)
{
    public string? this[string attribute] => Attributes.TryGetValue(attribute, out var value) ? value : null;
}

/// <summary>
/// Finds the start tags of an HTML page the way a browser's tokenizer sees them, in one linear pass: comments, doctype
/// and processing instructions are skipped, and the contents of raw-text elements (<c>script</c>, <c>style</c>,
/// <c>textarea</c>, <c>title</c>, <c>noscript</c>, …) are never read as markup, so a <c>&lt;script src=http://…&gt;</c>
/// inside a comment or a JavaScript string is not a script. Attributes follow the HTML syntax: double-quoted,
/// single-quoted or unquoted values, names without values, duplicates ignored after the first.
/// </summary>
internal static class HtmlTokenizer
{
    private static readonly HashSet<string> RawText = new(StringComparer.Ordinal) { "script", "style", "textarea", "title", "xmp", "iframe",
        "noembed", "noframes", "noscript", "plaintext" };

    public static IEnumerable<HtmlStartTag> StartTags(string html)
    {
        var i = 0;
        while (i < html.Length)
        {
            var lt = html.IndexOf('<', i);
            if (lt < 0 || lt + 1 >= html.Length)
            {
                yield break;
            }

            var next = html[lt + 1];
            if (next == '!')
            {
                i = string.CompareOrdinal(html, lt, "<!--", 0, 4) == 0 ? SkipPast(html, lt + 4, "-->") : SkipPast(html, lt + 2, ">");
                continue;
            }

            if (next is '?' or '/')
            {
                i = SkipPast(html, lt + 2, ">");
                continue;
            }

            if (!char.IsAsciiLetter(next))
            {
                i = lt + 1;
                continue;
            }

            var (tag, end) = ReadStartTag(html, lt + 1);
            yield return tag;
            i = end;
            if (RawText.Contains(tag.Name))
            {
                i = tag.Name == "plaintext" ? html.Length : SkipToEndTag(html, i, tag.Name);
            }
        }
    }

    private static (HtmlStartTag Tag, int End) ReadStartTag(string html, int start)
    {
        var i = start;
        while (i < html.Length && !IsSpace(html[i]) && html[i] is not '/' and not '>')
        {
            i++;
        }

        var name = html[start..i].ToLowerInvariant();
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        while (i < html.Length)
        {
            while (i < html.Length && (IsSpace(html[i]) || html[i] == '/'))
            {
                i++;
            }

            if (i >= html.Length || html[i] == '>')
            {
                i++;
                break;
            }

            var nameStart = i;
            i++; // an attribute name may start with '=' (a parse error browsers tolerate)
            while (i < html.Length && !IsSpace(html[i]) && html[i] is not '/' and not '>' and not '=')
            {
                i++;
            }

            var attribute = html[nameStart..i].ToLowerInvariant();
            while (i < html.Length && IsSpace(html[i]))
            {
                i++;
            }

            var value = "";
            if (i < html.Length && html[i] == '=')
            {
                i++;
                while (i < html.Length && IsSpace(html[i]))
                {
                    i++;
                }

                if (i < html.Length && html[i] is '"' or '\'')
                {
                    var quote = html[i];
                    var close = html.IndexOf(quote, i + 1);
                    close = close < 0 ? html.Length : close;
                    value = html[(i + 1)..close];
                    i = Math.Min(html.Length, close + 1);
                }
                else
                {
                    var valueStart = i;
                    while (i < html.Length && !IsSpace(html[i]) && html[i] != '>')
                    {
                        i++;
                    }

                    value = html[valueStart..i];
                }
            }

            attributes.TryAdd(attribute, WebUtility.HtmlDecode(value));
        }

        return (new HtmlStartTag(name, attributes), i);
    }

    /// <summary>The position after the end tag <c>&lt;/name</c> (any case) of a raw-text element, or the end of the text.</summary>
    private static int SkipToEndTag(string html, int from, string name)
    {
        var i = from;
        while (true)
        {
            var lt = html.IndexOf("</", i, StringComparison.Ordinal);
            if (lt < 0)
            {
                return html.Length;
            }

            var after = lt + 2 + name.Length;
            if (after <= html.Length && string.Compare(html, lt + 2, name, 0, name.Length, StringComparison.OrdinalIgnoreCase) == 0
                && (after == html.Length || IsSpace(html[after]) || html[after] is '>' or '/'))
            {
                return SkipPast(html, after, ">");
            }

            i = lt + 2;
        }
    }

    private static int SkipPast(string html, int from, string marker)
    {
        var at = html.IndexOf(marker, Math.Min(from, html.Length), StringComparison.Ordinal);
        return at < 0 ? html.Length : at + marker.Length;
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f';
}
