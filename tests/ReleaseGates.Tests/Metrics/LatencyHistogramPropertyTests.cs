using System.Numerics;
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

    /// <summary>Values that cluster (so that most land between the min's and max's buckets) and sometimes stretch the range.</summary>
    private static readonly Gen<long> ClusteredValues = Gen.Frequency(
        (12, Gen.Long[1_000_000, 1_200_000]),
        (2, Gen.Long[0, 10_000_000_000]),
        (1, Values));

    /// <summary>
    /// Any mix of single records, repeated records (past a 16-bit cell), weighted records, merges, resets, copies and round
    /// trips keeps count, sum, min and max exact and percentiles within the stated error: the one-comparison fast path of
    /// Record never skips a new min or max, an out-of-range value or a cell that wraps.
    /// </summary>
    [Fact]
    public void Every_sequence_of_operations_keeps_exact_totals_and_extremes()
        => Gen.Select(Gen.Select(Gen.Int[0, 13], ClusteredValues, Gen.Int[1, 70_000]).Array[1, 60], Gen.Int[1, 5]).Sample(
            (operations, digits) =>
            {
                var histogram = new LatencyHistogram(digits);
                var model = new List<(long Value, long Count)>();
                long invalid = 0;
                foreach (var (kind, value, n) in operations)
                {
                    switch (kind)
                    {
                        case 10:
                            histogram.Record(value, n);
                            Remember(value, n);
                            break;
                        case 11:
                            // The same value many times through the fast path: a cell goes past 65,535.
                            for (var i = 0; i < n; i++)
                            {
                                histogram.Record(value);
                            }

                            Remember(value, n);
                            break;
                        case 12:
                            var other = new LatencyHistogram(digits);
                            other.Record(value);
                            other.Record(value / 2);
                            histogram.Add(other);
                            Remember(value, 1);
                            Remember(value / 2, 1);
                            break;
                        case 13:
                            histogram = (n % 3) switch
                            {
                                0 => Reset(histogram),
                                1 => histogram.Copy(),
                                _ => LatencyHistogram.FromByteArray(histogram.ToByteArray()),
                            };
                            break;
                        default:
                            histogram.Record(value);
                            Remember(value, 1);
                            break;
                    }
                }

                var recorded = model.Sum(m => m.Count);
                Assert.Equal(recorded, histogram.Count);
                Assert.Equal(invalid, histogram.InvalidCount);
                var sum = model.Aggregate(BigInteger.Zero, (total, m) => total + ((BigInteger)m.Value * m.Count));
                Assert.Equal(sum > long.MaxValue ? long.MaxValue : (long)sum, histogram.Sum);
                Assert.Equal(recorded == 0 ? 0 : model.Min(m => m.Value), histogram.Min);
                Assert.Equal(recorded == 0 ? 0 : model.Max(m => m.Value), histogram.Max);
                Assert.Equal(model.Where(m => m.Value > histogram.HighestTrackableValue).Sum(m => m.Count), histogram.CountAboveRange);
                if (recorded > 0)
                {
                    var sorted = model.OrderBy(m => m.Value).ToList();
                    foreach (var p in new[] { 1.0, 50, 99 })
                    {
                        var rank = Math.Max(1, (long)Math.Ceiling(p / 100 * recorded));
                        long seen = 0;
                        var exact = sorted.First(m => (seen += m.Count) >= rank).Value;
                        var reported = histogram.ValueAtPercentile(p);
                        var expected = exact > histogram.HighestTrackableValue ? histogram.Max : exact;
                        Assert.True(Math.Abs((double)reported - expected) <= (expected * histogram.RelativeError) + 1, $"p{p}: {reported} against {expected}");
                    }
                }

                void Remember(long value, long count)
                {
                    if (value < 0)
                    {
                        invalid += count;
                    }
                    else
                    {
                        model.Add((value, count));
                    }
                }

                LatencyHistogram Reset(LatencyHistogram h)
                {
                    h.Reset();
                    model.Clear();
                    invalid = 0;
                    return h;
                }
            },
            seed: "0000000a1B2c", iter: 300, threads: 1);
}
