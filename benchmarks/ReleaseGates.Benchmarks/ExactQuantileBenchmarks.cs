using BenchmarkDotNet.Attributes;
using Perfolizer.Mathematics.QuantileEstimators;
using ReleaseGates.Metrics;

namespace ReleaseGates.Benchmarks;

/// <summary>The exact p99 of 10M values, each method on its own copy (the input is never reordered).</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 7)]
public class ExactQuantileBenchmarks
{
    private double[] _values = [];

    [GlobalSetup]
    public void Setup() => _values = BenchmarkData.Milliseconds(BenchmarkData.DataSet.LogNormal);

    [Benchmark(Description = "Quantiles.Compute (Floyd-Rivest, type 7)")]
    public double ReleaseGatesQuantiles() => Quantiles.Compute(_values, 0.99);

    [Benchmark(Baseline = true, Description = "MathNet Statistics.Quantile (peer)")]
    public double MathNetQuantile() => global::MathNet.Numerics.Statistics.Statistics.Quantile(_values, 0.99);

    [Benchmark(Description = "Array.Sort + index")]
    public double SortAndIndex()
    {
        var copy = (double[])_values.Clone();
        Array.Sort(copy);
        return copy[(int)Math.Ceiling(0.99 * copy.Length) - 1];
    }

    [Benchmark(Description = "Perfolizer HyndmanFan type 7 (peer)")]
    public double PerfolizerType7() => HyndmanFanQuantileEstimator.Type7.Quantile(new global::Perfolizer.Sample(_values), 0.99);
}
