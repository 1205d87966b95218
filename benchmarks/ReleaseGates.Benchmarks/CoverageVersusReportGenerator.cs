using System.Diagnostics;

namespace ReleaseGates.Benchmarks;

/// <summary>
/// Wall time to read a generated 100 MB coverlet-shaped Cobertura file: ReportGenerator 5.6 (its cheapest report, a text
/// summary) against this library's reader, each as its own process started from the command line (process start
/// included on both sides), alternated for three rounds. Not a BenchmarkDotNet benchmark: the peer is another program.
/// With the path of a built <c>release-gates.dll</c>, the tool itself is timed too: <c>release-gates evaluate</c> over a
/// config with one coverage gate on the same file, reports written, as a pipeline runs it.
/// </summary>
public static class CoverageVersusReportGenerator
{
    public static void Run(string reportGenerator, string? tool)
    {
        var path = Path.Combine(Path.GetTempPath(), "releasegates-bench-cobertura-100mb.xml");
        if (!File.Exists(path))
        {
            CoberturaParseBenchmarks.Generate(path, 100 * 1024L * 1024);
        }

        Console.WriteLine($"// {path}: {new FileInfo(path).Length / 1e6:0.0} MB; load average {File.ReadAllText("/proc/loadavg").Trim()}");
        var self = typeof(CoverageVersusReportGenerator).Assembly.Location;
        var output = Path.Combine(Path.GetTempPath(), "releasegates-bench-reportgenerator");
        var config = Path.Combine(Path.GetTempPath(), "releasegates-bench-coverage.json");
        File.WriteAllText(config, $$"""{ "gates": { "coverage": { "type": "coverage", "files": ["{{path}}"], "minimumLineRate": "0%" } } }""");
        Console.WriteLine("| round | ReportGenerator 5.6 (TextSummary) | ReleaseGates reader | ratio | release-gates evaluate | ratio |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        for (var round = 1; round <= 3; round++)
        {
            var theirs = Time(reportGenerator, $"\"-reports:{path}\" \"-targetdir:{output}\" -reporttypes:TextSummary");
            var ours = Time("dotnet", $"\"{self}\" --read-cobertura \"{path}\"");
            var row = $"| {round} | {theirs.TotalSeconds:0.00} s | {ours.TotalSeconds:0.00} s | {ours / theirs:0.000} |";
            if (tool is not null)
            {
                var evaluated = Time("dotnet", $"\"{tool}\" evaluate --config \"{config}\" --out \"{output}-tool\"");
                row += $" {evaluated.TotalSeconds:0.00} s | {evaluated / theirs:0.000} |";
            }

            Console.WriteLine(row);
        }
    }

    /// <summary>What the measured process does: read the file with the coverage gate's reader and print the line rate.</summary>
    public static void Read(string path)
    {
        using var stream = File.OpenRead(path);
        var report = CoverageReportReader.Read(stream, path, CoverageFormat.Cobertura, _ => true);
        Console.WriteLine($"{report.Files.Count()} files");
    }

    private static TimeSpan Time(string file, string arguments)
    {
        var start = Stopwatch.GetTimestamp();
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        var elapsed = Stopwatch.GetElapsedTime(start);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} exited with {process.ExitCode}");
        }

        return elapsed;
    }
}
