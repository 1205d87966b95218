using ReleaseGates.Metrics;
using ReleaseGates.Tests.Support;

namespace ReleaseGates.Tests.Metrics;

public class RequestWindowsTests
{
    private static void Traffic(RequestWindows w, FakeTimeProvider clock, int perSecond, double errorShare, TimeSpan duration)
    {
        var errorsPerSecond = (int)Math.Round(perSecond * errorShare);
        for (var s = 0; s < duration.TotalSeconds; s++)
        {
            for (var i = 0; i < perSecond; i++)
            {
                w.Record(isError: i < errorsPerSecond);
            }

            clock.Advance(TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public void Error_rate_over_the_last_minutes()
    {
        var clock = new FakeTimeProvider();
        var w = new RequestWindows(TimeSpan.FromMinutes(1), 60, clock);
        Traffic(w, clock, 10, 0.0, TimeSpan.FromMinutes(5));
        Traffic(w, clock, 10, 0.2, TimeSpan.FromMinutes(2));
        var lastTwo = w.GetTotals(TimeSpan.FromMinutes(2));
        Assert.Equal(0.2, lastTwo.ErrorRate, 10);
        Assert.Equal(1200, lastTwo.Total);
        Assert.Equal(0.4 / 7, w.GetTotals(TimeSpan.FromMinutes(7)).ErrorRate, 10);
    }

    [Fact]
    public void Sustained_requires_every_interval_of_the_span_to_breach()
    {
        var clock = new FakeTimeProvider();
        var w = new RequestWindows(TimeSpan.FromMinutes(1), 30, clock);
        Traffic(w, clock, 10, 0.0, TimeSpan.FromMinutes(2));
        Traffic(w, clock, 10, 0.2, TimeSpan.FromMinutes(2));
        var twoMinutes = w.CheckErrorRateSustainedAbove(0.1, TimeSpan.FromMinutes(3));
        Assert.False(twoMinutes.Sustained);
        Assert.Equal(2, twoMinutes.BreachedIntervals);

        Traffic(w, clock, 10, 0.2, TimeSpan.FromMinutes(1));
        var threeMinutes = w.CheckErrorRateSustainedAbove(0.1, TimeSpan.FromMinutes(3));
        Assert.True(threeMinutes.Sustained);
        Assert.Equal(3, threeMinutes.BreachedIntervals);
    }

    [Fact]
    public void A_dip_below_the_threshold_breaks_the_streak()
    {
        var clock = new FakeTimeProvider();
        var w = new RequestWindows(TimeSpan.FromMinutes(1), 30, clock);
        Traffic(w, clock, 10, 0.2, TimeSpan.FromMinutes(1));
        Traffic(w, clock, 10, 0.05, TimeSpan.FromMinutes(1));
        Traffic(w, clock, 10, 0.2, TimeSpan.FromMinutes(1));
        Assert.False(w.CheckErrorRateSustainedAbove(0.1, TimeSpan.FromMinutes(3)).Sustained);
    }

    [Fact]
    public void Intervals_without_enough_events_are_not_breaches()
    {
        var clock = new FakeTimeProvider();
        var w = new RequestWindows(TimeSpan.FromMinutes(1), 30, clock);
        Traffic(w, clock, 10, 0.5, TimeSpan.FromMinutes(2));
        clock.Advance(TimeSpan.FromMinutes(1));
        var result = w.CheckErrorRateSustainedAbove(0.1, TimeSpan.FromMinutes(3), minimumEvents: 5);
        Assert.False(result.Sustained);
        Assert.Equal(2, result.JudgedIntervals);
    }

    [Fact]
    public void Burn_rate_follows_the_sre_workbook()
    {
        // 99.9 % SLO, 2 % error rate: burn 20 > 14.4 in both windows.
        var clock = new FakeTimeProvider();
        var w = new RequestWindows(TimeSpan.FromMinutes(1), 120, clock);
        Traffic(w, clock, 50, 0.02, TimeSpan.FromMinutes(60));
        var burn = w.GetBurnRate(0.999, TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), 14.4);
        Assert.Equal(20, burn.LongBurnRate, 6);
        Assert.Equal(20, burn.ShortBurnRate, 6);
        Assert.True(burn.Breached);
    }

    [Fact]
    public void Burn_rate_needs_both_windows()
    {
        // A fresh spike: the short window burns, the long one does not yet.
        var clock = new FakeTimeProvider();
        var w = new RequestWindows(TimeSpan.FromMinutes(1), 120, clock);
        Traffic(w, clock, 50, 0.0, TimeSpan.FromMinutes(55));
        Traffic(w, clock, 50, 0.1, TimeSpan.FromMinutes(5));
        var burn = w.GetBurnRate(0.999, TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), 14.4);
        Assert.True(burn.ShortBurnRate > 14.4);
        Assert.True(burn.LongBurnRate < 14.4);
        Assert.False(burn.Breached);
    }

    [Fact]
    public void No_traffic_is_inconclusive_not_a_pass()
    {
        var w = new RequestWindows(TimeSpan.FromMinutes(1), 120, new FakeTimeProvider());
        var burn = w.GetBurnRate(0.999, TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), 14.4, minimumEvents: 10);
        Assert.False(burn.Conclusive);
        Assert.False(burn.Breached);
    }

    [Fact]
    public void Events_older_than_the_ring_are_counted_not_lost()
    {
        var clock = new FakeTimeProvider();
        var w = new RequestWindows(TimeSpan.FromMinutes(1), 10, clock);
        w.RecordAt(clock.GetUtcNow().AddHours(-1), isError: true);
        w.RecordAt(clock.GetUtcNow().AddMinutes(-3), isError: true);
        Assert.Equal(1, w.TooOldCount);
        Assert.Equal(1, w.GetTotals(TimeSpan.FromMinutes(5)).Errors);
    }

    [Fact]
    public void Old_slots_are_reused_for_new_intervals()
    {
        var clock = new FakeTimeProvider();
        var w = new RequestWindows(TimeSpan.FromMinutes(1), 3, clock);
        Traffic(w, clock, 1, 1.0, TimeSpan.FromMinutes(3));
        Traffic(w, clock, 1, 0.0, TimeSpan.FromMinutes(3));
        Assert.Equal(0, w.GetTotals(TimeSpan.FromMinutes(3)).Errors);
    }

    [Fact]
    public void Per_interval_latency_is_merged_over_the_lookback()
    {
        var clock = new FakeTimeProvider();
        var w = new RequestWindows(TimeSpan.FromMinutes(1), 10, clock, trackLatency: true);
        w.Record(false, TimeSpan.FromMilliseconds(10));
        clock.Advance(TimeSpan.FromMinutes(5));
        w.Record(false, TimeSpan.FromMilliseconds(500));
        Assert.Equal(1, w.GetLatency(TimeSpan.FromMinutes(1))!.Count);
        Assert.Equal(2, w.GetLatency(TimeSpan.FromMinutes(9))!.Count);
    }

    [Fact]
    public void Lookback_beyond_the_ring_is_rejected()
    {
        var w = new RequestWindows(TimeSpan.FromMinutes(1), 5, new FakeTimeProvider());
        Assert.Throws<ArgumentOutOfRangeException>(() => w.GetTotals(TimeSpan.FromMinutes(10)));
    }
}
