using Microsoft.Extensions.Time.Testing;
using ReleaseGates.Metrics;

namespace ReleaseGates.Tests.Metrics;

/// <summary>
/// The collector's windows are fed from its per-thread latency shards (the lock is taken once per interval, not per
/// request): these tests pin that every request lands in the interval of its time, that reads see the current interval at
/// once, and that the total is every endpoint together.
/// </summary>
public class HttpMetricsCollectorTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static HttpMetricsCollector NewCollector(FakeTimeProvider clock)
        => new(new HttpMetricsCollectorOptions { CaptureServer = false, WindowInterval = Interval, WindowIntervalCount = 6 }, clock);

    private static HttpRequestObservation Request(string route, int status = 200, double milliseconds = 10)
        => new(HttpMetricSource.Server, "GET", route, status, null, TimeSpan.FromMilliseconds(milliseconds));

    private static HttpEndpointStatistics Endpoint(HttpMetricsCollector collector, string route)
        => collector.GetEndpoint(new HttpEndpoint(HttpMetricSource.Server, "GET", route))!;

    [Fact]
    public void Requests_land_in_the_interval_of_their_time_and_reads_see_the_current_one_at_once()
    {
        var clock = new FakeTimeProvider(Start);
        using var collector = NewCollector(clock);
        for (var i = 0; i < 3; i++)
        {
            collector.Record(Request("/a"));
        }

        clock.Advance(Interval);
        collector.Record(Request("/a", 503));
        collector.Record(Request("/a"));

        var intervals = Endpoint(collector, "/a").Windows.GetIntervals(Interval * 2);
        Assert.Equal([(3L, 0L), (2L, 1L)], intervals.TakeLast(2).Select(i => (i.Total, i.Errors)));
        Assert.Equal(Start, intervals[^2].Start);
    }

    [Fact]
    public void Requests_before_a_quiet_stretch_stay_in_their_interval()
    {
        var clock = new FakeTimeProvider(Start);
        using var collector = NewCollector(clock);
        collector.Record(Request("/a", 500));
        collector.Record(Request("/a"));

        clock.Advance(Interval * 3);

        var intervals = Endpoint(collector, "/a").Windows.GetIntervals(Interval * 4);
        Assert.Equal([2L, 0L, 0L, 0L], intervals.TakeLast(4).Select(i => i.Total));
        Assert.Equal(1, intervals[^4].Errors);
        Assert.Equal(Start, intervals[^4].Start);
    }

    [Fact]
    public void Per_interval_latency_holds_only_that_intervals_requests()
    {
        var clock = new FakeTimeProvider(Start);
        using var collector = NewCollector(clock);
        collector.Record(Request("/a", milliseconds: 5));
        clock.Advance(Interval);
        collector.Record(Request("/a", milliseconds: 400));
        collector.Record(Request("/a", milliseconds: 300));
        clock.Advance(TimeSpan.FromSeconds(5));

        var current = Endpoint(collector, "/a").Windows.GetLatency(TimeSpan.FromSeconds(1))!;
        Assert.Equal(2, current.Count);
        Assert.InRange(current.Min, 299_000_000, 301_000_000);
        Assert.InRange(current.Max, 399_000_000, 401_000_000);

        var breached = Endpoint(collector, "/a").Windows.CheckLatencySustainedAbove(50, TimeSpan.FromMilliseconds(100), Interval);
        Assert.Equal(0, breached.BreachedIntervals);
        Assert.Equal(1, breached.JudgedIntervals);
    }

    [Fact]
    public void The_total_is_every_endpoint_together()
    {
        var clock = new FakeTimeProvider(Start);
        using var collector = NewCollector(clock);
        collector.Record(Request("/a", milliseconds: 1));
        collector.Record(Request("/b", 500, milliseconds: 900));
        clock.Advance(Interval);
        collector.Record(Request("/b", milliseconds: 20));

        var total = collector.GetTotal();
        Assert.Equal(3, total.Total);
        Assert.Equal(1, total.Errors);
        Assert.Equal(1.0 / 3, total.ErrorRate, 12);
        var latency = total.LatencyRecorder.GetCumulativeSnapshot();
        Assert.Equal(3, latency.Count);
        Assert.InRange(latency.Max, 899_000_000, 901_000_000);
        Assert.Equal([(2L, 1L), (1L, 0L)], total.Windows.GetIntervals(Interval * 2).TakeLast(2).Select(i => (i.Total, i.Errors)));
        Assert.Equal(2, Endpoint(collector, "/b").Total);
    }

    [Fact]
    public void Invalid_durations_count_as_requests_but_not_as_latency()
    {
        var clock = new FakeTimeProvider(Start);
        using var collector = NewCollector(clock);
        collector.Record(Request("/a", milliseconds: -1));
        collector.Record(Request("/a", milliseconds: 2));

        var endpoint = Endpoint(collector, "/a");
        Assert.Equal(2, endpoint.Total);
        Assert.Equal(2, endpoint.Windows.GetTotals(Interval).Total);
        Assert.Equal(1, endpoint.LatencyRecorder.GetCumulativeSnapshot().Count);
    }

    [Fact]
    public async Task Concurrent_writers_across_interval_ends_lose_and_double_nothing()
    {
        const int Writers = 4, PerWriter = 50_000;
        var clock = new FakeTimeProvider(Start);
        using var collector = new HttpMetricsCollector(
            new HttpMetricsCollectorOptions { CaptureServer = false, WindowInterval = TimeSpan.FromSeconds(1), WindowIntervalCount = 3600 }, clock);
        // Up to 1,000 interval ends while the writers run, well inside the ring's 3,600.
        var writersDone = 0;
        var ticker = Task.Run(() =>
        {
            for (var t = 0; t < 1_000 && Volatile.Read(ref writersDone) == 0; t++)
            {
                clock.Advance(TimeSpan.FromSeconds(1));
                Thread.SpinWait(2_000);
            }
        }, TestContext.Current.CancellationToken);

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < PerWriter; i++)
            {
                collector.Record(Request(w % 2 == 0 ? "/a" : "/b", i % 10 == 0 ? 500 : 200, 1 + (i % 50)));
            }
        }, TestContext.Current.CancellationToken)));
        Volatile.Write(ref writersDone, 1);
        await ticker;

        var total = collector.GetTotal();
        var span = clock.GetUtcNow() - Start + TimeSpan.FromSeconds(1);
        var intervals = total.Windows.GetIntervals(span);
        Assert.Equal(Writers * PerWriter, intervals.Sum(i => i.Total));
        Assert.Equal(Writers * PerWriter / 10, intervals.Sum(i => i.Errors));
        Assert.All(intervals, i => Assert.True(i.Errors <= i.Total, $"{i.Start}: {i.Errors} errors of {i.Total}"));
        Assert.Equal(Writers * PerWriter, total.Windows.GetLatency(span)!.Count);
        Assert.Equal(Writers * PerWriter / 2, Endpoint(collector, "/a").Windows.GetTotals(span).Total);
    }

    // With the system clock the collector's own thread ends the intervals and a request reads no clock: the path every
    // production request takes, through the endpoint cache and the per-thread shards. These tests count, so the clock's
    // progress cannot change them.
    private static HttpMetricsCollector NewTickingCollector()
        => new(new HttpMetricsCollectorOptions { CaptureServer = false, CaptureClient = false, WindowInterval = Interval, WindowIntervalCount = 6 });

    [Fact]
    public void Endpoints_alike_in_length_and_characters_are_counted_apart()
    {
        // Same length, same middle and last characters, same method: what a cheap content hash could not tell apart.
        string[] routes = ["/aaaa/{id}", "/bbbb/{id}", "/cccc/{id}"];
        using var collector = NewTickingCollector();
        for (var i = 0; i < 3000; i++)
        {
            collector.Record(Request(routes[i % 3], status: i % 30 < 3 ? 500 : 200, milliseconds: 1 + (i % 3)));
        }

        for (var r = 0; r < 3; r++)
        {
            var endpoint = Endpoint(collector, routes[r]);
            Assert.Equal(1000, endpoint.Total);
            Assert.Equal(100, endpoint.Errors);
            var latency = endpoint.LatencyRecorder.GetCumulativeSnapshot();
            Assert.Equal(1000, latency.Count);
            Assert.InRange(latency.Min, (1 + r) * 999_000L, (1 + r) * 1_001_000L);
            Assert.InRange(latency.Max, (1 + r) * 999_000L, (1 + r) * 1_001_000L);
        }

        Assert.Equal(3000, collector.GetTotal().Total);
        Assert.Equal(300, collector.GetTotal().Errors);
    }

    [Fact]
    public void Route_strings_made_anew_for_each_request_still_land_on_their_endpoint()
    {
        using var collector = NewTickingCollector();
        for (var i = 0; i < 500; i++)
        {
            collector.Record(Request(string.Concat("/orders/", (i % 2).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }

        Assert.Equal(250, Endpoint(collector, "/orders/0").Total);
        Assert.Equal(250, Endpoint(collector, "/orders/1").Total);
        Assert.Equal(500, collector.GetTotal().LatencyRecorder.GetCumulativeSnapshot().Count);
    }

    [Fact]
    public void Collectors_that_one_thread_records_into_in_turn_keep_their_own_counts()
    {
        // Nine collectors, each with an endpoint and a total recorder: more recorders than a thread's 16 recent-shard slots,
        // so recorders take slots from each other on every round.
        var collectors = Enumerable.Range(0, 9).Select(_ => NewTickingCollector()).ToArray();
        try
        {
            for (var round = 0; round < 200; round++)
            {
                for (var c = 0; c < collectors.Length; c++)
                {
                    collectors[c].Record(Request("/a", status: c == 4 ? 503 : 200, milliseconds: c + 1));
                }
            }

            for (var c = 0; c < collectors.Length; c++)
            {
                var endpoint = Endpoint(collectors[c], "/a");
                Assert.Equal(200, endpoint.Total);
                Assert.Equal(c == 4 ? 200 : 0, endpoint.Errors);
                var latency = endpoint.LatencyRecorder.GetCumulativeSnapshot();
                Assert.Equal(200, latency.Count);
                Assert.InRange(latency.Max, (c + 1) * 999_000L, (c + 1) * 1_001_000L);
            }
        }
        finally
        {
            foreach (var collector in collectors)
            {
                collector.Dispose();
            }
        }
    }

    [Fact]
    public async Task Threads_recording_into_the_same_endpoints_lose_nothing()
    {
        using var collector = NewTickingCollector();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 5000; i++)
            {
                collector.Record(Request(t % 2 == 0 ? "/even" : "/odd", status: i % 100 == 0 ? 500 : 200));
            }
        })));

        Assert.Equal(10_000, Endpoint(collector, "/even").Total);
        Assert.Equal(10_000, Endpoint(collector, "/odd").Total);
        Assert.Equal(200, collector.GetTotal().Errors);
        Assert.Equal(20_000, collector.GetTotal().LatencyRecorder.GetCumulativeSnapshot().Count);
    }
}
