using ReleaseGates.Tests.Support;
using CsCheck;
using ReleaseGates.Metrics;

namespace ReleaseGates.Tests.Metrics;

public class LatencyHistogramPropertyTests
{
    private static readonly Gen<long> Values = Gen.Frequency(
        (4, Gen.Long[0, 10_000_000_000]),
        (1, Gen.Long[0, long.MaxValue]),
        (1, Gens.OneOfValues(0L, 1L, 3_600_000_000_000L, 3_600_000_000_001L, long.MaxValue, -1L, long.MinValue)));

    [Fact]
    public void Serialization_round_trips_any_recorded_values()
        => Gen.Select(Values.Array[0, 200], Gen.Int[1, 5]).Sample(
            (values, digits) =>
            {
                var histogram = new LatencyHistogram(digits);
                foreach (var v in values)
                {
                    histogram.Record(v);
                }

                var read = LatencyHistogram.FromByteArray(histogram.ToByteArray());
                Assert.Equal(histogram.Count, read.Count);
                Assert.Equal(histogram.Sum, read.Sum);
                Assert.Equal(histogram.Min, read.Min);
                Assert.Equal(histogram.Max, read.Max);
                Assert.Equal(histogram.InvalidCount, read.InvalidCount);
                Assert.Equal(histogram.CountAboveRange, read.CountAboveRange);
                foreach (var p in new[] { 0.0, 50, 90, 99, 99.9, 100 })
                {
                    Assert.Equal(histogram.ValueAtPercentile(p), read.ValueAtPercentile(p));
                }

                // The sum never wraps: it is exact, or pinned at long.MaxValue and the mean is +∞.
                Assert.True(histogram.Sum >= 0);
                Assert.True(histogram.Count == 0 || histogram.IsSumSaturated ? double.IsNaN(histogram.Mean) || double.IsPositiveInfinity(histogram.Mean) : histogram.Mean >= histogram.Min && histogram.Mean <= histogram.Max);
            },
            seed: "0000000006Ad", iter: 1000, threads: 1);
}
