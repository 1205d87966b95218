using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using HdrHistogram;
using HdrHistogram.Encoding;
using HdrHistogram.Utilities;
using ReleaseGates.Metrics;

namespace ReleaseGates.Benchmarks;

/// <summary>
/// The core against the histogram a .NET user would otherwise pick, HdrHistogram 2.5.0 (<c>LongHistogram</c>, 1 ns to
/// 1 h, 3 significant digits), in one run: HdrHistogram is the baseline of every category, so the ratio column is
/// ours ÷ HdrHistogram's. Record streams all 10M log-normal values per invocation (into histograms that already hold
/// them, so no storage is allocated while timing); queries, merge and the wire form run on histograms holding all 10M;
/// the fleet category decodes and merges 100 instances of 100k values each.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class HdrHistogramPeerBenchmarks
{
    private const long OneHour = 3_600_000_000_000;
    private static readonly double[] Standard = [50, 90, 95, 99, 99.9];
    private readonly long[] _out = new long[Standard.Length];
    private long[] _values = [];
    private LatencyHistogram _ours = null!, _oursOther = null!, _oursTarget = null!;
    private LongHistogram _hdr = null!, _hdrOther = null!, _hdrTarget = null!;
    private byte[] _oursBytes = [];
    private ByteBuffer _hdrBuffer = null!;
    private ByteBuffer _hdrPlain = null!;
    private byte[][] _oursInstances = [];
    private ByteBuffer[] _hdrInstances = [];
    private LatencyHistogram _oursFleet = null!;
    private LongHistogram _hdrFleet = null!;

    [GlobalSetup]
    public void Setup()
    {
        var all = BenchmarkData.Nanoseconds(BenchmarkData.DataSet.LogNormal);
        _values = all;
        _ours = new LatencyHistogram();
        _oursOther = new LatencyHistogram();
        _hdr = new LongHistogram(1, OneHour, 3);
        _hdrOther = new LongHistogram(1, OneHour, 3);
        for (var i = 0; i < all.Length; i++)
        {
            _ours.Record(all[i]);
            _hdr.RecordValue(all[i]);
            if (i % 2 == 0)
            {
                _oursOther.Record(all[i]);
                _hdrOther.RecordValue(all[i]);
            }
        }

        _oursTarget = _ours.Copy();
        _hdrTarget = new LongHistogram(1, OneHour, 3);
        _oursBytes = _ours.ToByteArray();
        _hdrBuffer = ByteBuffer.Allocate(_hdr.GetNeededByteBufferCapacity());
        var compressed = _hdr.EncodeIntoCompressedByteBuffer(_hdrBuffer);
        _hdrPlain = ByteBuffer.Allocate(_hdr.GetNeededByteBufferCapacity());
        var plain = _hdr.Encode(_hdrPlain, HistogramEncoderV2.Instance);
        Console.WriteLine($"// serialized: ReleaseGates {_oursBytes.Length} bytes, HdrHistogram compressed {compressed} bytes, uncompressed V2 {plain} bytes");
        Console.WriteLine($"// retained: HdrHistogram estimated footprint {_hdr.GetEstimatedFootprintInBytes()} bytes");
        SetupFleet(all);
    }

    /// <summary>100 instances of 100k values each (the 10M set cut in 100 slices), each serialized as it would ship.</summary>
    private void SetupFleet(long[] all)
    {
        const int Instances = 100;
        var slice = all.Length / Instances;
        _oursInstances = new byte[Instances][];
        _hdrInstances = new ByteBuffer[Instances];
        long oursBytes = 0, hdrBytes = 0;
        for (var i = 0; i < Instances; i++)
        {
            var ours = new LatencyHistogram();
            var hdr = new LongHistogram(1, OneHour, 3);
            foreach (var v in all.AsSpan(i * slice, slice))
            {
                ours.Record(v);
                hdr.RecordValue(v);
            }

            _oursInstances[i] = ours.ToByteArray();
            _hdrInstances[i] = ByteBuffer.Allocate(hdr.GetNeededByteBufferCapacity());
            hdrBytes += hdr.EncodeIntoCompressedByteBuffer(_hdrInstances[i]);
            oursBytes += _oursInstances[i].Length;
        }

        _oursFleet = new LatencyHistogram();
        _hdrFleet = new LongHistogram(1, OneHour, 3);
        Console.WriteLine($"// fleet of {Instances}: ReleaseGates {oursBytes / Instances} bytes per instance, HdrHistogram compressed {hdrBytes / Instances} bytes");
    }

    [Benchmark(OperationsPerInvoke = BenchmarkData.Size, Description = "record: LatencyHistogram.Record")]
    [BenchmarkCategory("record")]
    public void OursRecord()
    {
        var h = _ours;
        foreach (var v in _values)
        {
            h.Record(v);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BenchmarkData.Size, Description = "record: HdrHistogram RecordValue")]
    [BenchmarkCategory("record")]
    public void HdrRecord()
    {
        var h = _hdr;
        foreach (var v in _values)
        {
            h.RecordValue(v);
        }
    }

    [Benchmark(Description = "p99: LatencyHistogram")]
    [BenchmarkCategory("p99")]
    public long OursP99() => _ours.ValueAtPercentile(99);

    [Benchmark(Baseline = true, Description = "p99: HdrHistogram")]
    [BenchmarkCategory("p99")]
    public long HdrP99() => _hdr.GetValueAtPercentile(99);

    [Benchmark(Description = "five percentiles: LatencyHistogram (one pass)")]
    [BenchmarkCategory("five percentiles")]
    public long OursFive()
    {
        _ours.ValuesAtPercentiles(Standard, _out);
        return _out[3];
    }

    [Benchmark(Baseline = true, Description = "five percentiles: HdrHistogram")]
    [BenchmarkCategory("five percentiles")]
    public long HdrFive()
    {
        long sum = 0;
        foreach (var p in Standard)
        {
            sum += _hdr.GetValueAtPercentile(p);
        }

        return sum;
    }

    [Benchmark(Description = "merge: LatencyHistogram reset + add")]
    [BenchmarkCategory("merge")]
    public long OursMerge()
    {
        _oursTarget.Reset();
        _oursTarget.Add(_oursOther);
        return _oursTarget.Count;
    }

    [Benchmark(Baseline = true, Description = "merge: HdrHistogram reset + add")]
    [BenchmarkCategory("merge")]
    public long HdrMerge()
    {
        _hdrTarget.Reset();
        _hdrTarget.Add(_hdrOther);
        return _hdrTarget.TotalCount;
    }

    [Benchmark(Description = "write: LatencyHistogram.ToByteArray")]
    [BenchmarkCategory("write")]
    public int OursWrite() => _ours.ToByteArray().Length;

    [Benchmark(Baseline = true, Description = "write: HdrHistogram compressed")]
    [BenchmarkCategory("write")]
    public int HdrWrite()
    {
        _hdrBuffer.Position = 0;
        return _hdr.EncodeIntoCompressedByteBuffer(_hdrBuffer);
    }

    [Benchmark(Description = "write: HdrHistogram uncompressed V2")]
    [BenchmarkCategory("write")]
    public int HdrWritePlain()
    {
        _hdrPlain.Position = 0;
        return _hdr.Encode(_hdrPlain, HistogramEncoderV2.Instance);
    }

    [Benchmark(Description = "fleet: LatencyHistogram, decode 100 instances and merge")]
    [BenchmarkCategory("fleet")]
    public long OursFleet()
    {
        _oursFleet.Reset();
        foreach (var bytes in _oursInstances)
        {
            _oursFleet.Add(LatencyHistogram.FromByteArray(bytes));
        }

        return _oursFleet.Count;
    }

    [Benchmark(Description = "fleet: LatencyHistogram.AddSerialized, 100 instances")]
    [BenchmarkCategory("fleet")]
    public long OursFleetAddSerialized()
    {
        _oursFleet.Reset();
        foreach (var bytes in _oursInstances)
        {
            _oursFleet.AddSerialized(bytes);
        }

        return _oursFleet.Count;
    }

    [Benchmark(Baseline = true, Description = "fleet: HdrHistogram, decode 100 compressed instances and merge")]
    [BenchmarkCategory("fleet")]
    public long HdrFleet()
    {
        _hdrFleet.Reset();
        foreach (var buffer in _hdrInstances)
        {
            buffer.Position = 0;
            _hdrFleet.Add(HistogramEncoding.DecodeFromCompressedByteBuffer(buffer, 0));
        }

        return _hdrFleet.TotalCount;
    }

    [Benchmark(Description = "read: LatencyHistogram.FromByteArray")]
    [BenchmarkCategory("read")]
    public long OursRead() => LatencyHistogram.FromByteArray(_oursBytes).Count;

    /// <summary>
    /// HdrHistogram 2.5.0 cannot read its own compressed form of these 10M values on .NET 10 ("The buffer does not contain
    /// the indicated payload amount": its decoder assumes a DeflateStream read fills the buffer), so the read peer is its
    /// uncompressed V2 form.
    /// </summary>
    [Benchmark(Baseline = true, Description = "read: HdrHistogram uncompressed V2")]
    [BenchmarkCategory("read")]
    public long HdrRead()
    {
        _hdrPlain.Position = 0;
        return HistogramEncoding.DecodeFromByteBuffer(_hdrPlain, 0).TotalCount;
    }
}
