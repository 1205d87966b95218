using ReleaseGates.Metrics;

namespace ReleaseGates.Tests.Metrics;

/// <summary>Newcombe's hybrid score interval for a difference of proportions, against the values his paper prints.</summary>
public class ProportionDifferenceTests
{
    [Theory]
    // Newcombe (1998), "Interval estimation for the difference between independent proportions", Statistics in
    // Medicine 17:873–890, Table II, method 10, at 95 %.
    [InlineData(56, 70, 48, 80, 0.0524, 0.3339)]
    [InlineData(9, 10, 3, 10, 0.1705, 0.8090)]
    public void Gives_the_interval_Newcombe_published(long events1, long total1, long events2, long total2, double lower, double upper)
    {
        var (difference, low, high) = ProportionDifference.Newcombe(events1, total1, events2, total2, 0.95);

        Assert.Equal((double)events1 / total1 - ((double)events2 / total2), difference, 12);
        Assert.Equal(lower, low, 4);
        Assert.Equal(upper, high, 4);
    }

    [Fact]
    public void Bounds_a_canary_with_errors_against_a_baseline_without_any()
    {
        // The example: 5 errors in 1,000 against none in 1,000 gives about 0.02 to 1.2 percentage points.
        var (difference, lower, upper) = ProportionDifference.Newcombe(5, 1000, 0, 1000, 0.95);

        Assert.Equal(0.005, difference, 12);
        Assert.InRange(lower, 0.0002, 0.0003);
        Assert.InRange(upper, 0.0116, 0.0117);
    }

    [Theory]
    [InlineData(0, 1, 0, 1)]
    [InlineData(0, 1000, 0, 1000)]
    [InlineData(1000, 1000, 0, 1000)]
    [InlineData(0, 1000, 1000, 1000)]
    [InlineData(1, 3, 2, 5)]
    public void Is_finite_and_within_minus_one_to_one_at_the_extremes(long events1, long total1, long events2, long total2)
    {
        var (difference, lower, upper) = ProportionDifference.Newcombe(events1, total1, events2, total2, 0.999);

        Assert.True(double.IsFinite(lower) && double.IsFinite(upper));
        Assert.InRange(lower, -1, difference);
        Assert.InRange(upper, difference, 1);
    }

    [Fact]
    public void Wilson_touches_zero_and_one_exactly_at_the_ends()
    {
        var z = NormalDistribution.Quantile(0.975);

        Assert.Equal(0, ProportionDifference.Wilson(0, 50, z).Lower);
        Assert.Equal(1, ProportionDifference.Wilson(50, 50, z).Upper);
        Assert.Throws<ArgumentOutOfRangeException>(() => ProportionDifference.Wilson(3, 0, z));
        Assert.Throws<ArgumentOutOfRangeException>(() => ProportionDifference.Wilson(5, 4, z));
    }
}
