using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using ReleaseGates.Metrics;

namespace ReleaseGates.Tests.Metrics;

/// <summary>The form an instance serves to its fleet: what it holds, and that anything else is refused by name.</summary>
public class InstanceHistogramsTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    private static HttpMetricsCollector Collector(FakeTimeProvider clock, string name = "web-1")
        => new(new HttpMetricsCollectorOptions { InstanceName = name, WindowInterval = TimeSpan.FromSeconds(10), WindowIntervalCount = 30 }, clock);

    private static void Send(HttpMetricsCollector collector, string route, int count, TimeSpan duration, int status = 200)
    {
        for (var i = 0; i < count; i++)
        {
            collector.Record(new HttpRequestObservation(HttpMetricSource.Server, "GET", route, status, null, duration));
        }
    }

    [Fact]
    public void Holds_every_request_each_endpoint_and_the_intervals_of_the_lookback()
    {
        var clock = new FakeTimeProvider(Start);
        using var collector = Collector(clock);
        Send(collector, "/orders", 10, TimeSpan.FromMilliseconds(20));
        clock.Advance(TimeSpan.FromSeconds(10));
        Send(collector, "/orders", 5, TimeSpan.FromMilliseconds(40), status: 503);
        Send(collector, "/health", 3, TimeSpan.FromMilliseconds(1));

        var read = InstanceHistograms.Read(collector.ExportHistograms(TimeSpan.FromMinutes(1)), "web-1");

        Assert.Equal("web-1", read.Name);
        Assert.Equal(TimeSpan.FromSeconds(10), read.Interval);
        Assert.Equal(TimeSpan.FromMinutes(1), read.Lookback);
        Assert.Equal(Start.AddSeconds(10), read.Time);
        var total = Assert.Single(read.Series, s => s.IsTotal);
        Assert.Equal((18, 5), (total.Requests, total.Errors));
        Assert.Equal(18, total.DecodeLatency().Count);
        var orders = Assert.Single(read.Series, s => s.Route == "/orders");
        Assert.Equal((15, 5), (orders.Requests, orders.Errors));
        Assert.InRange(orders.DecodeLatency().Max, 39_980_000, 40_020_000);
        Assert.Equal([(Start, 10L, 0L), (Start.AddSeconds(10), 5L, 5L)], orders.Intervals.Select(i => (i.Start, i.Requests, i.Errors)));
        Assert.Equal(5, orders.Intervals[1].DecodeLatency("web-1")!.Count);
    }

    [Fact]
    public void Filters_to_one_endpoint_and_leaves_out_intervals_without_a_lookback()
    {
        var clock = new FakeTimeProvider(Start);
        using var collector = Collector(clock);
        Send(collector, "/orders", 4, TimeSpan.FromMilliseconds(20));
        Send(collector, "/health", 3, TimeSpan.FromMilliseconds(1));

        var read = InstanceHistograms.Read(collector.ExportHistograms(route: "/orders", method: "get"), "web-1");

        var only = Assert.Single(read.Series);
        Assert.Equal(("GET", "/orders", 4L), (only.Method, only.Route, only.Requests));
        Assert.Empty(only.Intervals);
        Assert.Equal(TimeSpan.Zero, read.Lookback);
    }

    [Fact]
    public void Says_how_far_back_it_reached_when_asked_for_more_than_the_windows_keep()
    {
        var clock = new FakeTimeProvider(Start);
        using var collector = Collector(clock);

        var read = InstanceHistograms.Read(collector.ExportHistograms(TimeSpan.FromHours(2)), "web-1");

        Assert.Equal(TimeSpan.FromSeconds(300), read.Lookback);
    }

    [Fact]
    public void A_newer_format_is_refused_with_what_to_update()
    {
        var json = """{"format": 2, "instance": {"id": "a"}, "series": []}""";

        var error = Assert.Throws<FormatException>(() => InstanceHistograms.Read(Encoding.UTF8.GetBytes(json), "The instance http://web-2:8080"));

        Assert.Contains("http://web-2:8080 serves histograms of format 2; this ReleaseGates reads format 1 and older", error.Message, StringComparison.Ordinal);
        Assert.Contains("Update the ReleaseGates package where the gate runs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_histogram_of_a_newer_binary_format_is_refused_naming_the_field()
    {
        var clock = new FakeTimeProvider(Start);
        using var collector = Collector(clock);
        Send(collector, "/orders", 1, TimeSpan.FromMilliseconds(20));
        var document = JsonNode.Parse(collector.ExportHistograms())!;
        var bytes = Convert.FromBase64String(document["series"]![0]!["histogram"]!.GetValue<string>());
        Assert.Equal(2, bytes[3]);
        bytes[3] = 9; // the format version after the magic "RGH"
        document["series"]![0]!["histogram"] = Convert.ToBase64String(bytes);

        var read = InstanceHistograms.Read(Encoding.UTF8.GetBytes(document.ToJsonString()), "web-1");
        var error = Assert.Throws<FormatException>(() => read.Series[0].AddTo(null));

        Assert.Contains("web-1 served a histogram at \"series[0].histogram\" that this ReleaseGates cannot read", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<html>login</html>", "the body is not JSON")]
    [InlineData("""{"status": "success"}""", "has no \"format\" number")]
    [InlineData("""{"format": 1, "instance": {"id": "a"}, "interval": 10, "lookback": 0, "time": 1, "series": [{"requests": 1, "errors": 2, "histogram": null}]}""", "series[0].errors = 2, more than its 1 requests")]
    [InlineData("""{"format": 1, "instance": {"id": "a"}, "interval": 10, "lookback": 0, "time": 1, "series": [{"requests": -1, "errors": 0}]}""", "\"series[0].requests\" is not a whole number of at least 0")]
    [InlineData("""{"format": 1, "instance": {"id": "a"}, "interval": 10, "lookback": 0, "time": 1, "series": [{"requests": 1, "errors": 0, "histogram": "%%"}]}""", "\"series[0].histogram\" is not base64")]
    [InlineData("""{"format": 1, "instance": {}, "interval": 10, "lookback": 0, "time": 1, "series": []}""", "without \"instance.id\"")]
    [InlineData("""{"format": 1, "instance": {"id": "a"}, "interval": "10", "lookback": 0, "time": 1, "series": []}""", "\"interval\" is not a number")]
    public void Anything_else_is_refused_naming_the_instance_and_the_field(string body, string expected)
    {
        var error = Assert.Throws<FormatException>(() => InstanceHistograms.Read(Encoding.UTF8.GetBytes(body), "The instance http://web-3:8080"));

        Assert.Contains("http://web-3:8080", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
