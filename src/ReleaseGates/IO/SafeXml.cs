using System.Xml;

namespace ReleaseGates.IO;

/// <summary>
/// XML reading settings for report files from other tools: DTDs are skipped (real Java Cobertura and JaCoCo files carry
/// a DOCTYPE), nothing is ever resolved or fetched, entities are never expanded, and the document size is capped.
/// </summary>
internal static class SafeXml
{
    public static XmlReaderSettings Settings { get; } = new()
    {
        DtdProcessing = DtdProcessing.Ignore,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024,
        MaxCharactersInDocument = 4L * 1024 * 1024 * 1024,
        IgnoreComments = true,
        IgnoreWhitespace = true,
        IgnoreProcessingInstructions = true,
        CloseInput = false,
    };

    /// <summary>Creates a reader; an encoding it cannot read (a UTF-32 byte order mark, a declared encoding that lies) names the file.</summary>
    public static XmlReader Create(Stream stream, string file)
    {
        try
        {
            return XmlReader.Create(stream, Settings);
        }
        catch (XmlException ex)
        {
            throw new ReportFormatException(file, ex.LineNumber, "cannot be read as XML: " + ex.Message, ex);
        }
    }

    /// <summary>The 1-based line of the reader's position, when it has one.</summary>
    /// <summary>
    /// The text of the first element below the current one that <paramref name="matches"/>, reading to the current
    /// element's end: a test result's failure message. Null for an empty element or when none matches.
    /// </summary>
    public static string? FirstText(XmlReader reader, Func<XmlReader, int, bool> matches)
    {
        if (reader.IsEmptyElement)
        {
            return null;
        }

        string? text = null;
        var depth = reader.Depth;
        while (reader.Read() && reader.Depth > depth)
        {
            if (text is null && reader.NodeType == XmlNodeType.Element && matches(reader, reader.Depth - depth))
            {
                text = reader.ReadElementContentAsString();
                if (reader.Depth <= depth)
                {
                    break;
                }
            }
        }

        return text;
    }

    public static int Line(XmlReader reader) => reader is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : 0;
}

/// <summary>A report file could not be read; the message names the file, and the line where there is one.</summary>
internal sealed class ReportFormatException : Exception
{
    public ReportFormatException(string file, int line, string problem, Exception? inner = null)
        : base(line > 0 ? $"{file}, line {line}: {problem}" : $"{file}: {problem}", inner)
    {
        File = file;
        Line = line;
        Problem = problem;
    }

    /// <summary>What is wrong, without the file's name (for a message that names the file as the user wrote it).</summary>
    public string Problem { get; }

    public string File { get; }

    public int Line { get; }
}
