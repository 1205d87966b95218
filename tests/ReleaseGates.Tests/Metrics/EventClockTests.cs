using ReleaseGates.Metrics;

namespace ReleaseGates.Tests.Metrics;

public class EventClockTests
{
    [Fact]
    public void A_fake_clock_is_asked_for_every_event()
    {
        var fake = new FakeTimeProvider();
        var clock = new EventClock(fake, TimeSpan.FromSeconds(10));
        var first = clock.GetUtcNow();
        fake.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(first.AddTicks(1), clock.GetUtcNow());
    }

    [Fact]
    public void The_system_clock_is_read_to_within_the_coarse_tick()
    {
        var clock = new EventClock(TimeProvider.System, TimeSpan.FromSeconds(1));
        var previous = DateTimeOffset.MinValue;
        for (var i = 0; i < 100_000; i++)
        {
            var before = DateTimeOffset.UtcNow;
            var now = clock.GetUtcNow();
            var after = DateTimeOffset.UtcNow;
            Assert.True(now <= after, $"{now:O} is after {after:O}");
            Assert.True(before - now < TimeSpan.FromMilliseconds(50), $"{now:O} lags {before:O} by {(before - now).TotalMilliseconds} ms");
            Assert.True(now >= previous, "the reading went back");
            Assert.Equal(TimeSpan.Zero, now.Offset);
            previous = now;
        }
    }

    [Fact]
    public void Sub_second_windows_read_the_system_clock_exactly()
    {
        var clock = new EventClock(TimeProvider.System, TimeSpan.FromMilliseconds(100));
        var before = DateTimeOffset.UtcNow;
        var now = clock.GetUtcNow();
        Assert.True(now >= before, $"{now:O} is before {before:O}");
    }
}
