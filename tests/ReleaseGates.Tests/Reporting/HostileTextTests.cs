using System.Xml.Linq;
using static ReleaseGates.Tests.Support.TestGates;

namespace ReleaseGates.Tests.Reporting;

/// <summary>Every writer accepts any string: control characters are escaped, line breaks never break a table.</summary>
public class HostileTextTests
{
    private const string Nasty = "\u001b[31mred\u001b[0m | cell\r\nsecond line\0 <b>bold</b> \uD800 lone \uFFFF end";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<ReleaseReport> NastyReport()
        => await ReleaseGate.CreateBuilder()
            .Configure(o => o.Subject = new ReleaseSubject { Service = "svc\u0007", Version = "1\n2" })
            .AddGate("gate\u0001" + Nasty, Returning(GateResult.Failed(Nasty,
                [new Measurement("m" + Nasty, 1, MetricUnit.Count) { Condition = GateCondition.Parse("x < 0"), Target = Nasty }],
                [new Finding("code.x", FindingSeverity.Error, Nasty) { Target = Nasty, Observed = Nasty, Remediation = Nasty }])))
            .AddGate("fine", Returning(GateResult.Passed("ok")))
            .EvaluateAsync(Ct);

    [Fact]
    public async Task JUnit_xml_escapes_control_characters_and_parses()
    {
        var xml = (await NastyReport()).ToJUnitXml();
        var document = XDocument.Parse(xml);
        Assert.Equal(2, document.Descendants("testcase").Count());
        Assert.Contains("\\u001B[31mred", xml, StringComparison.Ordinal);
        Assert.Contains("\\uD800 lone \\uFFFF", xml, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', xml);
        Assert.DoesNotContain('\0', xml);
    }

    [Fact]
    public async Task Markdown_tables_keep_one_row_per_gate_and_escape_pipes_and_tags()
    {
        var markdown = (await NastyReport()).ToMarkdown();
        var gateRows = markdown.Split('\n').SkipWhile(l => !l.StartsWith("| Gate | Category", StringComparison.Ordinal)).Skip(2).TakeWhile(l => l.StartsWith('|')).ToList();
        Assert.Equal(2, gateRows.Count);
        Assert.Contains("\\| cell", gateRows[0], StringComparison.Ordinal);
        Assert.Contains("&lt;b>", gateRows[0], StringComparison.Ordinal);
        Assert.DoesNotContain(markdown, c => c < ' ' && c is not '\n' and not '\r');
    }

    [Fact]
    public async Task Text_and_the_EnsureGo_message_hold_no_raw_control_characters()
    {
        var report = await NastyReport();
        var text = report.ToText();
        var message = Assert.Throws<ReleaseNotReadyException>(() => report.EnsureGo()).Message;
        foreach (var output in new[] { text, message })
        {
            Assert.DoesNotContain(output, c => c < ' ' && c is not '\n' and not '\r');
            Assert.Contains("second line", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Json_round_trips_any_string()
    {
        var report = await NastyReport();
        var read = ReleaseReport.FromJson(report.ToJson());
        // UTF-8 cannot hold a lone surrogate: it reads back as U+FFFD; everything else round-trips exactly.
        Assert.Equal(report.Gates[0].Summary.Replace('\uD800', '\uFFFD'), read.Gates[0].Summary);
        Assert.Equal(report.Decision, read.Replay().Decision);
    }
}
