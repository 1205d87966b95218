using BenchmarkDotNet.Attributes;
using Perfolizer.Mathematics.QuantileEstimators;
using ReleaseGates.Metrics;

namespace ReleaseGates.Benchmarks;

/// <summary>Queries on a histogram holding 10M latencies; merge and the binary form.</summary>
[MemoryDiagnoser]
public class QueryBenchmarks
{
    private static readonly double[] Standard = [50, 90, 95, 99, 99.9];
    private readonly long[] _out = new long[Standard.Length];
    private LatencyHistogram _histogram = null!;
    private LatencyHistogram _other = null!;
    private LatencyHistogram _target = null!;
    private byte[] _bytes = [];
    private P2QuantileEstimator _p2 = null!;

    [Params(BenchmarkData.DataSet.LogNormal, BenchmarkData.DataSet.Bimodal)]
    public BenchmarkData.DataSet Data { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var values = BenchmarkData.Nanoseconds(Data);
        _histogram = new LatencyHistogram();
        _other = new LatencyHistogram();
        _p2 = new P2QuantileEstimator(0.99);
        for (var i = 0; i < values.Length; i++)
        {
            _histogram.Record(values[i]);
            (i % 2 == 0 ? _other : _histogram).Record(values[i]);
            _p2.Add(values[i]);
        }

        _target = _histogram.Copy();
        _bytes = _histogram.ToByteArray();
    }

    [Benchmark(Description = "p99")]
    public long P99() => _histogram.ValueAtPercentile(99);

    [Benchmark(Description = "p50,p90,p95,p99,p99.9 in one pass")]
    public long StandardPercentiles()
    {
        _histogram.ValuesAtPercentiles(Standard, _out);
        return _out[3];
    }

    [Benchmark(Baseline = true, Description = "Perfolizer P2 p99 (peer)")]
    public double P2Quantile() => _p2.Quantile();

    [Benchmark(Description = "count+min+max+mean")]
    public double Summary() => _histogram.Count + _histogram.Min + _histogram.Max + _histogram.Mean;

    [Benchmark(Description = "merge (reset + add)")]
    public long Merge()
    {
        _target.Reset();
        _target.Add(_other);
        return _target.Count;
    }

    [Benchmark(Description = "serialize")]
    public int Serialize() => _histogram.ToByteArray().Length;

    [Benchmark(Description = "deserialize")]
    public long Deserialize() => LatencyHistogram.FromByteArray(_bytes).Count;
}
