using System.Globalization;
using System.Xml;
using ReleaseGates.IO;

namespace ReleaseGates;

/// <summary>
/// Reads JaCoCo XML, streaming. A source line is coverable when it has instructions (<c>mi + ci &gt; 0</c>) and covered
/// when at least one ran (<c>ci &gt; 0</c>); branches are <c>cb</c> of <c>mb + cb</c>; a method is covered when its
/// METHOD counter says so. Counters at other levels are not summed (they repeat at every level).
/// </summary>
internal static class JaCoCoReader
{
    public static CoverageData Read(XmlReader reader, string file, Func<string, bool> includeClass)
    {
        var data = new CoverageData();
        var module = "";
        var package = "";
        string? className = null;
        string? classFile = null;
        string? sourceFile = null;
        string? method = null;
        var classDepth = -1;
        var methodDepth = -1;
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.EndElement)
            {
                if (reader.Depth == methodDepth)
                {
                    method = null;
                    methodDepth = -1;
                }
                else if (reader.Depth == classDepth)
                {
                    className = null;
                    classDepth = -1;
                }

                continue;
            }

            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            switch (reader.LocalName)
            {
                case "report":
                    module = reader.GetAttribute("name") ?? "";
                    break;
                case "group":
                    module = reader.GetAttribute("name") ?? module;
                    break;
                case "package":
                    package = reader.GetAttribute("name") ?? "";
                    break;
                case "class":
                    className = reader.GetAttribute("name") ?? "";
                    classFile = reader.GetAttribute("sourcefilename") is { } sfn ? (package.Length > 0 ? package + "/" + sfn : sfn) : null;
                    classDepth = reader.IsEmptyElement ? -1 : reader.Depth;
                    break;
                case "method" when className is not null:
                    method = className + "::" + reader.GetAttribute("name") + reader.GetAttribute("desc");
                    methodDepth = reader.IsEmptyElement ? -1 : reader.Depth;
                    break;
                case "counter" when method is not null && classFile is not null && reader.GetAttribute("type") == "METHOD":
                    if (includeClass(className!.Replace('/', '.')))
                    {
                        data.File(module, classFile).AddMethod(method, Int(reader, "covered", file) > 0);
                    }

                    break;
                case "sourcefile":
                    sourceFile = package.Length > 0 ? package + "/" + reader.GetAttribute("name") : reader.GetAttribute("name");
                    break;
                case "line" when sourceFile is not null:
                    var mi = Int(reader, "mi", file);
                    var ci = Int(reader, "ci", file);
                    if (mi + ci > 0)
                    {
                        var cb = Int(reader, "cb", file);
                        data.File(module, sourceFile).AddLine(Int(reader, "nr", file), ci > 0 ? ci : 0, cb, cb + Int(reader, "mb", file));
                    }

                    break;
            }
        }

        return data;
    }

    private static int Int(XmlReader reader, string attribute, string file)
    {
        var text = reader.GetAttribute(attribute);
        if (text is null)
        {
            return 0;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new ReportFormatException(file, SafeXml.Line(reader), $"<{reader.LocalName}> has {attribute}='{text}', expected a whole number");
        }

        return value;
    }
}
