using System.Globalization;
using System.Xml;
using ReleaseGates.IO;

namespace ReleaseGates;

/// <summary>
/// Reads Cobertura XML (coverlet, dotnet-coverage, Java Cobertura, coverage.py, Istanbul, gcovr), streaming.
/// Coverlet writes every line under its method and again under its class: the class-level lines count, and a
/// method-level line counts only when its number is missing at class level (ReportGenerator's rule).
/// </summary>
internal static class CoberturaReader
{
    public static CoverageData Read(XmlReader reader, string file, Func<string, bool> includeClass)
    {
        var data = new CoverageData();
        var package = "";
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            switch (reader.LocalName)
            {
                case "package":
                    package = reader.GetAttribute("name") ?? "";
                    break;
                case "class":
                    ReadClass(reader, data, package, file, includeClass);
                    break;
            }
        }

        return data;
    }

    private static void ReadClass(XmlReader reader, CoverageData data, string package, string file, Func<string, bool> includeClass)
    {
        var line = SafeXml.Line(reader);
        var className = reader.GetAttribute("name") ?? "";
        var fileName = reader.GetAttribute("filename") ?? throw new ReportFormatException(file, line, $"the class '{className}' has no filename attribute");
        if (reader.IsEmptyElement)
        {
            return;
        }

        var classLines = new Dictionary<int, LineCoverage>();
        var methodLines = new Dictionary<int, LineCoverage>();
        var methods = new List<(string Key, bool Covered)>();
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

    private static (int Number, LineCoverage Coverage) ReadLine(XmlReader reader, string file)
    {
        var at = SafeXml.Line(reader);
        if (!int.TryParse(reader.GetAttribute("number"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            throw new ReportFormatException(file, at, $"a <line> has number '{reader.GetAttribute("number")}', expected a whole number");
        }

        var hitsText = reader.GetAttribute("hits");
        if (!decimal.TryParse(hitsText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var hitsValue) || hitsValue < 0)
        {
            throw new ReportFormatException(file, at, $"line {number} has hits '{hitsText}', expected a whole number of at least 0");
        }

        var coverage = new LineCoverage { Hits = hitsValue > long.MaxValue ? long.MaxValue : (long)hitsValue };

        // condition-coverage="50% (1/2)"; branch="True" (coverlet) or "true" (Java, Istanbul).
        if (string.Equals(reader.GetAttribute("branch"), "true", StringComparison.OrdinalIgnoreCase)
            && reader.GetAttribute("condition-coverage") is { } condition)
        {
            var open = condition.IndexOf('(', StringComparison.Ordinal);
            var slash = condition.IndexOf('/', StringComparison.Ordinal);
            var close = condition.IndexOf(')', StringComparison.Ordinal);
            if (open < 0 || slash < open || close < slash
                || !int.TryParse(condition.AsSpan(open + 1, slash - open - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var covered)
                || !int.TryParse(condition.AsSpan(slash + 1, close - slash - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var total)
                || covered > total)
            {
                throw new ReportFormatException(file, at, $"line {number} has condition-coverage '{condition}', expected the form '50% (1/2)'");
            }

            coverage.BranchesCovered = covered;
            coverage.BranchesTotal = total;
        }

        return (number, coverage);
    }
}
