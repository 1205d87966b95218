using ReleaseGates.Tests.Support;

namespace ReleaseGates.Tests.Sources;

/// <summary>Imports that once dropped, wrapped or mis-read a sample: each is now an Error naming the file and the line or entry.</summary>
public class HostileImportTests
{
    [Fact]
    public async Task A_jtl_sample_too_long_for_nanoseconds_is_an_error_never_dropped()
    {
        using var folder = Fixtures.CreateTempFolder();
        var path = folder.Write("huge.jtl", "timeStamp,elapsed,label,success\n1700000000000,20,api,true\n1700000000100,10000000000000,api,true\n");
        var gate = await SourceGates.Latency(RequestMetricsSource.FromJMeterJtl(path), "max < 1000ms");
        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.Contains("huge.jtl, line 3", gate.Summary, StringComparison.Ordinal);
        Assert.Contains("elapsed 10000000000000 ms is out of range", gate.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stray_quote_is_an_error_within_a_bounded_record_not_a_quadratic_read()
    {
        using var folder = Fixtures.CreateTempFolder();
        var rows = string.Concat(Enumerable.Range(0, 60_000).Select(i => $"{1_700_000_000_000 + i},25,api,true\n"));
        var path = folder.Write("stray.jtl", "timeStamp,elapsed,label,success\n1700000000000,25,\"api,true\n" + rows);
        var gate = await SourceGates.Latency(RequestMetricsSource.FromJMeterJtl(path), "max < 1000ms");
        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.True(gate.Summary.Contains("stray.jtl, line 2", StringComparison.Ordinal), gate.Summary);
        Assert.Contains("not closed within", gate.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"passes\": -3, \"fails\": 10", "\"p(95)\": 100", "http_req_failed.passes is -3")]
    [InlineData("\"passes\": 30, \"fails\": 0", "\"p(95)\": 100", "more than metrics.http_reqs.count")]
    [InlineData("\"passes\": 0, \"fails\": 10", "\"p(95)\": -100", "p(95) is -100")]
    [InlineData("\"passes\": 0, \"fails\": 10", "\"p(95)\": 1e400", "p(95) is 1e400")]
    public async Task A_k6_summary_with_impossible_numbers_is_an_error(string failed, string p95, string expected)
    {
        using var folder = Fixtures.CreateTempFolder();
        var path = folder.Write("k6.json", $$"""{ "metrics": { "http_req_duration": { "avg": 10, {{p95}} }, "http_req_failed": { {{failed}} }, "http_reqs": { "count": 10, "rate": 1 } } }""");
        var gate = await SourceGates.Latency(RequestMetricsSource.FromK6Summary(path), "p(95) < 300ms");
        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.Contains("k6.json", gate.Summary, StringComparison.Ordinal);
        Assert.Contains(expected, gate.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"time\": -1, \"timings\": { \"send\": -1, \"wait\": -1, \"receive\": -1 }", "log.entries[0] has no timing")]
    [InlineData("\"time\": \"fast\"", "log.entries[0].time is \"fast\"")]
    [InlineData("\"time\": 1e300", "ends after the year 9999")]
    public async Task A_har_entry_without_a_usable_time_is_an_error_never_zero_ms(string timing, string expected)
    {
        using var folder = Fixtures.CreateTempFolder();
        var path = folder.Write("c.har", $$"""{ "log": { "entries": [ { "startedDateTime": "2026-11-22T10:00:00Z", {{timing}}, "request": { "url": "https://x/a" }, "response": { "status": 200 } } ] } }""");
        var gate = await SourceGates.Latency(RequestMetricsSource.FromHar(path), "max < 1000ms");
        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.Contains("c.har", gate.Summary, StringComparison.Ordinal);
        Assert.Contains(expected, gate.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_har_field_of_the_wrong_type_is_named()
    {
        using var folder = Fixtures.CreateTempFolder();
        var path = folder.Write("c.har", """{ "log": { "entries": [ { "startedDateTime": "2026-11-22T10:00:00Z", "time": 5, "request": { "url": 42 } } ] } }""");
        var gate = await SourceGates.Latency(RequestMetricsSource.FromHar(path), "max < 1000ms");
        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.Contains("log.entries[0].request.url is Number, expected a string", gate.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mean_whose_sum_overflowed_is_an_error_not_a_small_number()
    {
        var histogram = new ReleaseGates.Metrics.LatencyHistogram();
        for (var i = 0; i < 3; i++)
        {
            histogram.Record(long.MaxValue / 2);
        }

        Assert.True(histogram.IsSumSaturated);
        Assert.Equal(long.MaxValue, histogram.Sum);
        var gate = await SourceGates.Latency(RequestMetricsSource.FromDelegate(RequestMetricsCapabilities.Latency, "overflow", _ => ValueTask.FromResult(new RequestMetrics { Latency = histogram, Total = 3 })), "avg < 1000ms");
        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.Equal(GateStatus.Error, gate.Measurements.Single(m => m.Name == "avg").Status);
    }
}
