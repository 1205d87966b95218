using System.Globalization;
using System.Text.RegularExpressions;

namespace ReleaseGates;

/// <summary>One checklist item as written: a task-list item (<c>- [x] text</c>) or a table row with a status mark.</summary>
/// <param name="File">The file it is in, as the gate was told it.</param>
/// <param name="Line">Its 1-based line.</param>
/// <param name="Text">Its text, without the box or the status cell.</param>
/// <param name="Checked">Whether its box is ticked (or its status mark means done).</param>
/// <param name="Headings">The headings it is under, outermost first.</param>
/// <param name="Parent">The index of the item it is nested under, or -1.</param>
internal sealed record ChecklistItem(string File, int Line, string Text, bool Checked, IReadOnlyList<ChecklistHeading> Headings, int Parent)
{
    /// <summary>Who signed it off (<c>@name</c> in its text), or <see langword="null"/>.</summary>
    public string? SignedBy { get; init; }

    /// <summary>When: the first ISO date (<c>2026-11-30</c>) after <see cref="SignedBy"/> in its text, or <see langword="null"/>.</summary>
    public DateOnly? SignedOn { get; init; }

    /// <summary>Its evidence: the first link or URL in its text, or <see langword="null"/>.</summary>
    public string? Evidence { get; init; }
}

/// <summary>A Markdown heading: its level (1 to 6), text and line.</summary>
internal sealed record ChecklistHeading(int Level, string Text, int Line);

/// <summary>
/// Reads the checklists of a Markdown file: task-list items (<c>-</c>, <c>*</c>, <c>+</c> or <c>1.</c> followed by
/// <c>[ ]</c>, <c>[x]</c> or <c>[X]</c>), nested by indentation, and table rows one of whose cells is a status mark
/// (✅ done; ❌, ⏳, 🟡 and others open). Headings group them. Fenced code blocks are skipped.
/// </summary>
internal static partial class MarkdownChecklist
{
    /// <summary>Status cells that mean done.</summary>
    internal static readonly string[] DoneMarks = ["✅", "✔", "✔️", "☑", "☑️", "🟢", "[x]", "[X]"];

    /// <summary>Status cells that mean not done (partial counts as not done).</summary>
    internal static readonly string[] OpenMarks = ["❌", "✖", "✖️", "⬜", "☐", "⏳", "🟡", "🟠", "🔴", "⚪", "[ ]"];

    public static List<ChecklistItem> Read(TextReader reader, string file)
    {
        var items = new List<ChecklistItem>();
        var headings = new List<ChecklistHeading>();
        var open = new List<(int Indent, int Index)>();
        string? fence = null;
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            var trimmed = line.TrimStart();
            if (fence is not null)
            {
                fence = trimmed.StartsWith(fence, StringComparison.Ordinal) ? null : fence;
                continue;
            }

            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
            {
                fence = trimmed[..3];
                continue;
            }

            if (Heading().Match(line) is { Success: true } h)
            {
                var level = h.Groups[1].Length;
                headings.RemoveAll(x => x.Level >= level);
                headings.Add(new ChecklistHeading(level, Plain(h.Groups[2].Value), number));
                open.Clear();
                continue;
            }

            if (TaskItem().Match(line) is { Success: true } t)
            {
                var indent = Indent(t.Groups[1].Value);
                open.RemoveAll(o => o.Indent >= indent);
                var parent = open.Count == 0 ? -1 : open[^1].Index;
                items.Add(WithSignOff(new ChecklistItem(file, number, t.Groups[3].Value.Trim(), t.Groups[2].Value is "x" or "X", [.. headings], parent)));
                open.Add((indent, items.Count - 1));
                continue;
            }

            if (trimmed.StartsWith('|') && TableRow(trimmed, file, number, headings) is { } row)
            {
                items.Add(row);
                continue;
            }

            if (trimmed.Length > 0 && Indent(line) == 0 && !ListItem().IsMatch(line))
            {
                open.Clear(); // a paragraph at the margin ends the list
            }
        }

        return items;
    }

    /// <summary>A table row with exactly one status cell, or <see langword="null"/> (a header, a separator, a row of values).</summary>
    private static ChecklistItem? TableRow(string row, string file, int line, List<ChecklistHeading> headings)
    {
        var cells = row.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
        var status = -1;
        for (var i = 0; i < cells.Length; i++)
        {
            if (DoneMarks.Contains(cells[i], StringComparer.Ordinal) || OpenMarks.Contains(cells[i], StringComparer.Ordinal))
            {
                if (status >= 0)
                {
                    return null;
                }

                status = i;
            }
        }

        var text = string.Join(" — ", cells.Where((c, i) => i != status && c.Length > 0));
        return status < 0 || text.Length == 0
            ? null
            : WithSignOff(new ChecklistItem(file, line, text, DoneMarks.Contains(cells[status], StringComparer.Ordinal), [.. headings], -1));
    }

    private static ChecklistItem WithSignOff(ChecklistItem item)
    {
        // A sign-off is a name and the date after it ("@alice 2026-11-30"): a date alone may be a deadline, not a sign-off.
        var who = SignedBy().Match(item.Text);
        var when = who.Success ? SignedOn().Match(item.Text, who.Index) : Match.Empty;
        var link = Link().Match(item.Text);
        return item with
        {
            SignedBy = who.Success ? who.Groups[1].Value : null,
            SignedOn = when.Success && DateOnly.TryParseExact(when.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None,
                out var date) ? date : null,
            Evidence = link.Success ? (link.Groups[1].Success ? link.Groups[1].Value : link.Value) : null,
        };
    }

    /// <summary>A heading's text without emphasis markers and closing hashes.</summary>
    private static string Plain(string text) => text.Replace("**", "", StringComparison.Ordinal).Replace("__", "",
        StringComparison.Ordinal).TrimEnd('#', ' ').Trim();

    private static int Indent(string whitespace)
    {
        var width = 0;
        foreach (var c in whitespace)
        {
            if (c == ' ')
            {
                width++;
            }
            else if (c == '\t')
            {
                width += 4;
            }
            else
            {
                break;
            }
        }

        return width;
    }

    [GeneratedRegex(@"^ {0,3}(#{1,6})\s+(.*)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^(\s*)(?:[-*+]|\d{1,9}[.)])\s+\[([ xX])\]\s+(.*)$")]
    private static partial Regex TaskItem();

    [GeneratedRegex(@"^\s*(?:[-*+]|\d{1,9}[.)])\s")]
    private static partial Regex ListItem();

    [GeneratedRegex(@"(?<![\w.])@([A-Za-z0-9][\w.-]*)")]
    private static partial Regex SignedBy();

    [GeneratedRegex(@"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)")]
    private static partial Regex SignedOn();

    [GeneratedRegex(@"\]\((https?://[^)\s]+)\)|https?://[^\s)>\]]+")]
    private static partial Regex Link();
}
