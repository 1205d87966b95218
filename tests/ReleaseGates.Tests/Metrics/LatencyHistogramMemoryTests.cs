using System.Runtime.CompilerServices;
using ReleaseGates.Metrics;

namespace ReleaseGates.Tests.Metrics;

/// <summary>
/// What a histogram really holds, measured by the GC: what the heap holds (storage a histogram outgrew but the GC cannot
/// reclaim included) before and after filling one. Alone in its collection, so that no
/// other test allocates while the heap is measured.
/// </summary>
[Collection(Name)]
public class LatencyHistogramMemoryTests
{
    public const string Name = "Heap measurements";

    // The histogram object itself (its padded hot line and fields), which BucketMemoryBytes leaves out, and slack for what
    // the runtime allocates or frees on its own between two measurements.
    private const long Above = 4 * 1024;

    private const long Below = 2 * 1024;

    // GCMemoryInfo.GenerationInfo: gen 0, 1, 2, the large object heap, then the pinned object heap.
    private const int PinnedObjectHeap = 4;

    [Fact]
    public void Reported_bucket_memory_is_what_the_heap_retains_for_a_filled_histogram()
    {
        var values = LogNormal(1_000_000, 20261122);
        var (retained, reported) = MeasureRetained(() =>
        {
            var h = new LatencyHistogram();
            foreach (var v in values)
            {
                h.Record(v);
            }

            return h;
        });

        // 1M values around 1 ms with σ = 1 span about 14 powers of two: 14 × 1024 cells of 2 bytes.
        Assert.InRange(reported, 24 * 1024, 36 * 1024);
        Assert.InRange(retained, reported - Below, reported + Above);
    }

    [Fact]
    public void Reported_bucket_memory_includes_carries_and_matches_the_heap()
    {
        var (retained, reported) = MeasureRetained(() =>
        {
            var h = new LatencyHistogram();
            h.Record(1_000_000, 70_000);
            h.Record(5_000_000, 1);
            return h;
        });

        Assert.InRange(retained, reported - Below, reported + Above);
    }

    /// <summary>
    /// The heap's growth while <paramref name="fill"/>'s histogram stays alive, the median of five tries (the runner's own
    /// threads may allocate or free something between two measurements, in either direction), and what the histogram reports.
    /// </summary>
    private static (long Retained, long Reported) MeasureRetained(Func<LatencyHistogram> fill)
    {
        var tries = Enumerable.Range(0, 5).Select(_ => MeasureOnce(fill)).OrderBy(t => t.Retained).ToList();
        return tries[tries.Count / 2];
    }

    /// <summary>One measurement in a frame of its own, so that no local of an earlier try keeps its histogram alive (debug builds keep locals to the end).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (long Retained, long Reported) MeasureOnce(Func<LatencyHistogram> fill)
    {
        var before = HeapSize();
        var histogram = fill();
        var after = HeapSize();
        var reported = histogram.BucketMemoryBytes;
        GC.KeepAlive(histogram);
        return (after - before, reported);
    }

    /// <summary>
    /// What the heap holds after a compacting full collection: the live bytes of the small and large object heaps, whose
    /// free gaps any later allocation reuses (and a gap left in front of an object another test's socket still pins can
    /// swallow a new array whole and hide it), plus the whole pinned object heap, free space included, since only pinned
    /// allocations ever reuse it: a window a histogram outgrew there stays.
    /// </summary>
    private static long HeapSize()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        var generations = info.GenerationInfo;
        var bytes = 0L;
        for (var g = 0; g < generations.Length; g++)
        {
            bytes += g == PinnedObjectHeap
                ? generations[g].SizeAfterBytes
                : generations[g].SizeAfterBytes - generations[g].FragmentationAfterBytes;
        }

        return bytes;
    }

    private static long[] LogNormal(int n, int seed)
    {
        var rng = new Random(seed);
        var values = new long[n];
        for (var i = 0; i < n; i++)
        {
            var z = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            values[i] = Math.Max(1, (long)(1e6 * Math.Exp(z)));
        }

        return values;
    }
}

/// <summary>Tests that measure the heap run alone, after the parallel ones.</summary>
[CollectionDefinition(LatencyHistogramMemoryTests.Name, DisableParallelization = true)]
public sealed class HeapMeasurementTests
{
}
