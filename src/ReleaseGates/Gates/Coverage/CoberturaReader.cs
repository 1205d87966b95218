using System.Globalization;
using System.Runtime.CompilerServices;
using System.Xml;
using ReleaseGates.IO;

namespace ReleaseGates;

/// <summary>
/// Reads Cobertura XML (coverlet, dotnet-coverage, Java Cobertura, coverage.py, Istanbul, gcovr), streaming.
/// Coverlet writes every line under its method and again under its class: the class-level lines count, and a
/// method-level line counts only when its number is missing at class level (ReportGenerator's rule).
/// </summary>
/// <remarks>
/// The three reading methods are compiled optimised from the first call: a coverage file is read once per process, often
/// a large one, and tiered compilation would run most of a 100 MB parse in unoptimised code (1.6 s instead of 2.15 s for
/// 105.9 MB as a process; docs/performance.md).
/// </remarks>
internal static class CoberturaReader
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static CoverageData Read(XmlReader reader, string file, Func<string, bool> includeClass)
    {
        var data = new CoverageData();
        var package = "";
        var sources = new List<string>();
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            switch (reader.LocalName)
            {
                case "source" when !reader.IsEmptyElement:
                    var source = reader.ReadElementContentAsString().Trim();
                    if (source.Length > 0)
                    {
                        sources.Add(source);
                    }

                    break;
                case "package":
                    package = reader.GetAttribute("name") ?? "";
                    break;
                case "class":
                    ReadClass(reader, data, package, file, includeClass, sources);
                    break;
            }
        }

        return data;
    }

    /// <summary>
    /// A class's file name resolved against the report's <c>&lt;sources&gt;</c>, as ReportGenerator does: a rooted name is
    /// kept; otherwise the first source under which the file exists, else the first source. coverlet writes
    /// <c>&lt;source&gt;/&lt;/source&gt;</c> with <c>filename="tmp/…/File.cs"</c> where its OpenCover output says
    /// <c>/tmp/…/File.cs</c>: resolved, both name one file and merge as one.
    /// </summary>
    internal static string Resolve(string fileName, IReadOnlyList<string> sources)
    {
        if (sources.Count == 0 || IsRooted(fileName))
        {
            return fileName;
        }

        if (sources.Count > 1)
        {
            foreach (var source in sources)
            {
                var candidate = Combine(source, fileName);
                if (System.IO.File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return Combine(sources[0], fileName);
    }

    /// <summary>Rooted in either convention, whatever the platform reading it: <c>/src/…</c>, <c>\\server\…</c>, <c>C:\…</c>.</summary>
    private static bool IsRooted(string path)
        => path.Length > 0 && (path[0] is '/' or '\\' || (path.Length >= 3 && char.IsAsciiLetter(path[0]) && path[1] == ':' && path[2] is '\\' or '/'));

    /// <summary>Joins with the separator the source itself uses (a Windows report read on Linux keeps its backslashes).</summary>
    private static string Combine(string source, string fileName)
    {
        if (source[^1] is '/' or '\\')
        {
            return source + fileName;
        }

        var separator = source.Contains('\\', StringComparison.Ordinal) && !source.Contains('/', StringComparison.Ordinal) ? '\\' : '/';
        return source + separator + fileName;
    }

    [ThreadStatic]
    private static Dictionary<int, LineCoverage>? t_classLines;

    [ThreadStatic]
    private static Dictionary<int, LineCoverage>? t_methodLines;

    [ThreadStatic]
    private static List<(string Key, bool Covered)>? t_methods;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReadClass(XmlReader reader, CoverageData data, string package, string file, Func<string, bool> includeClass,
        IReadOnlyList<string> sources)
    {
        var line = SafeXml.Line(reader);
        var className = reader.GetAttribute("name") ?? "";
        var fileName = Resolve(reader.GetAttribute("filename") ?? throw new ReportFormatException(file, line,
            $"the class '{className}' has no filename attribute"), sources);
        if (reader.IsEmptyElement)
        {
            return;
        }

        var classLines = t_classLines ??= [];
        var methodLines = t_methodLines ??= [];
        var methods = t_methods ??= [];
        classLines.Clear();
        methodLines.Clear();
        methods.Clear();
        var depth = reader.Depth;
        string? method = null;
        var methodDepth = -1;
        var methodCovered = false;
        while (reader.Read() && reader.Depth > depth)
        {
            if (method is not null && reader.Depth <= methodDepth)
            {
                methods.Add((method, methodCovered));
                method = null;
            }

            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            if (reader.LocalName == "method")
            {
                method = className + "::" + reader.GetAttribute("name") + reader.GetAttribute("signature");
                methodDepth = reader.Depth;
                methodCovered = false;
                if (reader.IsEmptyElement)
                {
                    method = null;
                }
            }
            else if (reader.LocalName == "line")
            {
                var (number, coverage) = ReadLine(reader, file);
                if (method is not null)
                {
                    methodCovered |= coverage.Hits > 0;
                    methodLines[number] = coverage;
                }
                else
                {
                    // Within one class the last entry for a line stands (ReportGenerator's rule).
                    classLines[number] = coverage;
                }
            }
        }

        if (method is not null)
        {
            methods.Add((method, methodCovered));
        }

        if (!includeClass(className))
        {
            return;
        }

        var target = data.File(package, fileName);
        foreach (var (number, coverage) in classLines)
        {
            target.AddLine(number, coverage.Hits, coverage.BranchesCovered, coverage.BranchesTotal);
        }

        foreach (var (number, coverage) in methodLines)
        {
            if (!classLines.ContainsKey(number))
            {
                target.AddLine(number, coverage.Hits, coverage.BranchesCovered, coverage.BranchesTotal);
            }
        }

        foreach (var (key, covered) in methods)
        {
            target.AddMethod(key, covered);
        }
    }

    /// <summary>
    /// Reads a <c>line</c> element's attributes without allocating a string per attribute (the hot path: a 100 MB report
    /// has over a million of them): values are copied into a reusable buffer and parsed from the span.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int Number, LineCoverage Coverage) ReadLine(XmlReader reader, string file)
    {
        var at = SafeXml.Line(reader);
        var buffer = t_buffer ??= new char[256];
        int? number = null;
        long? hits = null;
        var isBranch = false;
        int covered = 0, total = 0;
        var hasCondition = false;
        string? bad = null;
        if (reader.MoveToFirstAttribute())
        {
            do
            {
                var name = reader.LocalName;
                if (name is not ("number" or "hits" or "branch" or "condition-coverage"))
                {
                    continue;
                }

                var length = reader.CanReadValueChunk ? reader.ReadValueChunk(buffer, 0, buffer.Length) : CopyValue(reader.Value, buffer);
                var value = buffer.AsSpan(0, length);
                switch (name)
                {
                    case "number":
                        number = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw Bad(file,
                            at, $"a <line> has number '{value}', expected a whole number");
                        break;
                    case "hits":
                        if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var h) && h >= 0)
                        {
                            hits = h;
                        }
                        else if (decimal.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var big) && big >= 0)
                        {
                            hits = long.MaxValue;
                        }
                        else
                        {
                            bad = value.ToString();
                        }

                        break;
                    case "branch":
                        isBranch = value.Equals("true", StringComparison.OrdinalIgnoreCase);
                        break;
                    default:
                        hasCondition = true;
                        if (!TryParseCondition(value, out covered, out total))
                        {
                            throw Bad(file, at, $"a <line> has condition-coverage '{value}', expected the form '50% (1/2)'");
                        }

                        break;
                }
            }
            while (reader.MoveToNextAttribute());

            reader.MoveToElement();
        }

        if (number is not { } lineNumber)
        {
            throw Bad(file, at, "a <line> has no number attribute");
        }

        if (hits is not { } lineHits)
        {
            throw Bad(file, at, $"line {lineNumber} has hits '{bad}', expected a whole number of at least 0");
        }

        var coverage = new LineCoverage { Hits = lineHits };
        if (isBranch && hasCondition)
        {
            coverage.BranchesCovered = covered;
            coverage.BranchesTotal = total;
        }

        return (lineNumber, coverage);
    }

    [ThreadStatic]
    private static char[]? t_buffer;

    private static int CopyValue(string value, char[] buffer)
    {
        var length = Math.Min(value.Length, buffer.Length);
        value.AsSpan(0, length).CopyTo(buffer);
        return length;
    }

    private static bool TryParseCondition(ReadOnlySpan<char> condition, out int covered, out int total)
    {
        covered = total = 0;
        var open = condition.IndexOf('(');
        var slash = condition.IndexOf('/');
        var close = condition.IndexOf(')');
        return open >= 0 && slash > open && close > slash
            && int.TryParse(condition[(open + 1)..slash], NumberStyles.None, CultureInfo.InvariantCulture, out covered)
            && int.TryParse(condition[(slash + 1)..close], NumberStyles.None, CultureInfo.InvariantCulture, out total)
            && covered <= total;
    }

    private static ReportFormatException Bad(string file, int line, string problem) => new(file, line, problem);
}
