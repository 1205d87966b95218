using BenchmarkDotNet.Attributes;

namespace ReleaseGates.Benchmarks;

/// <summary>
/// The report history on SQLite with 10,000 recorded evaluations of 20 gates each (one service and environment, the
/// worst case for the scoped queries): recording one more evaluation, choosing a median-of-5 baseline (the candidates,
/// five reports read back and combined), a 100-point trend of one measurement, and listing the newest 50. Targets
/// (issue 33): record ≤ 20 ms, median-of-5 ≤ 20 ms, trend ≤ 50 ms.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 3, warmupCount: 2, iterationCount: 10)]
public class HistoryBenchmarks
{
    public const int Evaluations = 10_000;
    private const int Gates = 20;

    private static readonly EnvironmentFingerprint Machine = EnvironmentFingerprint.Current("bench");
    private static readonly BaselineRule MedianOf5 = BaselineRule.Parse("median of 5");
    private static readonly ReleaseSubject Subject = new() { Service = "checkout", Environment = "staging", Branch = "main" };
    private SqliteReleaseHistory _history = null!;
    private ReleaseReport _report = null!;

    [GlobalSetup]
    public void Setup()
    {
        var template = Path.Combine(Path.GetTempPath(), $"releasegates-history-bench-{Evaluations}x{Gates}-v{SchemaTag}.db");
        if (!File.Exists(template))
        {
            Populate(template + ".tmp");
            File.Move(template + ".tmp", template);
        }

        var path = Path.Combine(Path.GetTempPath(), $"releasegates-history-bench-{Environment.ProcessId}.db");
        File.Copy(template, path, overwrite: true);
        _history = new SqliteReleaseHistory(path);
        _report = Report(Evaluations, 150);
        var bytes = new FileInfo(template).Length;
        Console.WriteLine($"// {template}: {bytes / 1e6:0.0} MB for {Evaluations} evaluations of {Gates} gates, {bytes / (double)Evaluations / 1024:0.0} KiB each; report.json {_report.ToJson().Length / 1024.0:0.0} KiB");
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_history.Path);

    [Benchmark(Description = "record one evaluation (20 gates, 60 measurements)")]
    public long Record() => _history.RecordAsync(_report, Machine).GetAwaiter().GetResult().Id;

    [Benchmark(Description = "median-of-5 baseline (candidates, 5 reports read and combined)")]
    public int MedianOf5Baseline()
        => BaselineResolver.ResolveAsync(_history, MedianOf5, Subject, Machine, CancellationToken.None).GetAwaiter().GetResult().Gates.Count;

    [Benchmark(Description = "100-point trend of one measurement")]
    public int Trend100() => _history.TrendAsync(new TrendQuery
    {
        Service = "checkout", Environment = "staging", Gate = "gate-7", Measurement = "p(95)", Target = "GET /api/orders", Count = 100,
    }).GetAwaiter().GetResult().Count;

    [Benchmark(Description = "list the newest 50")]
    public int List50() => _history.ListAsync(new HistoryQuery { Service = "checkout", Environment = "staging", Limit = 50 }).GetAwaiter().GetResult().Count;

    private const string SchemaTag = "2";

    private static void Populate(string path)
    {
        var history = new SqliteReleaseHistory(path);
        for (var i = 0; i < Evaluations; i++)
        {
            history.RecordAsync(Report(i, 100 + (i % 17)), Machine).GetAwaiter().GetResult();
        }
    }

    /// <summary>A report of 20 gates, each with a p95 and p99 in milliseconds (the p95 held to a relative condition) and a percentage.</summary>
    private static ReleaseReport Report(int i, double p95)
    {
        var relative = GateCondition.Parse("p(95) <= +10% floor 5ms");
        var absolute = GateCondition.Parse("p(99) < 1s");
        var share = GateCondition.Parse("line >= 80%");
        var gates = Enumerable.Range(0, Gates).Select(g => new GateReport
        {
            Name = $"gate-{g}",
            Category = "performance",
            Status = GateStatus.Passed,
            Summary = $"p95 {p95} ms over 5000 requests",
            Measurements =
            [
                Measurement.Evaluate("p(95)", p95 + g, MetricUnit.Milliseconds, relative, p95) with { Target = "GET /api/orders" },
                Measurement.Evaluate("p(99)", 3 * p95, MetricUnit.Milliseconds, absolute) with { Target = "GET /api/orders" },
                Measurement.Evaluate("line", 85 + (g % 10), MetricUnit.Percent, share),
            ],
        }).ToList();
        return new ReleaseReport
        {
            Subject = Subject with { Version = $"1.{i / 100}.{i % 100}", Commit = i.ToString("x40", System.Globalization.CultureInfo.InvariantCulture) },
            StartedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(i * 30),
            Duration = TimeSpan.FromSeconds(42),
            Scoring = new ScoringOptions(),
            Gates = gates,
            Decision = ReleaseDecision.Go,
            Score = 100,
        };
    }
}
