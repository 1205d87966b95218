using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using HdrHistogram;
using ReleaseGates.Metrics;

namespace ReleaseGates.Benchmarks;

/// <summary>
/// Where the nanoseconds of a record go: the floor (index + increment of a dense array), then one piece of
/// <see cref="LatencyHistogram.Record(long)"/>'s work added at a time, beside the real method and HdrHistogram's
/// <c>RecordValue</c>, all streaming the same 10M log-normal values per invocation. The floor is the baseline.
/// </summary>
[MemoryDiagnoser]
public class RecordCostBenchmarks
{
    private const long OneHour = 3_600_000_000_000;
    private long[] _values = [];
    private long[] _wholeMilliseconds = [];
    private long[] _roundedUp = [];
    private long[] _ascending = [];
    private long[] _denseLong = [];
    private ushort[] _denseShort = [];
    private Steps _steps = null!;
    private LatencyHistogram _ours = null!;
    private LongHistogram _hdr = null!;

    [GlobalSetup]
    public void Setup()
    {
        _values = BenchmarkData.Nanoseconds(BenchmarkData.DataSet.LogNormal);
        _wholeMilliseconds = _values.Select(v => v / 1_000_000 * 1_000_000).ToArray();
        _roundedUp = _values.Select(v => (v + 999_999) / 1_000_000 * 1_000_000).ToArray();
        _ascending = _values.Order().ToArray();
        _denseLong = new long[44 * 1024];
        _denseShort = new ushort[44 * 1024];
        _steps = new Steps(44 * 1024);
        _ours = new LatencyHistogram();
        _hdr = new LongHistogram(1, OneHour, 3);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BenchmarkData.Size, Description = "floor: index + increment, dense 64-bit cells")]
    public void FloorLong()
    {
        var dense = _denseLong;
        foreach (var v in _values)
        {
            dense[Steps.Index(v)]++;
        }
    }

    [Benchmark(OperationsPerInvoke = BenchmarkData.Size, Description = "floor: index + increment, dense 16-bit cells")]
    public void FloorShort()
    {
        var dense = _denseShort;
        foreach (var v in _values)
        {
            dense[Steps.Index(v)]++;
        }
    }

    [Benchmark(OperationsPerInvoke = BenchmarkData.Size, Description = "+ range check, window and 16-bit spill")]
    public void Window()
    {
        var s = _steps;
        foreach (var v in _values)
        {
            s.Window(v);
        }
    }

    [Benchmark(OperationsPerInvoke = BenchmarkData.Size, Description = "+ count")]
    public void WindowCount()
    {
        var s = _steps;
        foreach (var v in _values)
        {
            s.WindowCount(v);
        }
    }

    [Benchmark(OperationsPerInvoke = BenchmarkData.Size, Description = "+ count, sum")]
    public void WindowCountSum()
    {
        var s = _steps;
        foreach (var v in _values)
        {
            s.WindowCountSum(v);
        }
    }

    [Benchmark(OperationsPerInvoke = BenchmarkData.Size, Description = "+ count, sum, min, max")]
    public void WindowAll()
    {
        var s = _steps;
        foreach (var v in _values)
        {
            s.WindowAll(v);
        }
    }

    [Benchmark(OperationsPerInvoke = BenchmarkData.Size, Description = "+ count, sum, min and max as one range test")]
    public void WindowAllRange()
    {
        var s = _steps;
        foreach (var v in _values)
        {
            s.WindowAllRange(v);
        }
    }

    [Benchmark(OperationsPerInvoke = BenchmarkData.Size, Description = "sum, min, max, no count")]
    public void WindowNoCount()
    {
        var s = _steps;
        foreach (var v in _values)
        {
            s.WindowNoCount(v);
        }
    }

    [Benchmark(OperationsPerInvoke = BenchmarkData.Size, Description = "LatencyHistogram.Record")]
    public void Ours()
    {
        var h = _ours;
        foreach (var v in _values)
        {
            h.Record(v);
        }
    }

    [Benchmark(OperationsPerInvoke = BenchmarkData.Size, Description = "HdrHistogram RecordValue")]
    public void Hdr()
    {
        var h = _hdr;
        foreach (var v in _values)
        {
            h.RecordValue(v);
        }
    }

    /// <summary>
    /// The same values truncated to whole milliseconds, as JMeter's elapsed time is: about half are 0 ms, the min, in a
    /// bucket of width 1 that the fast range covers.
    /// </summary>
    [Benchmark(OperationsPerInvoke = BenchmarkData.Size, Description = "LatencyHistogram.Record, whole ms (JMeter)")]
    public void OursWholeMilliseconds() => RecordAll(_ours, _wholeMilliseconds);

    [Benchmark(OperationsPerInvoke = BenchmarkData.Size, Description = "HdrHistogram RecordValue, whole ms (JMeter)")]
    public void HdrWholeMilliseconds() => RecordAll(_hdr, _wholeMilliseconds);

    /// <summary>
    /// The worst case for the fast range: the values rounded up to whole milliseconds, so that half of them equal the min
    /// (1 ms, not the lowest value of its bucket) and take the slow path in a random order.
    /// </summary>
    [Benchmark(OperationsPerInvoke = BenchmarkData.Size, Description = "LatencyHistogram.Record, half the values at the min")]
    public void OursHalfAtTheMin() => RecordAll(_ours, _roundedUp);

    [Benchmark(OperationsPerInvoke = BenchmarkData.Size, Description = "HdrHistogram RecordValue, half the values at the min")]
    public void HdrHalfAtTheMin() => RecordAll(_hdr, _roundedUp);

    /// <summary>
    /// The worst case for the fast range's other end: the values in ascending order, so that every value above the one
    /// before is a new max and takes the slow path (a fresh histogram each invocation).
    /// </summary>
    [Benchmark(OperationsPerInvoke = BenchmarkData.Size, Description = "LatencyHistogram.Record, ascending")]
    public void OursAscending() => RecordAll(new LatencyHistogram(), _ascending);

    [Benchmark(OperationsPerInvoke = BenchmarkData.Size, Description = "HdrHistogram RecordValue, ascending")]
    public void HdrAscending() => RecordAll(new LongHistogram(1, OneHour, 3), _ascending);

    private static void RecordAll(LatencyHistogram histogram, long[] values)
    {
        foreach (var v in values)
        {
            histogram.Record(v);
        }
    }

    private static void RecordAll(LongHistogram histogram, long[] values)
    {
        foreach (var v in values)
        {
            histogram.RecordValue(v);
        }
    }

    private sealed class Steps(int cells)
    {
        private readonly ushort[] _cells = new ushort[cells];
        private readonly int _start = cells / 1024; // a window that does not start at index 0
        private readonly long _highest = OneHour;
        private long _count;
        private long _sum;
        private long _min = long.MaxValue;
        private long _max;
        private long _spilled;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static int Index(long v)
        {
            var bucket = 53 - BitOperations.LeadingZeroCount((ulong)(v | 2047));
            return (bucket << 10) + (int)(v >> bucket);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Window(long v)
        {
            if ((ulong)v > (ulong)_highest)
            {
                return;
            }

            var cells = _cells;
            var offset = Index(v) - _start;
            if ((uint)offset >= (uint)cells.Length)
            {
                return;
            }

            if (++Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(cells), offset) == 0)
            {
                Spill();
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void WindowCount(long v)
        {
            Window(v);
            _count++;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void WindowCountSum(long v)
        {
            Window(v);
            _count++;
            var sum = _sum + v;
            _sum = sum;
            if (sum < 0)
            {
                Spill();
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void WindowAll(long v)
        {
            WindowCountSum(v);
            if (v < _min)
            {
                _min = v;
            }

            if (v > _max)
            {
                _max = v;
            }
        }

        /// <summary>Min and max behind one unsigned test: a value within [min, max] changes neither (min ≤ max once anything is recorded).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void WindowAllRange(long v)
        {
            WindowCountSum(v);
            if ((ulong)(v - _min) > (ulong)(_max - _min))
            {
                if (v < _min)
                {
                    _min = v;
                }

                if (v > _max)
                {
                    _max = v;
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void WindowNoCount(long v)
        {
            Window(v);
            var sum = _sum + v;
            _sum = sum;
            if (sum < 0)
            {
                Spill();
            }

            if (v < _min)
            {
                _min = v;
            }

            if (v > _max)
            {
                _max = v;
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private void Spill() => _spilled++;
    }
}
