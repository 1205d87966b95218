using CoverageSample;
using Xunit;

namespace CoverageSample.Tests;

public class PriceCalculatorTests
{
    [Fact]
    public void Half_coupon_halves_the_total() => Assert.Equal(10m, PriceCalculator.Total(5, 4, "HALF"));

    [Fact]
    public void No_coupon_is_the_full_price() => Assert.Equal(20m, PriceCalculator.Total(5, 4, null));

    [Fact]
    public void Cheap_totals_are_described_as_cheap() => Assert.Equal("cheap", PriceCalculator.Describe(5));

    [Fact]
    public async Task Later_total_is_the_same() => Assert.Equal(20m, await PriceCalculator.TotalLaterAsync(5, 4));
}
