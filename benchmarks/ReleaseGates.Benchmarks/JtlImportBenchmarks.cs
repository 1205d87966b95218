using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;

namespace ReleaseGates.Benchmarks;

/// <summary>
/// Importing a generated JMeter JTL CSV (default JMeter 5 columns, quoted labels with commas) into the latency and
/// error-rate model, against the floor of reading its lines and splitting them on commas (which gets quoting wrong).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 7)]
public class JtlImportBenchmarks
{
    private string _path = "";

    [Params(10, 100)]
    public int Megabytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"releasegates-bench-{Megabytes}mb.jtl");
        if (!File.Exists(_path))
        {
            Generate(_path, Megabytes * 1024L * 1024);
        }

        Console.WriteLine($"// {_path}: {new FileInfo(_path).Length / 1e6:0.0} MB");
    }

    [Benchmark(Description = "ReleaseGates JTL reader (RFC 4180, histogram, windows)")]
    public long ReleaseGatesReader() => JMeterJtlReader.Read(_path, ',', null).Total;

    [Benchmark(Baseline = true, Description = "floor: ReadLine + Split(',') + parse elapsed")]
    public long ReadLinesAndSplit()
    {
        long sum = 0;
        using var reader = new StreamReader(_path);
        reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            var fields = line.Split(',');
            sum += long.Parse(fields[1], CultureInfo.InvariantCulture);
        }

        return sum;
    }

    private static void Generate(string path, long bytes)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write("timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect\n");
        var random = new Random(7);
        var ts = 1_700_000_000_000L;
        for (var i = 0; writer.BaseStream.Position < bytes; i++)
        {
            ts += random.Next(0, 5);
            var elapsed = (int)(Math.Exp(random.NextDouble() * 5) * 3);
            var ok = random.Next(100) != 0;
            writer.Write(ts);
            writer.Write(',');
            writer.Write(elapsed);
            writer.Write(i % 3 == 0 ? ",\"GET /api/orders, page 1\"," : ",GET /api/products,");
            writer.Write(ok ? "200,OK,Thread Group 1-" : "500,Internal Server Error,Thread Group 1-");
            writer.Write(i % 50);
            writer.Write(ok ? ",text,true,,1024,180,50,50,http://127.0.0.1:8080/api/orders,"
                            : ",text,false,\"Assertion failed: expected 200, got 500\",512,180,50,50,http://127.0.0.1:8080/api/orders,");
            writer.Write(elapsed / 2);
            writer.Write(",0,3\n");
        }
    }
}
