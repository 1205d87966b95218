using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using static ReleaseGates.Tests.Support.TestGates;

namespace ReleaseGates.Tests.Reporting;

/// <summary>
/// The HTML report's markup, without a browser (the browser tests open it in Chromium): one file admitted by its own
/// Content-Security-Policy, evidence made inert, links only to files of the repository.
/// </summary>
public class HtmlReportTests
{
    private static Task<ReleaseReport> NoGoAsync() => ReleaseGate.CreateBuilder()
        .AddGate("latency", Returning(LatencyResult(450)))
        .AddGate("checklist", Returning(GateResult.FromEvidence("1 open", [],
            [new Finding("checklist.required-open", FindingSeverity.Error, "'Rollback' is open") { Target = "docs/RELEASE CHECKLIST.md", Line = 27 }])))
        .EvaluateAsync(TestContext.Current.CancellationToken);

    [Fact]
    public async Task The_stylesheet_is_admitted_by_its_hash_and_nothing_else_is()
    {
        var html = (await NoGoAsync()).ToHtml();

        var style = Regex.Match(html, "<style>(.*?)</style>", RegexOptions.Singleline).Groups[1].Value;
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)));
        var csp = Regex.Match(html, "<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\">").Groups[1].Value;
        Assert.StartsWith("default-src 'none'; ", csp, StringComparison.Ordinal);
        Assert.Contains($"style-src 'sha256-{hash}'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.DoesNotContain(" style=", html, StringComparison.Ordinal);   // an inline style attribute would be refused by the policy
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shows_the_decision_each_shortfall_and_links_a_finding_to_its_file_and_line()
    {
        var html = (await NoGoAsync()).ToHtml();

        Assert.Contains("<h1>✖ NO-GO</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<title>450 ms; limit 300 ms; warning at 200 ms</title>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"docs/RELEASE%20CHECKLIST.md#L27\">docs/RELEASE CHECKLIST.md:27</a>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("src/Api/Program.cs", 3, "src/Api/Program.cs#L3")]
    [InlineData("src\\Api\\Program.cs", null, "src/Api/Program.cs")]
    [InlineData("a b/c#d?.cs", 1, "a%20b/c%23d%3F.cs#L1")]
    [InlineData("../etc/passwd", 1, null)]
    [InlineData("/etc/passwd", 1, null)]
    [InlineData("javascript:alert(1)", 1, null)]
    [InlineData("https://example.invalid/x", null, null)]
    [InlineData("C:\\src\\x.cs", null, null)]
    [InlineData("a//b.cs", null, null)]
    [InlineData("GET /api/orders", null, null)]
    [InlineData("Makefile", 3, null)]
    [InlineData("src/<b>.cs", 3, null)]
    public void Links_only_plain_relative_paths(string target, int? line, string? expected)
        => Assert.Equal(expected, HtmlText.FileHref(target, line));

    [Theory]
    [InlineData("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;")]
    [InlineData("\"quoted\" & 'single'", "&quot;quoted&quot; &amp; &#39;single&#39;")]
    [InlineData("bell\a nul\0 esc\u001b del\u007f", "bell␇ nul␀ esc␛ del␡")]
    [InlineData("cr\r\nlf", "cr␍\nlf")]
    public void Evidence_is_inert_text(string text, string expected) => Assert.Equal(expected, HtmlText.Escape(text));

    [Fact]
    public void A_broken_surrogate_and_a_c1_control_are_replaced_and_a_pair_kept()
        => Assert.Equal("c1\uFFFD lone\uFFFD pair😀 end\uFFFD", HtmlText.Escape("c1\u0085 lone" + '\ud800' + " pair😀 end" + '\udc00'));

    [Fact]
    public async Task Hostile_evidence_never_becomes_markup()
    {
        var hostile = "<img src=x onerror=alert(1)>\"'";
        var report = await ReleaseGate.CreateBuilder()
            .Configure(o => o.Subject = new ReleaseSubject { Service = hostile })
            .AddGate("g" + hostile, Returning(GateResult.FromEvidence(hostile,
                [Measurement.Evaluate("p(95)", 400, MetricUnit.Milliseconds, GateCondition.Parse("p(95) < 300ms")) with { Target = hostile }],
                [new Finding("x.y", FindingSeverity.Error, hostile) { Target = hostile, Observed = hostile, Line = 2 }])))
            .EvaluateAsync(TestContext.Current.CancellationToken);

        var html = report.ToHtml();

        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;&quot;&#39;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<a href", html.Split("<nav")[1].Split("</nav>")[1], StringComparison.Ordinal);   // the finding's target is no path: text, not a link
    }

    [Fact]
    public async Task A_gate_without_measurements_or_a_passing_report_still_reads()
    {
        var report = await ReleaseGate.CreateBuilder()
            .AddGate("ok", Returning(GateResult.Passed("all good")))
            .EvaluateAsync(TestContext.Current.CancellationToken);

        var html = report.ToHtml();

        Assert.Contains("<h1>✔ GO</h1>", html, StringComparison.Ordinal);
        Assert.Contains("Nothing: every gate passed.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"watch\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"history\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_latency_curve_leaves_out_percentiles_its_samples_cannot_resolve()
    {
        var histogram = new ReleaseGates.Metrics.LatencyHistogram();
        for (var i = 1; i <= 200; i++)
        {
            histogram.Record(i * 1_000_000L);
        }

        var curve = PercentileCurve.FromHistogram("latency", histogram, null);

        // 200 samples resolve p99.5 (1 in 200) but not p99.9 (1 in 1000); p0 and p100 are the exact extremes.
        Assert.Equal([0, 10, 25, 50, 75, 90, 95, 97.5, 99, 99.5, 100], curve.Points.Select(p => p.Percentile));
        Assert.Equal(1, curve.Points[0].Value);
        Assert.Equal(200, curve.Points[^1].Value);
        Assert.Equal(100, curve.Points.Single(p => p.Percentile == 50).Value, 0.1);
    }

    [Fact]
    public void Bucket_and_statistics_curves_say_how_exact_they_are()
    {
        var buckets = new ReleaseGates.Metrics.LatencyBuckets([(100, 50), (200, 90), (500, 100), (double.PositiveInfinity, 100)]);
        var fromBuckets = PercentileCurve.FromBuckets("latency", buckets, "prometheus")!;
        var fromStatistics = PercentileCurve.FromStatistics("latency",
            new Dictionary<string, double> { ["min"] = 1, ["med"] = 20, ["p(90)"] = 80, ["p(95)"] = 95, ["max"] = 300, ["avg"] = 30 }, 500, "k6")!;

        Assert.Contains("interpolated inside 4 histogram buckets", fromBuckets.Resolution, StringComparison.Ordinal);
        Assert.Equal(100, fromBuckets.Points.Single(p => p.Percentile == 50).Value, 1e-9);
        Assert.Equal([0, 50, 90, 95, 100], fromStatistics.Points.Select(p => p.Percentile));
        Assert.Null(PercentileCurve.FromStatistics("latency", new Dictionary<string, double> { ["avg"] = 3 }, 10, null));
    }
}
