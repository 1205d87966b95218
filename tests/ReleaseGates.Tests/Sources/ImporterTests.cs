using ReleaseGates.Tests.Support;

namespace ReleaseGates.Tests.Sources;

public class ImporterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The shape k6 writes with --summary-export (k6 internal/js/summary-wrapper.js): trend stats on the metric itself,
    // thresholds[expr] = true meaning the threshold FAILED, and http_req_failed.passes counting FAILED requests.
    private const string K6Legacy = """
        {
          "root_group": { "name": "", "path": "", "id": "d41d8", "groups": {}, "checks": {} },
          "metrics": {
            "http_req_duration": { "avg": 180.5, "min": 12.1, "med": 150.2, "max": 2400.7, "p(90)": 310.4, "p(95)": 1800.3, "thresholds": { "p(95)<2000": false } },
            "http_req_failed": { "passes": 12, "fails": 4988, "value": 0.0024 },
            "http_reqs": { "count": 5000, "rate": 5.0 },
            "vus": { "value": 1, "min": 1, "max": 10 }
          }
        }
        """;

    // handleSummary / --new-machine-readable-summary: the same numbers under "values".
    private const string K6HandleSummary = """
        { "metrics": {
            "http_req_duration": { "type": "trend", "contains": "time", "values": { "avg": 180.5, "min": 12.1, "med": 150.2, "max": 2400.7, "p(90)": 310.4, "p(95)": 1800.3 }, "thresholds": { "p(95)<2000": { "ok": true } } },
            "http_req_failed": { "type": "rate", "contains": "default", "values": { "rate": 0.0024, "passes": 12, "fails": 4988 } },
            "http_reqs": { "type": "counter", "contains": "default", "values": { "count": 5000, "rate": 5.0 } } } }
        """;

    private static async Task<GateReport> Errors(RequestMetricsSource source, double maximum)
        => (await ReleaseGate.CreateBuilder().AddErrorRate("errors", o => { o.Source = source; o.MaximumRate = maximum; }).EvaluateAsync(Ct)).Gates[0];

    [Theory]
    [InlineData(K6Legacy)]
    [InlineData(K6HandleSummary)]
    public async Task Reads_both_k6_summary_formats(string json)
    {
        using var folder = Fixtures.CreateTempFolder();
        var path = folder.Write("summary.json", json);
        var source = RequestMetricsSource.FromK6Summary(path);

        // Seed 003: P95 1.8 s against a 2 s target passes, but 5 req/s against a goal of 100 must fail.
        var gate = await SourceGates.Latency(source, "p(95) < 2s", "rps >= 100");
        Assert.Equal(GateStatus.Failed, gate.Status);
        Assert.Equal(GateStatus.Passed, gate.Measurements.Single(m => m.Name == "p(95)").Status);
        Assert.Equal(1800.3, gate.Measurements.Single(m => m.Name == "p(95)").Value);
        Assert.Equal(5.0, gate.Measurements.Single(m => m.Name == "rps").Value, 9);

        var errors = await Errors(source, 0.001);
        Assert.Equal(0.0024, errors.Measurements.Single(m => m.Name == "rate").Value, 12);   // 12 failed of 5000
        Assert.Equal(GateStatus.Failed, errors.Status);
    }

    [Fact]
    public async Task A_percentile_k6_did_not_export_is_an_error_naming_the_flag()
    {
        using var folder = Fixtures.CreateTempFolder();
        var gate = await SourceGates.Latency(RequestMetricsSource.FromK6Summary(folder.Write("s.json", K6Legacy)), "p(99) < 5s");
        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.Contains("--summary-trend-stats", gate.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_a_jmeter_jtl_with_quoted_commas_and_non_numeric_codes()
    {
        using var folder = Fixtures.CreateTempFolder();
        var path = folder.Write("results.jtl", string.Join('\n',
            "timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect",
            "1700000000000,120,\"GET /api/orders, page 1\",200,OK,Users 1-1,text,true,,512,120,1,1,http://127.0.0.1/api/orders,100,0,3",
            "1700000000500,80,\"GET /api/orders, page 1\",200,OK,Users 1-2,text,true,,512,120,2,2,http://127.0.0.1/api/orders,70,0,2",
            "1700000001000,5000,GET /api/slow,Non HTTP response code: java.net.SocketTimeoutException,\"Non HTTP response message: Read timed out\",Users 1-1,text,false,\"Read timed out, after 5000 ms\",0,120,2,2,http://127.0.0.1/api/slow,0,0,1",
            "1700000002000,40,\"a \"\"quoted\"\" label\",500,Server Error,Users 1-2,text,false,\"multi",
            "line message\",10,10,2,2,http://127.0.0.1/x,40,0,1",
            ""));
        var all = await Errors(RequestMetricsSource.FromJMeterJtl(path), 0.9);
        Assert.Equal(4, all.Measurements.Single(m => m.Name == "requests").Value);
        Assert.Equal(2, all.Measurements.Single(m => m.Name == "errors").Value);

        var orders = await SourceGates.Latency(RequestMetricsSource.FromJMeterJtl(path, ["GET /api/orders*"]), "max <= 120ms", "count == 2");
        Assert.Equal(GateStatus.Passed, orders.Status);
    }

    [Theory]
    [InlineData(0.1, GateStatus.Failed)]
    [InlineData(0.25, GateStatus.Passed)]
    public async Task Sustained_error_rate_is_judged_on_the_jtl_timestamps(double above, GateStatus expected)
    {
        // Four minutes, one sample a second, every fifth one failed: 20 % in every 10-second interval.
        using var folder = Fixtures.CreateTempFolder();
        var rows = Enumerable.Range(0, 240).Select(s => $"{1_700_000_000_000 + (s * 1000L)},25,api,{(s % 5 == 0 ? "false" : "true")}");
        var path = folder.Write("run.jtl", "timeStamp,elapsed,label,success\n" + string.Join("\n", rows) + "\n");
        var gate = (await ReleaseGate.CreateBuilder().AddErrorRate("errors", o =>
        {
            o.Source = RequestMetricsSource.FromJMeterJtl(path);
            o.MaximumRate = 0.5;
            o.SustainedAbove = above;
            o.SustainedFor = TimeSpan.FromMinutes(3);
        }).EvaluateAsync(Ct)).Gates[0];
        Assert.Equal(expected, gate.Status);
    }

    [Theory]
    [InlineData("timeStamp,elapsed,label,success\n17000,abc,x,true\n", "line 2", "elapsed 'abc'")]
    [InlineData("timeStamp,label,success\n17000,x,true\n", "line 1", "'elapsed'")]
    [InlineData("timeStamp,elapsed,label,success\n17000,5,x,maybe\n", "line 2", "success 'maybe'")]
    [InlineData("timeStamp,elapsed,label,success\n17000,5,\"x,true\n", "line 2", "not closed")]
    public async Task Malformed_jtl_is_an_error_naming_file_line_and_field(string content, string line, string field)
    {
        using var folder = Fixtures.CreateTempFolder();
        var gate = await Errors(RequestMetricsSource.FromJMeterJtl(folder.Write("bad.jtl", content)), 0.1);
        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.Contains("bad.jtl", gate.Summary, StringComparison.Ordinal);
        Assert.Contains(line, gate.Summary, StringComparison.Ordinal);
        Assert.Contains(field, gate.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_har_timings_where_minus_one_means_not_applicable()
    {
        using var folder = Fixtures.CreateTempFolder();
        var path = folder.Write("capture.har", """
            { "log": { "version": "1.2", "creator": { "name": "test", "version": "1" }, "entries": [
              { "startedDateTime": "2026-11-22T10:00:00.000Z", "time": 50.5,
                "request": { "method": "GET", "url": "https://127.0.0.1/api/a" }, "response": { "status": 200 },
                "timings": { "blocked": -1, "dns": -1, "connect": -1, "ssl": -1, "send": 0.5, "wait": 40, "receive": 10 } },
              { "startedDateTime": "2026-11-22T10:00:01.000Z",
                "request": { "method": "GET", "url": "https://127.0.0.1/api/b" }, "response": { "status": 503 },
                "timings": { "blocked": 1, "dns": -1, "connect": 20, "ssl": 15, "send": 1, "wait": 300, "receive": 8 } },
              { "startedDateTime": "2026-11-22T10:00:02.000Z", "time": 12,
                "request": { "method": "GET", "url": "https://127.0.0.1/static/app.js" }, "response": { "status": 200 },
                "timings": { "send": 0, "wait": 10, "receive": 2 } }
            ] } }
            """);
        var api = await SourceGates.Latency(RequestMetricsSource.FromHar(path, ["https://127.0.0.1/api/*"]), "max < 400ms", "count == 2");
        Assert.Equal(GateStatus.Passed, api.Status);
        // The second entry has no "time": blocked + connect + send + wait + receive = 330 ms (ssl is inside connect).
        Assert.Equal(330, api.Measurements.Single(m => m.Name == "max").Value, 330 * 0.001);
        var errors = await Errors(RequestMetricsSource.FromHar(path), 0.5);
        Assert.Equal(1.0 / 3, errors.Measurements.Single(m => m.Name == "rate").Value, 12);
    }

    [Fact]
    public async Task Malformed_har_is_an_error()
    {
        using var folder = Fixtures.CreateTempFolder();
        var gate = await Errors(RequestMetricsSource.FromHar(folder.Write("bad.har", "{ \"log\": { \"entries\": [ { \"time\": 1, }")), 0.5);
        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.Contains("bad.har", gate.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("med < 200ms")]
    [InlineData("p(50) < 200ms")]
    public async Task The_median_is_med_and_p50_on_every_source(string condition)
    {
        using var folder = Fixtures.CreateTempFolder();
        var k6 = RequestMetricsSource.FromK6Summary(folder.Write("s.json", K6Legacy));
        var histogram = new ReleaseGates.Metrics.LatencyHistogram();
        histogram.RecordMilliseconds(150);
        var recorded = RequestMetricsSource.FromDelegate(RequestMetricsCapabilities.Latency, "recorded", _ => ValueTask.FromResult(new RequestMetrics { Latency = histogram, Total = 1 }));
        var statistics = RequestMetricsSource.FromDelegate(RequestMetricsCapabilities.Latency, "statistics", _ => ValueTask.FromResult(new RequestMetrics { LatencyStatistics = new Dictionary<string, double> { ["p(50)"] = 150 }, Total = 1 }));
        foreach (var source in new[] { k6, recorded, statistics })
        {
            var gate = await SourceGates.Latency(source, condition);
            Assert.True(gate.Status == GateStatus.Passed, $"{source.Description}: {gate.Summary}");
        }
    }

    [Fact]
    public async Task A_statistic_a_delegate_source_lacks_is_named_without_k6_advice()
    {
        var source = RequestMetricsSource.FromDelegate(RequestMetricsCapabilities.Latency, "my harness", _ => ValueTask.FromResult(new RequestMetrics { LatencyStatistics = new Dictionary<string, double> { ["avg"] = 10 }, Total = 1 }));
        var gate = await SourceGates.Latency(source, "p(99) < 1s");
        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.Contains("my harness has no p(99); it has avg.", gate.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("k6", gate.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_summary_leads_with_what_fell_short()
    {
        using var folder = Fixtures.CreateTempFolder();
        var gate = await SourceGates.Latency(RequestMetricsSource.FromK6Summary(folder.Write("s.json", K6Legacy)), "p(95) < 2s", "rps >= 100");
        Assert.StartsWith("rps 5 rps against rps >= 100 (p95 1800.3 ms", gate.Summary, StringComparison.Ordinal);
    }
}
