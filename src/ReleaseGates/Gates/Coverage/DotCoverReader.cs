using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using ReleaseGates.IO;

namespace ReleaseGates;

/// <summary>
/// Reads JetBrains dotCover's detailed XML (<c>dotCover cover --ReportType=DetailedXML</c>, TeamCity's and Rider's
/// exports), streaming. dotCover measures statements; lines are derived as ReportGenerator derives them: every line from
/// a statement's <c>Line</c> to its <c>EndLine</c> is coverable, and covered when any statement on it was covered. A
/// top-level type the compiler generated (<c>&lt;…&gt;…__</c>) is left out, nested ones count with the type that holds
/// them, and lambdas are not methods of their own (a state machine's <c>MoveNext</c> counts for its async method).
/// </summary>
internal static partial class DotCoverReader
{
    /// <summary>The most lines one statement may span: more is a broken report, not code.</summary>
    private const int MaximumStatementLines = 100_000;

    public static CoverageData Read(XmlReader reader, string file, Func<string, bool> includeClass)
    {
        var state = new ReadState(file, includeClass);
        do
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                state.Visit(reader);
            }
        }
        while (reader.Read());

        // As ReportGenerator counts a method covered: any covered line from its first statement's to its last's (a lambda
        // inside it that ran counts), once every line of the file is known.
        foreach (var ((target, key), (first, last)) in state.Ranges)
        {
            target.AddMethod(key, Enumerable.Range(first, last - first + 1).Any(n => target.Lines.TryGetValue(n, out var line) && line.Hits > 0));
        }

        return state.Data;
    }

    /// <summary>Where the reader is in the report: its file indices, assembly, namespace, types and method.</summary>
    private sealed class ReadState(string file, Func<string, bool> includeClass)
    {
        private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);
        private readonly Stack<(string Name, int Depth)> _types = new();
        private string _module = "";
        private string _space = "";
        private string? _method;
        private string _owner = "";

        public CoverageData Data { get; } = new();

        /// <summary>Each method's first and last line in each file it has statements in.</summary>
        public Dictionary<(FileCoverage File, string Method), (int First, int Last)> Ranges { get; } = [];

        public void Visit(XmlReader reader)
        {
            while (_types.Count > 0 && _types.Peek().Depth >= reader.Depth)
            {
                _types.Pop();
            }

            switch (reader.LocalName)
            {
                case "Root":
                    _files.Clear();
                    break;
                case "File" when reader.GetAttribute("Index") is { } index && reader.GetAttribute("Name") is { } name:
                    _files[index] = name;
                    break;
                case "Assembly":
                    (_module, _space) = (reader.GetAttribute("Name") ?? "", "");
                    break;
                case "Namespace":
                    _space = reader.GetAttribute("Name") ?? "";
                    break;
                case "Type":
                    _types.Push((reader.GetAttribute("Name") ?? "", reader.Depth));
                    break;
                case "Method":
                    _owner = string.Join(".", _types.Reverse().Select(t => t.Name)) + "::" + reader.GetAttribute("Name");
                    _method = MethodKey(_types, reader.GetAttribute("Name") ?? "");
                    break;
                case "Statement" when _types.Count > 0 && !Excluded(_types, _space, includeClass):
                    var (target, first, last) = ReadStatement(reader, _files, Data, _module, _owner, file);
                    if (_method is not null)
                    {
                        Ranges[(target, _method)] = Ranges.TryGetValue((target, _method), out var range)
                            ? (Math.Min(range.First, first), Math.Max(range.Last, last)) : (first, last);
                    }

                    break;
            }
        }
    }

    /// <summary>A statement's lines, each covered when the statement was; returns its file and its lines.</summary>
    private static (FileCoverage File, int First, int Last) ReadStatement(XmlReader reader, Dictionary<string, string> files, CoverageData data,
        string module, string method, string file)
    {
        var line = SafeXml.Line(reader);
        var index = reader.GetAttribute("FileIndex");
        if (index is null || !files.TryGetValue(index, out var path))
        {
            throw new ReportFormatException(file, line, $"a Statement names the file index '{index}', which the report's FileIndices do not list");
        }

        if (!int.TryParse(reader.GetAttribute("Line"), NumberStyles.None, CultureInfo.InvariantCulture, out var first) || first < 1
            || !int.TryParse(reader.GetAttribute("EndLine"), NumberStyles.None, CultureInfo.InvariantCulture, out var last) || last < first
            || last - first > MaximumStatementLines)
        {
            throw new ReportFormatException(file, line,
                $"a Statement's Line '{reader.GetAttribute("Line")}' and EndLine '{reader.GetAttribute("EndLine")}' are not a range of line numbers");
        }

        var covered = reader.GetAttribute("Covered") switch
        {
            "True" => true,
            "False" => false,
            var other => throw new ReportFormatException(file, line, $"a Statement's Covered is '{other}', where True or False was expected"),
        };
        var target = data.File(module, path);
        for (var n = first; n <= last; n++)
        {
            target.AddLine(n, covered ? 1 : 0);
        }

        _ = int.TryParse(reader.GetAttribute("Column"), NumberStyles.None, CultureInfo.InvariantCulture, out var column);
        _ = int.TryParse(reader.GetAttribute("EndColumn"), NumberStyles.None, CultureInfo.InvariantCulture, out var endColumn);
        target.AddStatement((method, first, column, last, endColumn), covered);

        return (target, first, last);
    }

    /// <summary>Whether the statement's top-level type is compiler-generated or filtered out.</summary>
    private static bool Excluded(Stack<(string Name, int Depth)> types, string space, Func<string, bool> includeClass)
    {
        var top = types.Last().Name;
        return CompilerGenerated().IsMatch(top) || !includeClass(space.Length == 0 ? top : space + "." + top);
    }

    /// <summary>The method's key within its file, or null when it is a lambda (its statements count, it is not a method).</summary>
    private static string? MethodKey(Stack<(string Name, int Depth)> types, string name)
    {
        var typePath = string.Join(".", types.Reverse().Select(t => t.Name));
        return Lambda().IsMatch(name) && !name.Contains('|', StringComparison.Ordinal) ? null : typePath + "::" + name;
    }

    [GeneratedRegex("<.*>.+__")]
    private static partial Regex CompilerGenerated();

    [GeneratedRegex(@"<.+>.+__.+\(.*\)")]
    private static partial Regex Lambda();
}
