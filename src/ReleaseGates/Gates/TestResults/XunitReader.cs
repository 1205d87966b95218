using System.Globalization;
using System.Xml;
using ReleaseGates.IO;

namespace ReleaseGates;

/// <summary>
/// Reads xUnit.net v2 XML (<c>--xml</c> of the xunit console, <c>dotnet test --logger xunit</c>), streaming: every
/// <c>test</c> of every <c>collection</c> of every <c>assembly</c> counts once, under its collection; <c>Pass</c>, <c>Fail</c>
/// and <c>Skip</c> (and <c>NotRun</c>, an explicit test left out) as xUnit's own summary counts them. An <c>error</c> outside
/// any test (a fixture's or a collection's clean-up that threw, a catastrophic failure) is the run's failure, as it is
/// for the xunit console's exit code.
/// </summary>
internal static class XunitReader
{
    /// <summary>The tests, the total the assemblies declare, and the errors outside tests.</summary>
    public sealed record XunitRun(IReadOnlyList<TestCaseResult> Cases, int? DeclaredTotal, IReadOnlyList<string> Errors);

    public static XunitRun Read(Stream stream, string file)
    {
        var cases = new List<TestCaseResult>();
        var errors = new List<string>();
        int? declared = null;
        var collection = Path.GetFileName(file);
        using var reader = SafeXml.Create(stream, file);
        try
        {
            reader.MoveToContent();
            if (reader.LocalName is not ("assemblies" or "assembly"))
            {
                throw new ReportFormatException(file, SafeXml.Line(reader),
                    $"not an xUnit v2 file: the root element is <{reader.Name}>, expected <assemblies> or <assembly>");
            }

            do
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                switch (reader.LocalName)
                {
                    case "assembly":
                        if (int.TryParse(reader.GetAttribute("total"), NumberStyles.None, CultureInfo.InvariantCulture, out var total))
                        {
                            declared = (declared ?? 0) + total;
                        }

                        break;
                    case "collection":
                        collection = reader.GetAttribute("name") ?? Path.GetFileName(file);
                        break;
                    case "test":
                        cases.Add(ReadTest(reader, collection, file));
                        break;
                    case "error":
                        errors.Add($"{reader.GetAttribute("type") ?? "error"} {reader.GetAttribute("name")}: {ReadMessage(reader) ?? "(no message)"}".Trim());
                        break;
                }
            }
            while (reader.Read());
        }
        catch (XmlException ex)
        {
            throw new ReportFormatException(file, ex.LineNumber, "malformed XML: " + ex.Message, ex);
        }

        return new XunitRun(cases, declared, errors);
    }

    private static TestCaseResult ReadTest(XmlReader reader, string collection, string file)
    {
        var line = SafeXml.Line(reader);
        var name = reader.GetAttribute("name") ?? throw new ReportFormatException(file, line, "a test has no name attribute");
        var result = reader.GetAttribute("result") ?? throw new ReportFormatException(file, line, $"the test '{name}' has no result attribute");
        var outcome = result switch
        {
            "Pass" => TestCaseOutcome.Passed,
            "Fail" => TestCaseOutcome.Failed,
            "Skip" or "NotRun" => TestCaseOutcome.Skipped,
            _ => throw new ReportFormatException(file, line, $"the test '{name}' has the result '{result}'; xUnit v2 writes Pass, Fail, Skip or NotRun"),
        };
        TimeSpan? duration = double.TryParse(reader.GetAttribute("time"), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            && seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromSeconds(seconds) : null;
        var message = outcome == TestCaseOutcome.Passed ? null : ReadMessage(reader);
        return new TestCaseResult(collection, name, outcome, duration, message, file);
    }

    /// <summary>The first failure or skip message inside the element, leaving the reader at its end.</summary>
    private static string? ReadMessage(XmlReader reader) => SafeXml.FirstText(reader, (r, _) => r.LocalName is "message" or "reason");
}
