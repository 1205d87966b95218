namespace ReleaseGates.Benchmarks;

/// <summary>The data sets every benchmark uses, generated from fixed seeds so that runs compare.</summary>
public static class BenchmarkData
{
    public const int Size = 10_000_000;

    private static readonly Lazy<long[]> LogNormalNs = new(() => Generate(Size, 20261122, bimodal: false));
    private static readonly Lazy<long[]> BimodalNs = new(() => Generate(Size, 20261123, bimodal: true));

    public enum DataSet
    {
        LogNormal,
        Bimodal,
    }

    /// <summary>Latencies in nanoseconds.</summary>
    public static long[] Nanoseconds(DataSet set) => set == DataSet.LogNormal ? LogNormalNs.Value : BimodalNs.Value;

    /// <summary>The same latencies in milliseconds, as load-test tools report them.</summary>
    public static double[] Milliseconds(DataSet set) => Nanoseconds(set).Select(v => v / 1e6).ToArray();

    /// <summary>
    /// Log-normal with median 1 ms and σ = 1; or bimodal: 95 % log-normal around 1 ms (σ = 0.25) and 5 % around 200 ms (σ = 0.1),
    /// the shape that trips streaming sketches (a fast path and a slow dependency).
    /// </summary>
    private static long[] Generate(int n, int seed, bool bimodal)
    {
        var rng = new Random(seed);
        var values = new long[n];
        for (var i = 0; i < n; i++)
        {
            var u1 = 1 - rng.NextDouble();
            var u2 = rng.NextDouble();
            var z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            double ns;
            if (!bimodal)
            {
                ns = 1e6 * Math.Exp(z);
            }
            else if (rng.NextDouble() < 0.95)
            {
                ns = 1e6 * Math.Exp(0.25 * z);
            }
            else
            {
                ns = 200e6 * Math.Exp(0.1 * z);
            }

            values[i] = Math.Max(1, (long)ns);
        }

        return values;
    }
}
