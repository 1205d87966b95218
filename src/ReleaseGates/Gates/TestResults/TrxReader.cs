using System.Globalization;
using System.Xml;
using ReleaseGates.IO;

namespace ReleaseGates;

/// <summary>
/// Reads a VSTest TRX file, streaming. Counts come from the <c>UnitTestResult</c> elements (data-driven parents with inner
/// results count through their rows); the run outcome from <c>ResultSummary/@outcome</c>.
/// </summary>
internal static class TrxReader
{
    private const string Namespace = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    public sealed record TrxRun(IReadOnlyList<TestCaseResult> Cases, string? RunOutcome, int? DeclaredTotal);

    public static TrxRun Read(Stream stream, string file)
    {
        var cases = new List<TestCaseResult>();
        string? runOutcome = null;
        int? declaredTotal = null;
        var suite = Path.GetFileName(file);
        using var reader = SafeXml.Create(stream, file);
        try
        {
            reader.MoveToContent();
            if (reader.LocalName != "TestRun" || reader.NamespaceURI != Namespace)
            {
                throw new ReportFormatException(file, SafeXml.Line(reader),
                    $"not a TRX file: the root element is <{reader.Name}>, expected <TestRun> in the TeamTest 2010 namespace");
            }

            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                switch (reader.LocalName)
                {
                    case "UnitTestResult":
                        var resultType = reader.GetAttribute("resultType");
                        if (resultType == "DataDrivenTest" && !reader.IsEmptyElement)
                        {
                            // The parent's rows follow as InnerResults/UnitTestResult: count the rows, not the parent.
                            continue;
                        }

                        cases.Add(ReadResult(reader, suite, file));
                        break;
                    case "ResultSummary":
                        runOutcome = reader.GetAttribute("outcome");
                        break;
                    case "Counters":
                        declaredTotal = int.TryParse(reader.GetAttribute("total"), NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : null;
                        break;
                }

            }
        }
        catch (XmlException ex)
        {
            throw new ReportFormatException(file, ex.LineNumber, "malformed XML: " + ex.Message, ex);
        }

        return new TrxRun(cases, runOutcome, declaredTotal);
    }

    private static TestCaseResult ReadResult(XmlReader reader, string suite, string file)
    {
        var line = SafeXml.Line(reader);
        var name = reader.GetAttribute("testName") ?? throw new ReportFormatException(file, line, "a UnitTestResult has no testName attribute");
        var outcomeText = reader.GetAttribute("outcome") ?? throw new ReportFormatException(file, line, $"the result of '{name}' has no outcome attribute");
        var outcome = outcomeText switch
        {
            "Passed" or "PassedButRunAborted" or "Completed" or "Warning" => TestCaseOutcome.Passed,
            "Failed" => TestCaseOutcome.Failed,
            "Error" or "Timeout" or "Aborted" or "Disconnected" => TestCaseOutcome.Error,
            "NotExecuted" or "Inconclusive" or "NotRunnable" or "InProgress" or "Pending" => TestCaseOutcome.Skipped,
            _ => throw new ReportFormatException(file, line, $"the result of '{name}' has the unknown outcome '{outcomeText}'"),
        };
        TimeSpan? duration = TimeSpan.TryParse(reader.GetAttribute("duration"), CultureInfo.InvariantCulture, out var d) ? d : null;
        string? message = null;
        if (!reader.IsEmptyElement)
        {
            using var subtree = reader.ReadSubtree();
            while (subtree.Read())
            {
                if (subtree.NodeType == XmlNodeType.Element && subtree.LocalName == "Message")
                {
                    message = subtree.ReadElementContentAsString();
                    break;
                }
            }
        }

        return new TestCaseResult(suite, name, outcome, duration, message, file);
    }
}
