using BenchmarkDotNet.Attributes;
using HdrHistogram;
using ReleaseGates.Metrics;

namespace ReleaseGates.Benchmarks;

/// <summary>
/// Two threads each record 1M log-normal values at once (the first and second million of the 10M set); the time is per
/// value per thread. The baseline is one thread recording into a plain <see cref="LatencyHistogram"/>; the peers are
/// HdrHistogram 2.5.0 (one shared <c>LongConcurrentHistogram</c>, or a <c>Recorder</c> per thread) and a shared dense
/// array with interlocked increments.
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
    private LatencyRecorderWriter _writerFirst = null!;
    private LatencyRecorderWriter _writerSecond = null!;
    private LatencyHistogram _privateFirst = null!;
    private LatencyHistogram _privateSecond = null!;
    private LongConcurrentHistogram _hdrShared = null!;
    private Recorder _hdrRecorderFirst = null!;
    private Recorder _hdrRecorderSecond = null!;

    [GlobalSetup]
    public void Setup()
    {
        var data = BenchmarkData.Nanoseconds(BenchmarkData.DataSet.LogNormal);
        _first = data[..N];
        _second = data[N..(2 * N)];
        _recorder = new ConcurrentLatencyRecorder();
        _single = new LatencyHistogram();
        _shared = new long[36 * 1024];
        _writerFirst = _recorder.CreateWriter();
        _writerSecond = _recorder.CreateWriter();
        _privateFirst = new LatencyHistogram();
        _privateSecond = new LatencyHistogram();
        const long OneHour = 3_600_000_000_000;
        _hdrShared = new LongConcurrentHistogram(1, OneHour, 3);
        _hdrRecorderFirst = new Recorder(1, OneHour, 3, (id, low, high, digits) => new LongHistogram(id, low, high, digits));
        _hdrRecorderSecond = new Recorder(1, OneHour, 3, (id, low, high, digits) => new LongHistogram(id, low, high, digits));
        TwoThreads(values => { foreach (var v in values) { (values == _first ? _privateFirst : _privateSecond).Record(v); } });
        TwoThreads(values => { foreach (var v in values) { _recorder.Record(v); } });
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = N, Description = "1 thread, LatencyHistogram")]
    public void OneThread()
    {
        foreach (var v in _first)
        {
            _single.Record(v);
        }
    }

    /// <summary>The best two threads can do on this machine: each its own plain histogram, nothing shared, nothing merged.</summary>
    [Benchmark(OperationsPerInvoke = N, Description = "2 threads, a private LatencyHistogram each (reference)")]
    public void TwoThreadsPrivate() => TwoThreads(values =>
    {
        var own = values == _first ? _privateFirst : _privateSecond;
        foreach (var v in values)
        {
            own.Record(v);
        }
    });

    [Benchmark(OperationsPerInvoke = N, Description = "2 threads, ConcurrentLatencyRecorder.Record")]
    public void TwoThreadsRecorder() => TwoThreads(values =>
    {
        var recorder = _recorder;
        foreach (var v in values)
        {
            recorder.Record(v);
        }
    });

    [Benchmark(OperationsPerInvoke = N, Description = "2 threads, a ConcurrentLatencyRecorder writer each")]
    public void TwoThreadsWriters() => TwoThreads(values =>
    {
        var writer = values == _first ? _writerFirst : _writerSecond;
        foreach (var v in values)
        {
            writer.Record(v);
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

    [Benchmark(OperationsPerInvoke = N, Description = "2 threads, one shared HdrHistogram LongConcurrentHistogram (peer)")]
    public void TwoThreadsHdrShared() => TwoThreads(values =>
    {
        var shared = _hdrShared;
        foreach (var v in values)
        {
            shared.RecordValue(v);
        }
    });

    [Benchmark(OperationsPerInvoke = N, Description = "2 threads, an HdrHistogram Recorder each (peer)")]
    public void TwoThreadsHdrRecorders() => TwoThreads(values =>
    {
        var recorder = values == _first ? _hdrRecorderFirst : _hdrRecorderSecond;
        foreach (var v in values)
        {
            recorder.RecordValue(v);
        }
    });

    private Worker _worker = null!;

    [GlobalCleanup]
    public void Cleanup() => _worker.Dispose();

    /// <summary>
    /// Runs the work on two threads at once, one data slice each: the benchmark's own thread and one long-lived worker
    /// (as thread-pool threads are long-lived). No third thread spins while they run on this 2-core machine.
    /// </summary>
    private void TwoThreads(Action<long[]> work)
    {
        _worker ??= new Worker();
        _worker.Start(work, _second);
        work(_first);
        _worker.Wait();
    }

    private sealed class Worker : IDisposable
    {
        private readonly SemaphoreSlim _go = new(0);
        private readonly ManualResetEventSlim _done = new(false);
        private readonly Thread _thread;
        private Action<long[]>? _work;
        private long[] _slice = [];

        public Worker()
        {
            _thread = new Thread(Loop) { IsBackground = true };
            _thread.Start();
        }

        public void Start(Action<long[]> work, long[] slice)
        {
            _work = work;
            _slice = slice;
            _done.Reset();
            _go.Release();
        }

        public void Wait() => _done.Wait();

        public void Dispose()
        {
            _work = null;
            _go.Release();
            _thread.Join();
        }

        private void Loop()
        {
            while (true)
            {
                _go.Wait();
                if (_work is not { } work)
                {
                    return;
                }

                work(_slice);
                _done.Set();
            }
        }
    }
}
