using System.Globalization;
using System.Xml;
using ReleaseGates.IO;

namespace ReleaseGates;

/// <summary>
/// Reads JUnit XML (Ant, Surefire, pytest, Jest, …), streaming. The counts are recomputed from the <c>testcase</c>
/// elements, because the <c>tests</c>/<c>failures</c> attributes of real files disagree with their contents; nested
/// suites count each leaf test case once.
/// </summary>
internal static class JUnitReader
{
    public sealed record JUnitRun(IReadOnlyList<TestCaseResult> Cases, int DeclaredTests);

    public static JUnitRun Read(Stream stream, string file)
    {
        var cases = new List<TestCaseResult>();
        var declared = 0;
        var suites = new Stack<(string Name, int Depth)>();
        using var reader = SafeXml.Create(stream, file);
        try
        {
            reader.MoveToContent();
            if (reader.LocalName is not ("testsuites" or "testsuite"))
            {
                throw new ReportFormatException(file, SafeXml.Line(reader),
                    $"not a JUnit file: the root element is <{reader.Name}>, expected <testsuites> or <testsuite>");
            }

            if (reader.LocalName == "testsuites" && int.TryParse(reader.GetAttribute("tests"), NumberStyles.None,
                CultureInfo.InvariantCulture, out var rootTests))
            {
                declared = rootTests;
            }

            var declaredFromSuites = 0;
            do
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                while (suites.Count > 0 && suites.Peek().Depth >= reader.Depth)
                {
                    suites.Pop();
                }

                if (reader.LocalName == "testsuite")
                {
                    var suiteName = reader.GetAttribute("name") ?? Path.GetFileName(file);
                    if (suites.Count == 0 && int.TryParse(reader.GetAttribute("tests"), NumberStyles.None, CultureInfo.InvariantCulture, out var tests))
                    {
                        declaredFromSuites += tests;
                    }

                    if (!reader.IsEmptyElement)
                    {
                        suites.Push((suiteName, reader.Depth));
                    }
                }
                else if (reader.LocalName == "testcase")
                {
                    cases.Add(ReadCase(reader, suites.Count > 0 ? suites.Peek().Name : Path.GetFileName(file), file));
                }
            }
            while (reader.Read());

            if (declared == 0)
            {
                declared = declaredFromSuites;
            }
        }
        catch (XmlException ex)
        {
            throw new ReportFormatException(file, ex.LineNumber, "malformed XML: " + ex.Message, ex);
        }

        return new JUnitRun(cases, declared);
    }

    private static TestCaseResult ReadCase(XmlReader reader, string suite, string file)
    {
        var line = SafeXml.Line(reader);
        var name = reader.GetAttribute("name") ?? throw new ReportFormatException(file, line, "a testcase has no name attribute");
        var className = reader.GetAttribute("classname");
        var fullName = string.IsNullOrEmpty(className) ? name : className + "." + name;
        TimeSpan? duration = double.TryParse(reader.GetAttribute("time"), NumberStyles.Float, CultureInfo.InvariantCulture,
            out var seconds) && seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds
            ? TimeSpan.FromSeconds(seconds)
            : null;
        var outcome = TestCaseOutcome.Passed;
        string? message = null;
        if (!reader.IsEmptyElement)
        {
            var depth = reader.Depth;
            while (reader.Read() && reader.Depth > depth)
            {
                if (reader.NodeType != XmlNodeType.Element || reader.Depth != depth + 1)
                {
                    continue;
                }

                // failure/error outrank skipped; Surefire's flaky* and rerun* elements describe earlier attempts.
                var found = reader.LocalName switch
                {
                    "failure" => TestCaseOutcome.Failed,
                    "error" => TestCaseOutcome.Error,
                    "skipped" or "disabled" => TestCaseOutcome.Skipped,
                    _ => (TestCaseOutcome?)null,
                };
                if (found is { } f && (outcome == TestCaseOutcome.Passed || (outcome == TestCaseOutcome.Skipped && f != TestCaseOutcome.Skipped)))
                {
                    outcome = f;
                    message = reader.GetAttribute("message");
                    if (string.IsNullOrEmpty(message) && !reader.IsEmptyElement)
                    {
                        message = reader.ReadElementContentAsString();
                        if (reader.Depth <= depth)
                        {
                            break;
                        }
                    }
                }
            }
        }

        return new TestCaseResult(suite, fullName, outcome, duration, message, file);
    }
}
