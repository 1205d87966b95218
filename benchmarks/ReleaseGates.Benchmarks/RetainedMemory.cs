using System.Runtime.CompilerServices;
using HdrHistogram;
using ReleaseGates.Metrics;

namespace ReleaseGates.Benchmarks;

/// <summary>
/// What a filled histogram retains, measured by the GC: the heap's size after a compacting full collection (fragmentation
/// included, so storage that was outgrown but cannot be reclaimed counts), before and after filling one with the first 1M
/// log-normal values, ours and HdrHistogram's <c>LongHistogram(1 ns, 1 h, 3 digits)</c>, each measured five times in
/// alternation. Prints each measurement and the medians.
/// </summary>
public static class RetainedMemory
{
    private const long OneHour = 3_600_000_000_000;

    public static void Run()
    {
        var values = BenchmarkData.Nanoseconds(BenchmarkData.DataSet.LogNormal)[..1_000_000];
        var ours = new List<long>();
        var theirs = new List<long>();
        long reported = 0, estimated = 0;
        for (var round = 0; round < 5; round++)
        {
            var (o, r) = Measure(() =>
            {
                var h = new LatencyHistogram();
                foreach (var v in values)
                {
                    h.Record(v);
                }

                return h;
            }, h => h.BucketMemoryBytes);
            var (t, e) = Measure(() =>
            {
                var h = new LongHistogram(1, OneHour, 3);
                foreach (var v in values)
                {
                    h.RecordValue(v);
                }

                return h;
            }, h => h.GetEstimatedFootprintInBytes());
            ours.Add(o);
            theirs.Add(t);
            (reported, estimated) = (r, e);
            Console.WriteLine($"round {round + 1}: LatencyHistogram {o} B retained (BucketMemoryBytes {r}); HdrHistogram {t} B retained (its estimate {e})");
        }

        var (mo, mt) = (Median(ours), Median(theirs));
        Console.WriteLine($"median: LatencyHistogram {mo} B, HdrHistogram {mt} B, ratio {(double)mo / mt:0.000}; reported {reported} B, HdrHistogram's estimate {estimated} B");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (long Retained, long Reported) Measure<T>(Func<T> fill, Func<T, long> report)
    {
        var before = HeapSize();
        var histogram = fill();
        var after = HeapSize();
        var reported = report(histogram);
        GC.KeepAlive(histogram);
        return (after - before, reported);
    }

    private static long HeapSize()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetGCMemoryInfo(GCKind.FullBlocking).HeapSizeBytes;
    }

    private static long Median(List<long> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
