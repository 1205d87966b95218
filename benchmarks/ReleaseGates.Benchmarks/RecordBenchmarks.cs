using System.Numerics;
using BenchmarkDotNet.Attributes;
using Perfolizer.Mathematics.QuantileEstimators;
using ReleaseGates.Metrics;

namespace ReleaseGates.Benchmarks;

/// <summary>
/// Single-threaded recording, streaming all 10M log-normal latencies per invocation into a histogram that already holds
/// them (nothing is allocated while timing); the ratio is against Perfolizer's P².
/// </summary>
[MemoryDiagnoser]
public class RecordBenchmarks
{
    private const int N = BenchmarkData.Size;
    private long[] _values = [];
    private double[] _doubles = [];
    private LatencyHistogram _histogram = null!;
    private P2QuantileEstimator _p2 = null!;
    private long[] _dense = [];

    [GlobalSetup]
    public void Setup()
    {
        _values = BenchmarkData.Nanoseconds(BenchmarkData.DataSet.LogNormal);
        _doubles = _values.Select(v => (double)v).ToArray();
        _histogram = new LatencyHistogram();
        _p2 = new P2QuantileEstimator(0.99);
        _dense = new long[44 * 1024];
        foreach (var v in _values)
        {
            _histogram.Record(v);
        }
    }

    [Benchmark(OperationsPerInvoke = N, Description = "LatencyHistogram.Record")]
    public void LatencyHistogramRecord()
    {
        var h = _histogram;
        foreach (var v in _values)
        {
            h.Record(v);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = N, Description = "Perfolizer P2.Add (peer)")]
    public void PerfolizerP2Add()
    {
        var p2 = _p2;
        foreach (var v in _doubles)
        {
            p2.Add(v);
        }
    }

    /// <summary>The floor: the log-linear index and a plain increment on a dense array, nothing else (no count, min, max, sum, range check).</summary>
    [Benchmark(OperationsPerInvoke = N, Description = "floor: index + increment")]
    public void Floor()
    {
        var dense = _dense;
        foreach (var v in _values)
        {
            var bucket = 53 - BitOperations.LeadingZeroCount((ulong)(v | 2047));
            var index = ((bucket + 1) << 10) + (int)(v >> bucket) - 1024;
            dense[index]++;
        }
    }
}
