using System.Globalization;

namespace ReleaseGates;

/// <summary>Reads the added and changed line numbers of each file from a unified diff (<c>git diff</c> output).</summary>
internal static class UnifiedDiff
{
    /// <summary>New-side line numbers that the diff adds or modifies, by the new file's path ('/' separators).</summary>
    public static Dictionary<string, SortedSet<int>> AddedLines(TextReader reader, string source)
    {
        var result = new Dictionary<string, SortedSet<int>>(StringComparer.Ordinal);
        SortedSet<int>? current = null;
        var newLine = 0;
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.StartsWith("+++ ", StringComparison.Ordinal))
            {
                var path = line[4..].Split('\t')[0].Trim();
                if (path == "/dev/null")
                {
                    current = null;
                    continue;
                }

                if (path.StartsWith("b/", StringComparison.Ordinal))
                {
                    path = path[2..];
                }

                path = path.Replace('\\', '/');
                if (!result.TryGetValue(path, out current))
                {
                    current = [];
                    result[path] = current;
                }
            }
            else if (line.StartsWith("@@", StringComparison.Ordinal))
            {
                // @@ -a[,b] +c[,d] @@
                var plus = line.IndexOf('+', StringComparison.Ordinal);
                var end = plus < 0 ? -1 : line.IndexOfAny([',', ' '], plus);
                if (plus < 0 || end < 0 || !int.TryParse(line.AsSpan(plus + 1, end - plus - 1), NumberStyles.None, CultureInfo.InvariantCulture, out newLine))
                {
                    throw new IO.ReportFormatException(source, number, $"'{line}' is not a hunk header of the form '@@ -a,b +c,d @@'");
                }
            }
            else if (current is not null && line.StartsWith('+'))
            {
                current.Add(newLine++);
            }
            else if (current is not null && (line.StartsWith(' ') || line.Length == 0))
            {
                newLine++;
            }

            // '-' lines exist only on the old side; "\ No newline at end of file" changes nothing.
        }

        return result;
    }

    /// <summary>Contiguous runs of line numbers, written <c>12-18</c> or <c>12</c>.</summary>
    public static IEnumerable<string> Ranges(IEnumerable<int> lines)
    {
        int? start = null, previous = null;
        foreach (var line in lines)
        {
            if (previous is { } p && line == p + 1)
            {
                previous = line;
                continue;
            }

            if (start is { } s)
            {
                yield return s == previous ? $"{s}" : $"{s}-{previous}";
            }

            start = previous = line;
        }

        if (start is { } last)
        {
            yield return last == previous ? $"{last}" : $"{last}-{previous}";
        }
    }
}
