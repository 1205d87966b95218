using System.Xml.Linq;
using static ReleaseGates.Tests.Support.TestGates;

namespace ReleaseGates.Tests.Reporting;

/// <summary>The evidence is where people look: nothing cut, informational findings shown, warnings and baselines visible.</summary>
public class ReadableReportTests
{
    private const string LongFix = "app.UseHsts() with MaxAge = TimeSpan.FromDays(365), IncludeSubDomains = true and Preload = true; then submit the domain to hstspreload.org once every subdomain serves https";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_long_reason_wraps_in_text_and_in_the_EnsureGo_message_and_is_never_cut()
    {
        var report = await ReleaseGate.CreateBuilder()
            .AddGate("headers", Returning(GateResult.FromEvidence("score 60 < 90", [], [new Finding("hsts.max-age-too-short", FindingSeverity.Error, "max-age is under six months.") { Observed = "max-age=3600", Remediation = LongFix }])))
            .EvaluateAsync(Ct);

        foreach (var output in new[] { report.ToText(), Assert.Throws<ReleaseNotReadyException>(() => report.EnsureGo()).Message })
        {
            var flattened = string.Join(' ', output.Split('\n').Select(l => l.Trim()));
            Assert.Contains("Seen: max-age=3600.", flattened, StringComparison.Ordinal);
            Assert.Contains("once every subdomain serves https", flattened, StringComparison.Ordinal);
            Assert.DoesNotContain("…", output, StringComparison.Ordinal);
            Assert.All(output.Split('\n'), line => Assert.True(line.TrimEnd().Length <= 200, line));
        }
    }

    [Fact]
    public async Task Informational_findings_are_shown_with_what_was_seen_and_the_fix()
    {
        var report = await ReleaseGate.CreateBuilder()
            .AddGate("headers", Returning(GateResult.Failed("score 60 < 90", findings: [new Finding("x-frame-options-not-implemented", FindingSeverity.Info, "X-Frame-Options is not set.") { Remediation = "app.Use(...)" }])))
            .AddGate("fine", Returning(GateResult.Passed("ok", findings: [new Finding("cookies-not-found", FindingSeverity.Info, "No cookies are set.")])))
            .EvaluateAsync(Ct);

        var markdown = report.ToMarkdown();
        Assert.Contains("### Notes on the gates that fell short", markdown, StringComparison.Ordinal);
        Assert.Contains("X-Frame-Options is not set. Fix: app.Use(...)", markdown, StringComparison.Ordinal);
        Assert.Contains("<details><summary>Notes on passing gates: 1 informational finding</summary>", markdown, StringComparison.Ordinal);
        Assert.Contains("No cookies are set.", report.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gate_that_only_warned_is_marked_in_junit()
    {
        var report = await ReleaseGate.CreateBuilder()
            .AddGate("latency", Returning(LatencyResult(250)))
            .AddGate("fine", Returning(GateResult.Passed("ok")))
            .EvaluateAsync(Ct);

        var cases = XDocument.Parse(report.ToJUnitXml()).Descendants("testcase").ToDictionary(c => (string)c.Attribute("name")!);
        var warned = cases["latency"];
        Assert.Null(warned.Element("failure"));
        Assert.Equal("Warning", warned.Descendants("property").Single(p => (string)p.Attribute("name")! == "status").Attribute("value")!.Value);
        Assert.StartsWith("WARNING: p95 250 ms", warned.Element("system-out")!.Value, StringComparison.Ordinal);
        Assert.Equal("Passed", cases["fine"].Descendants("property").Single(p => (string)p.Attribute("name")! == "status").Attribute("value")!.Value);
    }

    [Fact]
    public async Task A_relative_shortfall_shows_the_baseline_the_resolved_limit_and_the_release_it_came_from()
    {
        var baseline = await ReleaseGate.CreateBuilder()
            .Configure(o => o.Subject = new ReleaseSubject { Service = "checkout", Version = "2.3.0" })
            .AddGate("latency", Returning(GateResult.FromEvidence("p95 100 ms", [new Measurement("p(95)", 100, MetricUnit.Milliseconds)])))
            .EvaluateAsync(Ct);
        var report = await ReleaseGate.CreateBuilder()
            .AddGate("latency", (context, _) =>
            {
                var was = context.Baseline!.Measurements.Single(m => m.Name == "p(95)").Value;
                return ValueTask.FromResult(GateResult.FromEvidence("p95 130 ms", [Measurement.Evaluate("p(95)", 130, MetricUnit.Milliseconds, GateCondition.Parse("p(95) <= +10% floor 50ms"), was)]));
            })
            .Build()
            .EvaluateAsync(new EvaluationRequest { Baseline = baseline }, Ct);

        Assert.Equal("2.3.0", report.BaselineSubject!.Version);
        var text = string.Join(' ', report.ToText().Split('\n').Select(l => l.Trim()));
        Assert.Contains("p(95) <= +10% floor 50ms (limit 110 ms; baseline 100 ms, checkout, version 2.3.0)", text, StringComparison.Ordinal);
        Assert.Contains("limit 110 ms; baseline 100 ms", report.ToMarkdown(), StringComparison.Ordinal);
        Assert.Equal("2.3.0", ReleaseReport.FromJson(report.ToJson()).BaselineSubject!.Version);
    }

    [Theory]
    [InlineData("a short line", 80, new[] { "a short line" })]
    [InlineData("one two three four", 9, new[] { "one two", "three", "four" })]
    [InlineData("abcdefghijkl", 5, new[] { "abcde", "fghij", "kl" })]
    public void Wraps_at_spaces_and_splits_only_words_longer_than_the_width(string text, int width, string[] expected)
        => Assert.Equal(expected, TextReportWriter.Wrap(text, width));
}
