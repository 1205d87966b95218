using BenchmarkDotNet.Attributes;
using ReleaseGates.Metrics;

namespace ReleaseGates.Benchmarks;

/// <summary>
/// Two threads each record 1M values at once; the time is per value per thread. The baseline is one thread recording into a
/// plain <see cref="LatencyHistogram"/>; the peer is a shared dense array with interlocked increments (the approach of
/// HdrHistogram's concurrent histogram).
/// </summary>
[MemoryDiagnoser]
public class ConcurrentRecordBenchmarks
{
    private const int N = 1_000_000;
    private long[] _first = [];
    private long[] _second = [];
    private ConcurrentLatencyRecorder _recorder = null!;
    private LatencyHistogram _single = null!;
    private long[] _shared = [];

    [GlobalSetup]
    public void Setup()
    {
        var data = BenchmarkData.Nanoseconds(BenchmarkData.DataSet.LogNormal);
        _first = data[..N];
        _second = data[N..(2 * N)];
        _recorder = new ConcurrentLatencyRecorder();
        _single = new LatencyHistogram();
        _shared = new long[36 * 1024];
        TwoThreads(values => { foreach (var v in values) _recorder.Record(v); });
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = N, Description = "1 thread, LatencyHistogram")]
    public void OneThread()
    {
        foreach (var v in _first)
        {
            _single.Record(v);
        }
    }

    [Benchmark(OperationsPerInvoke = N, Description = "2 threads, ConcurrentLatencyRecorder")]
    public void TwoThreadsRecorder() => TwoThreads(values =>
    {
        var recorder = _recorder;
        foreach (var v in values)
        {
            recorder.Record(v);
        }
    });

    [Benchmark(OperationsPerInvoke = N, Description = "2 threads, shared array + Interlocked (peer)")]
    public void TwoThreadsInterlocked() => TwoThreads(values =>
    {
        var shared = _shared;
        foreach (var v in values)
        {
            var bucket = 53 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(v | 2047));
            Interlocked.Increment(ref shared[((bucket + 1) << 10) + (int)(v >> bucket) - 1024]);
        }
    });

    private TwoWorkers _workers = null!;

    [GlobalCleanup]
    public void Cleanup() => _workers.Dispose();

    /// <summary>Runs the work on two long-lived threads (as thread-pool threads are), one data slice each, and waits for both.</summary>
    private void TwoThreads(Action<long[]> work) => (_workers ??= new TwoWorkers()).Run(work, _first, _second);

    private sealed class TwoWorkers : IDisposable
    {
        private readonly Barrier _start = new(3);
        private readonly Barrier _done = new(3);
        private readonly Thread[] _threads;
        private Action<long[]>? _work;
        private long[][] _slices = [];
        private volatile bool _stop;

        public TwoWorkers()
        {
            _threads = [new Thread(() => Loop(0)) { IsBackground = true }, new Thread(() => Loop(1)) { IsBackground = true }];
            foreach (var t in _threads)
            {
                t.Start();
            }
        }

        public void Run(Action<long[]> work, long[] first, long[] second)
        {
            _work = work;
            _slices = [first, second];
            _start.SignalAndWait();
            _done.SignalAndWait();
        }

        public void Dispose()
        {
            _stop = true;
            _start.SignalAndWait();
        }

        private void Loop(int index)
        {
            while (true)
            {
                _start.SignalAndWait();
                if (_stop)
                {
                    return;
                }

                _work!(_slices[index]);
                _done.SignalAndWait();
            }
        }
    }
}
