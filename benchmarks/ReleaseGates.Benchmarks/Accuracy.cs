using HdrHistogram;
using Perfolizer.Mathematics.QuantileEstimators;
using ReleaseGates.Metrics;

namespace ReleaseGates.Benchmarks;

/// <summary>Relative error of each structure at p50/p90/p99/p99.9 against the exact value, on both data sets, as a Markdown table.</summary>
public static class Accuracy
{
    private static readonly double[] Percentiles = [50, 90, 95, 99, 99.9];

    public static void Print()
    {
        Console.WriteLine("| data | structure | p50 | p90 | p95 | p99 | p99.9 | memory |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var set in Enum.GetValues<BenchmarkData.DataSet>())
        {
            var values = BenchmarkData.Nanoseconds(set);
            var sorted = values.Select(v => (double)v).ToArray();
            Array.Sort(sorted);
            var exactRank = Percentiles.Select(p => sorted[LatencyHistogram.NearestRank(p, sorted.Length) - 1]).ToArray();
            var exactType7 = Percentiles.Select(p => Type7(sorted, p / 100)).ToArray();

            var histogram = new LatencyHistogram();
            var hdr = new LongHistogram(1, 3_600_000_000_000, 3);
            var p2 = Percentiles.Select(p => new P2QuantileEstimator(p / 100)).ToArray();
            foreach (var v in values)
            {
                histogram.Record(v);
                hdr.RecordValue(v);
                foreach (var e in p2)
                {
                    e.Add(v);
                }
            }

            var fromHistogram = new long[Percentiles.Length];
            histogram.ValuesAtPercentiles(Percentiles, fromHistogram);
            Row(set, "LatencyHistogram (3 digits) vs exact nearest rank", fromHistogram.Select(v => (double)v).ToArray(), exactRank, $"{histogram.BucketMemoryBytes / 1024.0:0.#} KB");
            Row(set, "HdrHistogram 2.5.0 LongHistogram (3 digits) vs exact nearest rank", Percentiles.Select(p => (double)hdr.GetValueAtPercentile(p)).ToArray(), exactRank, $"{hdr.GetEstimatedFootprintInBytes() / 1024.0:0.#} KB");
            Row(set, "LatencyHistogram (3 digits) vs exact type 7", fromHistogram.Select(v => (double)v).ToArray(), exactType7, "");
            Row(set, "Perfolizer P² (one estimator per percentile)", p2.Select(e => e.Quantile()).ToArray(), exactType7, "~0.1 KB each");
            var quantiles = new double[Percentiles.Length];
            Quantiles.Compute(values.Select(v => (double)v).ToArray(), Percentiles.Select(p => p / 100).ToArray(), quantiles);
            Row(set, "Quantiles.Compute type 7 (exact)", quantiles, exactType7, "copy of input");
        }
    }

    private static double Type7(double[] sorted, double p)
    {
        var h = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        return lo + 1 < sorted.Length ? sorted[lo] + ((h - lo) * (sorted[lo + 1] - sorted[lo])) : sorted[lo];
    }

    private static void Row(BenchmarkData.DataSet set, string name, double[] estimates, double[] exact, string memory)
    {
        var cells = estimates.Select((e, i) => $"{(e - exact[i]) / exact[i] * 100:+0.000;-0.000;0.000} %");
        Console.WriteLine($"| {set} | {name} | {string.Join(" | ", cells)} | {memory} |");
    }
}
