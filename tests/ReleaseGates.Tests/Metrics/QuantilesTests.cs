using ReleaseGates.Metrics;

namespace ReleaseGates.Tests.Metrics;

public class QuantilesTests
{
    [Theory]
    [InlineData(0.5, 2.5)]
    [InlineData(0.25, 1.75)]
    [InlineData(0.9, 3.7)]
    [InlineData(0, 1)]
    [InlineData(1, 4)]
    public void Linear_is_hyndman_fan_type_7_like_numpy(double p, double expected)
        => Assert.Equal(expected, Quantiles.Compute([4.0, 1, 3, 2], p), 12);

    [Theory]
    [InlineData(0.5, 2)]
    [InlineData(0.25, 1)]
    [InlineData(0.26, 2)]
    [InlineData(0.99, 4)]
    [InlineData(0, 1)]
    public void Nearest_rank_returns_an_observed_value(double p, double expected)
        => Assert.Equal(expected, Quantiles.Compute([4.0, 1, 3, 2], p, QuantileMethod.NearestRank));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Matches_a_full_sort_on_random_data_with_ties(int seed)
    {
        var rng = new Random(seed);
        var values = Enumerable.Range(0, 5_001).Select(_ => Math.Round(rng.NextDouble() * 100, 1)).ToArray();
        var sorted = values.Order().ToArray();
        double[] ps = [0, 0.001, 0.1, 0.5, 0.9, 0.95, 0.99, 0.999, 1];
        var linear = new double[ps.Length];
        var nearest = new double[ps.Length];
        Quantiles.Compute(values, ps, linear);
        Quantiles.Compute(values, ps, nearest, QuantileMethod.NearestRank);
        for (var i = 0; i < ps.Length; i++)
        {
            var h = (sorted.Length - 1) * ps[i];
            var lo = (int)Math.Floor(h);
            var expectedLinear = lo + 1 < sorted.Length ? sorted[lo] + ((h - lo) * (sorted[lo + 1] - sorted[lo])) : sorted[lo];
            Assert.Equal(expectedLinear, linear[i], 9);
            Assert.Equal(sorted[Math.Max(1, (int)Math.Ceiling(ps[i] * sorted.Length - 1e-9)) - 1], nearest[i]);
        }
    }

    [Fact]
    public void The_callers_array_is_untouched_unless_in_place()
    {
        double[] values = [5, 3, 9, 1, 7];
        double[] copy = [.. values];
        Quantiles.Compute(values, 0.5);
        Assert.Equal(copy, values);
        var result = new double[1];
        Quantiles.ComputeInPlace(values, [0.5], result);
        Assert.Equal(5, result[0]);
        Assert.Equal(copy.Order(), values.Order());
    }

    [Fact]
    public void Empty_input_gives_NaN()
        => Assert.True(double.IsNaN(Quantiles.Compute([], 0.5)));

    [Fact]
    public void NaN_input_is_rejected_with_its_index()
    {
        var ex = Assert.Throws<ArgumentException>(() => Quantiles.Compute([1.0, 2, double.NaN], 0.5));
        Assert.Contains("values[2]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Probability_outside_0_to_1_is_rejected()
        => Assert.Throws<ArgumentOutOfRangeException>(() => Quantiles.Compute([1.0], 99));

    [Fact]
    public void Large_input_selects_correctly()
    {
        var rng = new Random(42);
        var values = Enumerable.Range(0, 1_000_000).Select(_ => rng.NextDouble()).ToArray();
        var sorted = values.Order().ToArray();
        Assert.Equal(sorted[989_999] + (0.01 * (sorted[990_000] - sorted[989_999])), Quantiles.Compute(values, 0.99), 12);
    }
}
