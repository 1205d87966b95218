using System.Globalization;
using Microsoft.Playwright;
using ReleaseGates.IntegrationTests.Samples;
using ReleaseGates.IntegrationTests.Support;
using ReleaseGates.Tests.Support;

namespace ReleaseGates.IntegrationTests.Reporting;

/// <summary>
/// The HTML report opened in Debian's Chromium: the sample host's GO, NO-GO, waiver and watch reports, and reports built
/// to be hostile. Each page must log no error, make no request, show every gate and every shortfall with its numbers,
/// and keep every string from evidence as text. In the sample collection: the sample host runs alone.
/// </summary>
[Collection(SampleHostDefinition.Name)]
public sealed class HtmlReportInBrowserTests(Browser browser, SampleReports samples, ITestOutputHelper output)
    : IClassFixture<Browser>, IClassFixture<SampleReports>
{
    public static TheoryData<string> Kinds => ["go", "no-go", "waiver", "watch"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Sample_report_opens_with_no_console_error_and_no_request(string kind)
    {
        await using var opened = await browser.OpenAsync(samples.Html(kind));

        Assert.Empty(opened.Errors);
        Assert.Empty(opened.OtherRequests);
        Assert.Equal(0, await opened.Page.EvaluateAsync<int>("document.scripts.length"));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Sample_report_shows_every_gate_and_every_shortfall_with_its_numbers(string kind)
    {
        var report = samples.Read(kind);
        await using var opened = await browser.OpenAsync(samples.Html(kind));
        var page = opened.Page;

        Assert.True(await page.Locator("#decision h1").IsVisibleAsync());
        Assert.Contains(ReportFormat.Decision(report.Decision), await page.Locator("#decision h1").InnerTextAsync(), StringComparison.Ordinal);
        for (var i = 0; i < report.Gates.Count; i++)
        {
            var gate = report.Gates[i];
            var article = page.Locator($"#gate-{i}");
            Assert.True(await article.IsVisibleAsync(), gate.Name);
            Assert.Equal(gate.Name, await article.Locator(".name").InnerTextAsync());
            var text = await article.InnerTextAsync();
            foreach (var m in gate.Measurements)
            {
                Assert.Contains(MetricUnitFormat.Format(m.Value, m.Unit), text, StringComparison.Ordinal);
            }
        }

        var shortfalls = ReportView.Shortfalls(report).Skip(1).ToList();
        var rows = page.Locator("#shortfalls tr");
        if (shortfalls.Count == 0)
        {
            Assert.Contains("every gate passed", await page.Locator("#shortfalls").InnerTextAsync(), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(shortfalls.Count + 1, await rows.CountAsync());
        }

        for (var i = 0; i < shortfalls.Count; i++)
        {
            var row = rows.Nth(i + 1);
            Assert.True(await row.IsVisibleAsync());
            var cells = await row.Locator("td").AllInnerTextsAsync();
            Assert.Equal(shortfalls[i][0], cells[0]);
            Assert.Equal(shortfalls[i][3], cells[3]);   // the value (or a finding's text)
            Assert.Equal(shortfalls[i][4], cells[4]);   // the threshold
        }
    }

    [Fact]
    public async Task The_no_go_report_draws_each_measurement_against_its_limit_and_the_latency_curve()
    {
        var report = samples.Read("no-go");
        await using var opened = await browser.OpenAsync(samples.Html("no-go"));
        var page = opened.Page;

        var errors = report.Gates.Select((g, i) => (g, i)).Single(x => x.g.Name == "orders-errors").i;
        var bar = page.Locator($"#gate-{errors} svg.bar title").First;
        // Every fifth order fails under --break errors, and no other gate sends an order: the rate is the burst's alone.
        var measured = report.FindGate("orders-errors")!.Measurements;
        Assert.Equal([300, 60], [measured.Single(m => m.Name == "requests").Value, measured.Single(m => m.Name == "errors").Value]);
        var rate = measured.Single(m => m.Name == "rate");
        Assert.StartsWith($"{MetricUnitFormat.Format(rate.Value, rate.Unit)}; limit 1 %; warning at 0.1 %", await bar.TextContentAsync(), StringComparison.Ordinal);
        var latency = report.Gates.Select((g, i) => (g, i)).Single(x => x.g.Name == "orders-latency").i;
        Assert.True(await page.Locator($"#gate-{latency} figure.distribution svg").IsVisibleAsync());
        var curve = report.FindGate("orders-latency")!.Distributions.Single();
        Assert.Equal(300, curve.Count);
        var dots = await page.Locator($"#gate-{latency} figure.distribution path.dots").GetAttributeAsync("d");
        Assert.Equal(curve.Points.Count, dots!.Count(c => c == 'M'));
        Assert.Contains($"p(50) {MetricUnitFormat.Format(curve.Points.Single(p => p.Percentile == 50).Value, MetricUnit.Milliseconds)}",
            await page.Locator($"#gate-{latency} figure.distribution svg > title").TextContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_second_go_run_draws_a_sparkline_from_its_history()
    {
        var report = samples.Read("go");
        Assert.NotEmpty(report.History!.Trends);
        await using var opened = await browser.OpenAsync(samples.Html("go"));

        Assert.True(await opened.Page.Locator("svg.sparkline").CountAsync() > 0);
        Assert.Contains("now", await opened.Page.Locator("svg.sparkline title").First.TextContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_watch_report_draws_each_round_on_its_timeline()
    {
        var report = samples.Read("watch");
        await using var opened = await browser.OpenAsync(samples.Html("watch"));

        Assert.Equal(3, report.Watch!.Rounds.Count);
        Assert.Equal(3, await opened.Page.Locator("#watch svg.timeline rect").CountAsync());
        Assert.Contains("round 1", await opened.Page.Locator("#watch svg.timeline rect title").First.TextContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_waiver_report_lists_each_waiver_with_its_last_day()
    {
        var report = samples.Read("waiver");
        await using var opened = await browser.OpenAsync(samples.Html("waiver"));

        Assert.Contains("covered by waivers", await opened.Page.Locator("#shortfalls").InnerTextAsync(), StringComparison.Ordinal);
        var text = await opened.Page.Locator("#waivers").InnerTextAsync();
        foreach (var w in report.Waivers)
        {
            Assert.Contains(w.Waiver.Id, text, StringComparison.Ordinal);
            Assert.Contains(w.Waiver.Expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Print_and_dark_renderings_produce_no_error(string kind)
    {
        await using (var dark = await browser.OpenAsync(samples.Html(kind), new BrowserNewContextOptions { ColorScheme = ColorScheme.Dark }))
        {
            Assert.Equal("rgb(13, 17, 23)", await dark.Page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor"));
            Assert.NotEmpty(await dark.Page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true }));
            Assert.Empty(dark.Errors);
        }

        await using var print = await browser.OpenAsync(samples.Html(kind));
        await print.Page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        Assert.Equal("avoid", await print.Page.EvaluateAsync<string>("getComputedStyle(document.querySelector('.gate')).breakInside"));
        var pdf = await print.Page.PdfAsync(new PagePdfOptions { Format = "A4" });
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4), StringComparison.Ordinal);
        Assert.Empty(print.Errors);
        Assert.Empty(print.OtherRequests);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Reads_at_phone_width_without_the_page_scrolling_sideways(string kind)
    {
        await using var phone = await browser.OpenAsync(samples.Html(kind),
            new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true, DeviceScaleFactor = 2 });

        Assert.True(await phone.Page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"),
            $"scrollWidth {await phone.Page.EvaluateAsync<int>("document.documentElement.scrollWidth")} at width {await phone.Page.EvaluateAsync<int>("window.innerWidth")}");
        Assert.Empty(phone.Errors);
    }

    [Fact]
    public async Task Reads_completely_with_scripts_off()
    {
        var report = samples.Read("no-go");
        await using var opened = await browser.OpenAsync(samples.Html("no-go"), new BrowserNewContextOptions { JavaScriptEnabled = false });

        foreach (var gate in report.Gates)
        {
            Assert.True(await opened.Page.GetByText(gate.Name, new PageGetByTextOptions { Exact = true }).First.IsVisibleAsync(), gate.Name);
        }

        Assert.Empty(opened.Errors);
    }

    [Fact]
    public async Task Hostile_strings_are_shown_as_text_and_never_run()
    {
        var folder = Directory.CreateTempSubdirectory("releasegates-hostile-").FullName;
        try
        {
            var report = HostileReports.Create();
            var file = Path.Combine(folder, "report.html");
            await File.WriteAllTextAsync(file, report.ToHtml(), TestContext.Current.CancellationToken);
            await using var opened = await browser.OpenAsync(file);
            var page = opened.Page;

            Assert.True(await page.EvaluateAsync<bool>("window.__pwned === undefined"));
            Assert.Equal(0, await page.EvaluateAsync<int>("document.querySelectorAll('script, img, iframe, object, embed, form, input, base, meta[http-equiv=refresh]').length"));
            Assert.Empty(opened.OtherRequests);
            Assert.Empty(opened.Errors);
            var text = await page.Locator("body").InnerTextAsync();
            Assert.Contains(HostileReports.Script, text, StringComparison.Ordinal);
            Assert.Contains(HostileReports.Image, text, StringComparison.Ordinal);
            Assert.Contains("bell␇and␀null", text, StringComparison.Ordinal);
            Assert.Equal(0, await page.Locator("a[href^='javascript'], a[href^='http'], a[href^='//'], a[href*='..']").CountAsync());
            Assert.Equal(1, await page.Locator("a[href='src/Orders%20Api/Program.cs#L12']").CountAsync());
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "a 10,000-character value widened the page");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_report_of_200_gates_is_under_a_megabyte_and_loads_in_the_browser()
    {
        var folder = Directory.CreateTempSubdirectory("releasegates-large-").FullName;
        try
        {
            var html = HostileReports.Large(200).ToHtml();
            var bytes = System.Text.Encoding.UTF8.GetByteCount(html);
            output.WriteLine($"200 gates: {bytes} bytes");
            Assert.True(bytes <= 1024 * 1024, $"{bytes} bytes");
            var file = Path.Combine(folder, "report.html");
            await File.WriteAllTextAsync(file, html, TestContext.Current.CancellationToken);
            await using var opened = await browser.OpenAsync(file);

            Assert.Equal(200, await opened.Page.Locator("article.gate").CountAsync());
            Assert.Empty(opened.Errors);
            // Not asserted (a busy machine is not the page's fault): the load time, for docs/performance.md.
            var load = await opened.Page.EvaluateAsync<double>("performance.getEntriesByType('navigation')[0].loadEventEnd");
            output.WriteLine($"200 gates: {bytes} bytes, load event at {load:0} ms");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_screenshot_in_the_docs_is_of_the_sample_report()
    {
        // RELEASEGATES_UPDATE_SCREENSHOT=1 writes docs/images/report.png from the sample's NO-GO; otherwise it must exist.
        var target = Path.Combine(Repository.Root, "docs", "images", "report.png");
        await using var opened = await browser.OpenAsync(samples.Html("no-go"), new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 1300 } });
        var shot = await opened.Page.ScreenshotAsync();
        if (Environment.GetEnvironmentVariable("RELEASEGATES_UPDATE_SCREENSHOT") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await File.WriteAllBytesAsync(target, shot, TestContext.Current.CancellationToken);
        }

        var committed = await File.ReadAllBytesAsync(target, TestContext.Current.CancellationToken);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], committed[..4]);
        Assert.NotEmpty(shot);
    }
}
