using System.Runtime.CompilerServices;

namespace ReleaseGates.Benchmarks;

/// <summary>A seconds-long sanity check of recording speed for development; the numbers that count come from BenchmarkDotNet.</summary>
public static class Quick
{
    public static void Run()
    {
        var values = BenchmarkData.Nanoseconds(BenchmarkData.DataSet.LogNormal)[..1_000_000];
        var h = new ReleaseGates.Metrics.LatencyHistogram();
        var dense = new long[36 * 1024];
        for (var round = 0; round < 60; round++)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            RecordAll(h, values);
            var a = sw.Elapsed.TotalNanoseconds / values.Length;
            sw.Restart();
            FloorAll(dense, values);
            var b = sw.Elapsed.TotalNanoseconds / values.Length;
            if (round % 10 == 9)
            {
                Console.WriteLine($"record {a:0.00} ns  floor {b:0.00} ns");
            }
        }
    }

    public static void RunFleet(int count = 100, int values = 100_000)
    {
        var all = BenchmarkData.Nanoseconds(BenchmarkData.DataSet.LogNormal);
        var instances = new byte[count][];
        var decoded = new ReleaseGates.Metrics.LatencyHistogram[count];
        for (var i = 0; i < count; i++)
        {
            var h = new ReleaseGates.Metrics.LatencyHistogram();
            foreach (var v in all.AsSpan(i * values, values))
            {
                h.Record(v);
            }

            instances[i] = h.ToByteArray();
        }

        var fleet = new ReleaseGates.Metrics.LatencyHistogram();
        for (var r = 0; r < 5; r++)
        {
            var same = System.Diagnostics.Stopwatch.StartNew();
            for (var k = 0; k < 100_000; k++)
            {
                fleet.AddSerialized(instances[0]);
            }

            Console.WriteLine($"same histogram: {same.Elapsed.TotalNanoseconds / 100_000:0} ns per AddSerialized");
            fleet.Reset();
        }

        var one = ReleaseGates.Metrics.LatencyHistogram.FromByteArray(instances[0]);
        var buckets = one.Buckets().ToList();
        Console.WriteLine($"non-empty buckets {buckets.Count}, count ≤ 15: {buckets.Count(b => b.Count <= 15)}");
        double bestDecode = double.MaxValue, bestDirect = double.MaxValue;
        for (var round = 0; round < 400; round++)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                decoded[i] = ReleaseGates.Metrics.LatencyHistogram.FromByteArray(instances[i]);
            }

            var decode = sw.Elapsed.TotalMicroseconds;
            sw.Restart();
            fleet.Reset();
            foreach (var d in decoded)
            {
                fleet.Add(d);
            }

            var merge = sw.Elapsed.TotalMicroseconds;
            sw.Restart();
            fleet.Reset();
            foreach (var bytes in instances)
            {
                fleet.AddSerialized(bytes);
            }

            var direct = sw.Elapsed.TotalMicroseconds;
            bestDecode = round < 100 ? bestDecode : Math.Min(bestDecode, decode);
            bestDirect = round < 100 ? bestDirect : Math.Min(bestDirect, direct);
            if (round == 399)
            {
                Console.WriteLine($"best: decode {bestDecode:0} us  merge {merge:0} us  AddSerialized {bestDirect:0} us  bytes {instances[0].Length}  cells {decoded[0].BucketMemoryBytes / 2}");
            }
        }
    }

    public static void RunConcurrent()
    {
        var values = BenchmarkData.Nanoseconds(BenchmarkData.DataSet.LogNormal)[..1_000_000];
        var r = new ReleaseGates.Metrics.ConcurrentLatencyRecorder();
        for (var round = 0; round < 60; round++)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            RecordAllConcurrent(r, values);
            if (round % 10 == 9)
            {
                Console.WriteLine($"recorder {sw.Elapsed.TotalNanoseconds / values.Length:0.00} ns");
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RecordAllConcurrent(ReleaseGates.Metrics.ConcurrentLatencyRecorder r, long[] values)
    {
        foreach (var v in values)
        {
            r.Record(v);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RecordAll(ReleaseGates.Metrics.LatencyHistogram h, long[] values)
    {
        foreach (var v in values)
        {
            h.Record(v);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FloorAll(long[] dense, long[] values)
    {
        foreach (var v in values)
        {
            var bucket = 53 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(v | 2047));
            dense[((bucket + 1) << 10) + (int)(v >> bucket) - 1024]++;
        }
    }
}

/// <summary>A seconds-long look at where a captured measurement's time goes, for development.</summary>
public static class QuickCapture
{
    public static void Run(string what)
    {
        if (what == "tick")
        {
            for (var r = 0; r < 5; r++)
            {
                var sw0 = System.Diagnostics.Stopwatch.StartNew();
                long acc = 0;
                for (var i = 0; i < 10_000_000; i++) { acc += Environment.TickCount64; }
                Console.WriteLine($"tick {sw0.Elapsed.TotalNanoseconds / 1e7:0.0} ns {acc & 1}");
                sw0.Restart();
                for (var i = 0; i < 10_000_000; i++) { acc += System.Diagnostics.Stopwatch.GetTimestamp(); }
                Console.WriteLine($"stopwatch {sw0.Elapsed.TotalNanoseconds / 1e7:0.0} ns {acc & 1}");
                sw0.Restart();
                for (var i = 0; i < 10_000_000; i++) { acc += DateTime.UtcNow.Ticks; }
                Console.WriteLine($"utcnow {sw0.Elapsed.TotalNanoseconds / 1e7:0.0} ns {acc & 1}");
            }
            return;
        }

        var bench = new MeasurementCaptureBenchmarks();
        Action record;
        switch (what)
        {
            case "otel":
                bench.SetupOpenTelemetryExplicit();
                record = bench.OpenTelemetryExplicitBuckets;
                break;
            case "empty":
                bench.SetupEmptyListener();
                record = bench.ReleaseGatesCollector;
                break;
            default:
                bench.SetupCollector();
                record = bench.ReleaseGatesCollector;
                break;
        }

        var best = double.MaxValue;
        for (var round = 0; round < 30; round++)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            record();
            best = Math.Min(best, sw.Elapsed.TotalNanoseconds / 1_000_000);
        }

        Console.WriteLine($"{what}: best {best:0.0} ns per measurement");
        bench.Cleanup();
    }
}
