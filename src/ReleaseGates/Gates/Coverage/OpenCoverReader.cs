using System.Globalization;
using System.Xml;
using ReleaseGates.IO;

namespace ReleaseGates;

/// <summary>
/// Reads OpenCover XML (OpenCover, AltCover, coverlet), streaming. Sequence points become lines by marking every line
/// from <c>sl</c> to <c>el</c> and adding their visit counts (ReportGenerator's rule); modules, classes and methods with
/// <c>skippedDueTo</c> are left out.
/// </summary>
internal static class OpenCoverReader
{
    public static CoverageData Read(XmlReader reader, string file, Func<string, bool> includeClass)
    {
        var data = new CoverageData();
        var module = "";
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var className = "";
        var skipClass = false;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            switch (reader.LocalName)
            {
                case "Module":
                    files.Clear();
                    module = "";
                    if (reader.GetAttribute("skippedDueTo") is not null)
                    {
                        reader.Skip();
                        if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Module")
                        {
                            goto case "Module";
                        }
                    }

                    break;
                case "ModuleName":
                    module = reader.ReadElementContentAsString();
                    break;
                case "File":
                    var uid = reader.GetAttribute("uid");
                    var path = reader.GetAttribute("fullPath");
                    if (uid is not null && path is not null)
                    {
                        files[uid] = path;
                    }

                    break;
                case "Class":
                    className = "";
                    skipClass = reader.GetAttribute("skippedDueTo") is not null;
                    break;
                case "FullName":
                    className = reader.ReadElementContentAsString();
                    break;
                case "Method":
                    if (skipClass || reader.GetAttribute("skippedDueTo") is not null || reader.IsEmptyElement)
                    {
                        break;
                    }

                    ReadMethod(reader, data, module, className, files, file, includeClass(className));
                    break;
            }
        }

        return data;
    }

    private static void ReadMethod(XmlReader reader, CoverageData data, string module, string className, Dictionary<string, string> files,
        string file, bool include)
    {
        var depth = reader.Depth;
        string? name = null;
        string? fileRef = null;
        var lines = new Dictionary<(string File, int Line), LineCoverage>();
        var covered = false;
        while (reader.Read() && reader.Depth > depth)
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            switch (reader.LocalName)
            {
                case "Name":
                    name = reader.ReadElementContentAsString();
                    break;
                case "FileRef":
                    fileRef = reader.GetAttribute("uid");
                    break;
                case "SequencePoint":
                {
                    var (vc, sl, el, fid) = Point(reader, file, fileRef, end: true);
                    covered |= vc > 0;
                    for (var l = sl; l <= el; l++)
                    {
                        lines.TryGetValue((fid, l), out var c);
                        c.Hits += vc;
                        lines[(fid, l)] = c;
                    }

                    break;
                }

                case "BranchPoint":
                {
                    var (vc, sl, _, fid) = Point(reader, file, fileRef, end: false);
                    lines.TryGetValue((fid, sl), out var c);
                    c.BranchesTotal++;
                    c.BranchesCovered += vc > 0 ? 1 : 0;
                    lines[(fid, sl)] = c;
                    break;
                }
            }
        }

        // A method without sequence points (abstract, compiler-generated) has nothing to cover.
        if (!include || !lines.Keys.Any(k => k.Line > 0))
        {
            return;
        }

        foreach (var ((fid, number), coverage) in lines)
        {
            if (number <= 0 || !files.TryGetValue(fid, out var path))
            {
                continue;
            }

            data.File(module, path).AddLine(number, coverage.Hits, coverage.BranchesCovered, coverage.BranchesTotal);
        }

        var methodFile = fileRef is not null && files.TryGetValue(fileRef, out var p) ? p : files.Values.FirstOrDefault();
        if (methodFile is not null)
        {
            data.File(module, methodFile).AddMethod(className + "::" + name, covered);
        }
    }

    /// <summary>The longest span one sequence point may cover; coverlet and OpenCover write the lines of one statement.</summary>
    internal const int MaxSequencePointLines = 10_000;

    private static (long Visits, int StartLine, int EndLine, string FileId) Point(XmlReader reader, string file, string? fileRef, bool end)
    {
        var at = SafeXml.Line(reader);
        if (!long.TryParse(reader.GetAttribute("vc"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var vc) || vc < 0)
        {
            throw new ReportFormatException(file, at, $"a <{reader.LocalName}> has vc '{reader.GetAttribute("vc")}', expected a whole number of at least 0");
        }

        // Branch points of some writers omit sl: they then count on no line.
        _ = int.TryParse(reader.GetAttribute("sl"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var sl);
        var el = sl;
        if (end && int.TryParse(reader.GetAttribute("el"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var e) && e >= sl)
        {
            // Every line of the span is visited: a span longer than any real statement is bad input, not two billion steps.
            if ((long)e - sl > MaxSequencePointLines)
            {
                throw new ReportFormatException(file, at,
                    $"a <SequencePoint> spans lines {sl} to {e}, more than {MaxSequencePointLines:N0} lines; expected the lines of one statement");
            }

            el = e;
        }

        return (vc, sl, el, reader.GetAttribute("fileid") ?? fileRef ?? "");
    }
}
