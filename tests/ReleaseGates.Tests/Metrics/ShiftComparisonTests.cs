using ReleaseGates.Metrics;

namespace ReleaseGates.Tests.Metrics;

public class ShiftComparisonTests
{
    private static WeightedSample Sample(params double[] values) => WeightedSample.FromValues(values);

    /// <summary>U, midrank ties and the tie-corrected variance the textbook way: sort the pooled sample, rank it.</summary>
    private static (double U, double PValue) Textbook(double[] baseline, double[] canary)
    {
        var pooled = baseline.Select(v => (v, Canary: false)).Concat(canary.Select(v => (v, Canary: true))).OrderBy(p => p.v).ToArray();
        var ranks = new double[pooled.Length];
        double tieSum = 0;
        for (var i = 0; i < pooled.Length;)
        {
            var j = i;
            while (j < pooled.Length && pooled[j].v == pooled[i].v)
            {
                j++;
            }

            for (var k = i; k < j; k++)
            {
                ranks[k] = (i + 1 + j) / 2.0;
            }

            tieSum += Math.Pow(j - i, 3) - (j - i);
            i = j;
        }

        double n1 = baseline.Length, n2 = canary.Length, n = n1 + n2;
        var u = Enumerable.Range(0, pooled.Length).Where(i => pooled[i].Canary).Sum(i => ranks[i]) - (n2 * (n2 + 1) / 2);
        var sigma = Math.Sqrt(n1 * n2 / 12 * (n + 1 - (tieSum / (n * (n - 1)))));
        return (u, 1 - MathNet.Numerics.Distributions.Normal.CDF(0, 1, (u - (n1 * n2 / 2) - 0.5) / sigma));
    }

    /// <summary>The k-th smallest canary − baseline difference by listing all of them.</summary>
    private static double BruteKth(double[] baseline, double[] canary, long k) => canary.SelectMany(y => baseline.Select(x => y - x)).OrderBy(d => d).ElementAt((int)k - 1);

    // R's wilcox.test documentation, from Hollander & Wolfe (1973), p. 69: permeability constants; wilcox.test(x, y,
    // alternative = "greater", conf.int = TRUE) gives W = 35 and a difference in location of 0.305.
    [Fact]
    public void Reproduces_the_hollander_and_wolfe_example()
    {
        var x = Sample(0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46);
        var y = Sample(1.15, 0.88, 0.90, 0.74, 1.21);
        var result = ShiftComparison.Compare(baseline: y, canary: x, confidence: 0.95);
        Assert.Equal(35, result.U);
        Assert.Equal(0.305, result.Shift, 12);
        Assert.Equal(0.1223, result.PValue, 4); // the normal approximation with continuity (R's exact p is 0.1272)
    }

    [Fact]
    public void Agrees_with_the_textbook_computation_on_ties_and_unequal_sizes()
    {
        var random = new Random(20261203);
        for (var round = 0; round < 40; round++)
        {
            // Values on a coarse grid, so ties are many, as with histogram buckets.
            var baseline = Enumerable.Range(0, random.Next(5, 60)).Select(_ => (double)random.Next(0, 12)).ToArray();
            var canary = Enumerable.Range(0, random.Next(5, 90)).Select(_ => (double)random.Next(0, 14) + (round % 3 == 0 ? 0.5 : 0)).ToArray();
            var result = ShiftComparison.Compare(Sample(baseline), Sample(canary), 0.9);
            var (u, p) = Textbook(baseline, canary);
            Assert.Equal(u, result.U, 9);
            Assert.Equal(p, result.PValue, 5);

            var total = (long)baseline.Length * canary.Length;
            foreach (var k in new[] { 1L, total / 3, (total + 1) / 2, total })
            {
                Assert.Equal(BruteKth(baseline, canary, Math.Max(1, k)), ShiftComparison.KthDifference(Sample(baseline), Sample(canary), Math.Max(1, k)), 9);
            }

            var median = (BruteKth(baseline, canary, (total + 1) / 2) + BruteKth(baseline, canary, (total + 2) / 2)) / 2;
            Assert.Equal(median, result.Shift, 9);
        }
    }

    [Fact]
    public void The_interval_covers_a_known_shift_at_its_confidence_and_bounds_it()
    {
        // 200 simulated canaries 3 units slower than their baselines: a 90 % interval should hold 3 in about 180 of them.
        var random = new Random(7);
        var covered = 0;
        for (var round = 0; round < 200; round++)
        {
            var baseline = Enumerable.Range(0, 60).Select(_ => Math.Exp(random.NextDouble() * 3)).ToArray();
            var canary = Enumerable.Range(0, 80).Select(_ => Math.Exp(random.NextDouble() * 3) + 3).ToArray();
            var result = ShiftComparison.Compare(Sample(baseline), Sample(canary), 0.9);
            Assert.True(result.Lower <= result.Shift && result.Shift <= result.Upper, $"{result}");
            covered += result.Lower <= 3 && 3 <= result.Upper ? 1 : 0;
        }

        Assert.InRange(covered, 165, 195);
    }

    [Fact]
    public void Identical_samples_have_no_shift_and_no_evidence()
    {
        var values = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();
        var result = ShiftComparison.Compare(Sample(values), Sample(values), 0.95);
        Assert.Equal(0, result.Shift);
        Assert.True(result.Lower < 0 && result.Upper > 0, $"{result}");
        Assert.InRange(result.PValue, 0.45, 0.55);

        var allTied = ShiftComparison.Compare(Sample(5, 5, 5), Sample(5, 5), 0.95);
        Assert.Equal(1, allTied.PValue);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.975)]
    [InlineData(0.995)]
    [InlineData(0.001)]
    [InlineData(0.9999)]
    [InlineData(0.02)]
    public void The_normal_distribution_agrees_with_mathnet(double p)
    {
        var z = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, p);
        Assert.Equal(z, NormalDistribution.Quantile(p), 7);
        Assert.Equal(MathNet.Numerics.Distributions.Normal.CDF(0, 1, z), NormalDistribution.Cdf(z), 7);
    }

    [Fact]
    public void A_histogram_is_compared_at_its_bucket_midpoints()
    {
        var baseline = new LatencyHistogram();
        var canary = new LatencyHistogram();
        for (var i = 0; i < 500; i++)
        {
            baseline.Record(TimeSpan.FromMilliseconds(10 + (i % 10)));
            canary.Record(TimeSpan.FromMilliseconds(14 + (i % 10)));
        }

        var result = ShiftComparison.Compare(WeightedSample.FromHistogram(baseline), WeightedSample.FromHistogram(canary), 0.95);
        Assert.InRange(result.Shift / 1e6, 3.98, 4.02);
        Assert.True(result.PValue < 1e-6);
        Assert.Equal(500, WeightedSample.FromHistogram(canary).Count);
    }
}
