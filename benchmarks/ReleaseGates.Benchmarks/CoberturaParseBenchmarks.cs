using System.Text;
using System.Xml.Linq;
using BenchmarkDotNet.Attributes;

namespace ReleaseGates.Benchmarks;

/// <summary>
/// Reading a generated 100 MB Cobertura file (coverlet's shape: every line under its method and again under its class)
/// with the coverage gate's streaming reader, against <see cref="XDocument.Load(string)"/> as the baseline.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 7)]
public class CoberturaParseBenchmarks
{
    private string _path = "";

    [Params(10, 100)]
    public int Megabytes { get; set; }

    public long FileBytes { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"releasegates-bench-cobertura-{Megabytes}mb.xml");
        if (!File.Exists(_path))
        {
            Generate(_path, Megabytes * 1024L * 1024);
        }

        FileBytes = new FileInfo(_path).Length;
        Console.WriteLine($"// {_path}: {FileBytes / 1e6:0.0} MB");
    }

    [Benchmark(Description = "ReleaseGates Cobertura reader (streaming, builds the line model)")]
    public int ReleaseGatesReader()
    {
        using var stream = File.OpenRead(_path);
        return CoverageReportReader.Read(stream, _path, CoverageFormat.Cobertura, _ => true).Files.Count();
    }

    [Benchmark(Baseline = true, Description = "XDocument.Load (baseline)")]
    public int XDocumentLoad() => XDocument.Load(_path).Root!.Elements().Count();

    /// <summary>Packages of 50 classes of 10 methods of 12 lines (two of them branches), each file a new path.</summary>
    internal static void Generate(string path, long bytes)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<coverage line-rate=\"0.5\" branch-rate=\"0.5\" version=\"1.9\" timestamp=\"1761768810\">\n  <sources><source>/src/</source></sources>\n  <packages>\n");
        var random = new Random(42);
        var classIndex = 0;
        for (var package = 0; writer.BaseStream.Position < bytes; package++)
        {
            writer.Write($"    <package name=\"Generated.Module{package}\" line-rate=\"0.5\" branch-rate=\"0.5\" complexity=\"1\">\n      <classes>\n");
            for (var c = 0; c < 50; c++, classIndex++)
            {
                var file = $"Module{package}/Feature{c}/Class{classIndex}.cs";
                var lines = new StringBuilder();
                writer.Write($"        <class name=\"Generated.Module{package}.Class{classIndex}\" filename=\"{file}\" line-rate=\"0.5\" branch-rate=\"0.5\" complexity=\"1\">\n          <methods>\n");
                for (var m = 0; m < 10; m++)
                {
                    writer.Write($"            <method name=\"Method{m}\" signature=\"(System.String)\" line-rate=\"0.5\" branch-rate=\"0.5\" complexity=\"1\">\n              <lines>\n");
                    for (var l = 0; l < 12; l++)
                    {
                        var number = 10 + (m * 15) + l;
                        var hits = random.Next(3) == 0 ? 0 : random.Next(1, 5000);
                        var line = l % 6 == 5
                            ? $"<line number=\"{number}\" hits=\"{hits}\" branch=\"True\" condition-coverage=\"50% (1/2)\"><conditions><condition number=\"7\" type=\"jump\" coverage=\"50%\" /></conditions></line>"
                            : $"<line number=\"{number}\" hits=\"{hits}\" branch=\"False\" />";
                        writer.Write("                " + line + "\n");
                        lines.Append("            ").Append(line).Append('\n');
                    }

                    writer.Write("              </lines>\n            </method>\n");
                }

                writer.Write("          </methods>\n          <lines>\n");
                writer.Write(lines);
                writer.Write("          </lines>\n        </class>\n");
            }

            writer.Write("      </classes>\n    </package>\n");
        }

        writer.Write("  </packages>\n</coverage>\n");
    }
}
