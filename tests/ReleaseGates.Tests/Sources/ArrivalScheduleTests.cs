namespace ReleaseGates.Tests.Sources;

public class ArrivalScheduleTests
{
    [Fact]
    public void A_fixed_rate_spaces_requests_evenly_from_zero()
    {
        Assert.Equal(0, ArrivalSchedule.Offset(0, 200, TimeSpan.Zero));
        Assert.Equal(0.005, ArrivalSchedule.Offset(1, 200, TimeSpan.Zero), 12);
        Assert.Equal(2.995, ArrivalSchedule.Offset(599, 200, TimeSpan.Zero), 12);
        Assert.Equal(600, ArrivalSchedule.DueBy(3, 200, TimeSpan.Zero));
    }

    [Fact]
    public void A_ramp_rises_linearly_and_joins_the_full_rate_without_a_gap()
    {
        var ramp = TimeSpan.FromSeconds(10);

        // 100 a second reached after 10 s: 500 due over the ramp (its area), the 500th exactly at its end.
        Assert.Equal(500, ArrivalSchedule.DueBy(10, 100, ramp));
        Assert.Equal(10, ArrivalSchedule.Offset(500, 100, ramp), 9);
        Assert.Equal(10.01, ArrivalSchedule.Offset(501, 100, ramp), 9);
        Assert.Equal(Math.Sqrt(2 * 10 * 125 / 100.0), ArrivalSchedule.Offset(125, 100, ramp), 9); // t = √(2Rn/r)

        // The gaps shrink monotonically over the ramp and stay at 1/rate after it.
        var gaps = Enumerable.Range(1, 700).Select(n => ArrivalSchedule.Offset(n, 100, ramp) - ArrivalSchedule.Offset(n - 1, 100, ramp)).ToArray();
        Assert.All(gaps.Zip(gaps.Skip(1)), pair => Assert.True(pair.Second <= pair.First + 1e-12));
        Assert.All(gaps.Skip(500), gap => Assert.Equal(0.01, gap, 9));
    }

    [Fact]
    public void DueBy_counts_exactly_the_requests_whose_offset_is_before_the_time()
    {
        foreach (var (rate, ramp, seconds) in new[] { (200.0, 0.0, 3.0), (100, 1, 2), (37.5, 4, 9.3), (1000, 2, 1.5) })
        {
            var due = ArrivalSchedule.DueBy(seconds, rate, TimeSpan.FromSeconds(ramp));
            Assert.True(ArrivalSchedule.Offset(due - 1, rate, TimeSpan.FromSeconds(ramp)) < seconds);
            Assert.True(ArrivalSchedule.Offset(due, rate, TimeSpan.FromSeconds(ramp)) >= seconds - 1e-9);
        }
    }
}
