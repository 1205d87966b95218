using System.Globalization;
using System.Xml;
using ReleaseGates.IO;

namespace ReleaseGates;

/// <summary>
/// Reads an NUnit 3 result file (<c>TestResult.xml</c> of the NUnit console, NUnitLite, the NUnit3TestAdapter's
/// <c>NUnit.TestOutputXml</c> and <c>dotnet test --logger nunit</c>), streaming. Every <c>test-case</c> counts once, under
/// the fixture (or suite) that holds it; a parameterised test's cases each count. <c>result</c> and <c>label</c> give the
/// outcome as NUnit's own summary counts it: <c>Failed</c> is a failure, or an error when its label says the test could
/// not complete (<c>Error</c>, <c>Cancelled</c>, <c>Invalid</c>, a timeout); <c>Skipped</c> and <c>Inconclusive</c> did not
/// pass or fail; <c>Warning</c> passed with a warning. A failure of the run or of a suite outside any test case (an
/// assembly that did not load, a <c>OneTimeSetUp</c> whose children were not run) is the run's failure.
/// </summary>
internal static class NUnitReader
{
    /// <summary>The test cases, the run's own result and total, and a suite or run failure that no test case shows.</summary>
    public sealed record NUnitRun(IReadOnlyList<TestCaseResult> Cases, string? RunResult, int? DeclaredTotal, IReadOnlyList<string> SuiteFailures);

    public static NUnitRun Read(Stream stream, string file)
    {
        var cases = new List<TestCaseResult>();
        var suiteFailures = new List<string>();
        using var reader = SafeXml.Create(stream, file);
        try
        {
            reader.MoveToContent();
            if (reader.LocalName != "test-run")
            {
                throw new ReportFormatException(file, SafeXml.Line(reader), reader.LocalName == "test-results"
                    ? "an NUnit 2 result file (<test-results>), which is not read: write NUnit 3's format (nunit3-console --result, "
                        + "or --result:file;format=nunit3)"
                    : $"not an NUnit 3 file: the root element is <{reader.Name}>, expected <test-run>");
            }

            var runResult = reader.GetAttribute("result");
            int? declared = int.TryParse(reader.GetAttribute("total"), NumberStyles.None, CultureInfo.InvariantCulture, out var total) ? total : null;
            ReadSuites(reader, file, cases, suiteFailures);
            return new NUnitRun(cases, runResult, declared, suiteFailures);
        }
        catch (XmlException ex)
        {
            throw new ReportFormatException(file, ex.LineNumber, "malformed XML: " + ex.Message, ex);
        }
    }

    /// <summary>Every test case under the run, each with its innermost suite; suites that failed without any test case.</summary>
    private static void ReadSuites(XmlReader reader, string file, List<TestCaseResult> cases, List<string> suiteFailures)
    {
        var suites = new Stack<(string Name, int Depth, int CasesBefore, string? Failure)>();
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "test-suite")
            {
                CloseSuite(suites.Pop(), cases.Count, suiteFailures);
                continue;
            }

            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            if (reader.LocalName == "test-case")
            {
                cases.Add(ReadCase(reader, Fixture(suites, file), file));
            }
            else if (reader.LocalName == "test-suite")
            {
                var name = reader.GetAttribute("fullname") ?? reader.GetAttribute("name") ?? Path.GetFileName(file);
                var failure = reader.GetAttribute("result") == "Failed" && reader.GetAttribute("site") is "SetUp" or "TearDown" or null
                    ? $"{reader.GetAttribute("type") ?? "suite"} {name}: {reader.GetAttribute("label") ?? "failed"}" : null;
                if (reader.IsEmptyElement)
                {
                    CloseSuite((name, reader.Depth, cases.Count, failure), cases.Count, suiteFailures);
                }
                else
                {
                    suites.Push((name, reader.Depth, cases.Count, failure));
                }
            }
        }
    }

    /// <summary>A suite that failed by itself (in its set-up or tear-down, or without running) and holds no test case.</summary>
    private static void CloseSuite((string Name, int Depth, int CasesBefore, string? Failure) suite, int casesNow, List<string> failures)
    {
        if (suite.Failure is not null && casesNow == suite.CasesBefore)
        {
            failures.Add(suite.Failure);
        }
    }

    private static string Fixture(Stack<(string Name, int Depth, int CasesBefore, string? Failure)> suites, string file)
        => suites.Count > 0 ? suites.Peek().Name : Path.GetFileName(file);

    private static TestCaseResult ReadCase(XmlReader reader, string suite, string file)
    {
        var line = SafeXml.Line(reader);
        var name = reader.GetAttribute("fullname") ?? reader.GetAttribute("name")
            ?? throw new ReportFormatException(file, line, "a test-case has neither a fullname nor a name attribute");
        var result = reader.GetAttribute("result") ?? throw new ReportFormatException(file, line, $"the test-case '{name}' has no result attribute");
        var label = reader.GetAttribute("label");
        var outcome = result switch
        {
            "Passed" or "Warning" => TestCaseOutcome.Passed,
            "Failed" when label is "Error" or "Cancelled" or "Invalid" || label?.Contains("Timeout", StringComparison.OrdinalIgnoreCase) == true
                => TestCaseOutcome.Error,
            "Failed" => TestCaseOutcome.Failed,
            "Skipped" or "Inconclusive" => TestCaseOutcome.Skipped,
            _ => throw new ReportFormatException(file, line,
                $"the test-case '{name}' has the result '{result}'; NUnit 3 writes Passed, Failed, Skipped, Inconclusive or Warning"),
        };
        TimeSpan? duration = double.TryParse(reader.GetAttribute("duration"), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            && seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromSeconds(seconds) : null;
        var message = outcome == TestCaseOutcome.Passed ? null : ReadMessage(reader) ?? label;
        return new TestCaseResult(suite, name, outcome, duration, message, file);
    }

    /// <summary>The first failure or skip message inside the element, leaving the reader at its end.</summary>
    private static string? ReadMessage(XmlReader reader) => SafeXml.FirstText(reader, (r, below) => below == 2 && r.LocalName == "message");
}
