using System.Text;
using System.Text.RegularExpressions;

namespace ReleaseGates.IO;

/// <summary>
/// Expands file globs such as <c>TestResults/**/coverage.cobertura.xml</c>: <c>**</c> matches any number of folders,
/// <c>*</c> any characters within one path segment, <c>?</c> one character. Paths are relative to a base folder unless
/// rooted; separators may be <c>/</c> or <c>\</c>. A pattern without wildcards names one file.
/// </summary>
internal static class FileGlob
{
    /// <summary>The files matching every pattern, each once, sorted by path.</summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> patterns, string baseDirectory)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var pattern in patterns)
        {
            foreach (var file in Expand(pattern, baseDirectory))
            {
                files.Add(file);
            }
        }

        return [.. files];
    }

    public static IEnumerable<string> Expand(string pattern, string baseDirectory)
    {
        var normalized = pattern.Replace('\\', '/');
        var firstWildcard = normalized.IndexOfAny(['*', '?']);
        if (firstWildcard < 0)
        {
            var single = Path.GetFullPath(normalized, baseDirectory);
            return File.Exists(single) ? [single] : [];
        }

        // The fixed folder before the first wildcard is where the walk starts.
        var lastSlash = normalized.LastIndexOf('/', firstWildcard);
        var root = lastSlash < 0 ? baseDirectory : Path.GetFullPath(lastSlash == 0 ? "/" : normalized[..lastSlash], baseDirectory);
        var rest = lastSlash < 0 ? normalized : normalized[(lastSlash + 1)..];
        if (!Directory.Exists(root))
        {
            return [];
        }

        var regex = ToRegex(rest);
        var recursive = rest.Contains("**", StringComparison.Ordinal) || rest.Contains('/', StringComparison.Ordinal);
        var options = new EnumerationOptions { RecurseSubdirectories = recursive, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        return Directory.EnumerateFiles(root, "*", options)
            .Where(f => regex.IsMatch(Path.GetRelativePath(root, f).Replace('\\', '/')));
    }

    internal static Regex ToRegex(string glob)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                // "**/" matches zero or more folders; a trailing "**" matches everything below.
                if (i + 2 < glob.Length && glob[i + 2] == '/')
                {
                    sb.Append("(?:.*/)?");
                    i += 2;
                }
                else
                {
                    sb.Append(".*");
                    i++;
                }
            }
            else if (c == '*')
            {
                sb.Append("[^/]*");
            }
            else if (c == '?')
            {
                sb.Append("[^/]");
            }
            else
            {
                sb.Append(Regex.Escape(c.ToString()));
            }
        }

        // Without backtracking: a glob with many stars matches in linear time (see TextGlob).
        return new Regex(sb.Append('$').ToString(),
            RegexOptions.CultureInvariant | RegexOptions.NonBacktracking | (OperatingSystem.IsWindows() ? RegexOptions.IgnoreCase : RegexOptions.None));
    }

    /// <summary>
    /// Names report files for a summary: paths relative to <paramref name="baseDirectory"/> (two coverage.cobertura.xml
    /// in different test folders stay apart), the first three, then how many more.
    /// </summary>
    public static string Describe(IReadOnlyList<string> files, string baseDirectory)
    {
        const int Shown = 3;
        var names = files.Take(Shown).Select(f =>
        {
            var relative = Path.GetRelativePath(baseDirectory, f);
            return (relative.StartsWith("..", StringComparison.Ordinal) ? f : relative).Replace('\\', '/');
        });
        var text = string.Join(", ", names);
        return files.Count > Shown ? $"{text} and {files.Count - Shown} more" : text;
    }
}
