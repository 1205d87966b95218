using System.Globalization;
using BenchmarkDotNet.Attributes;

namespace ReleaseGates.Benchmarks;

/// <summary>
/// Writing a report of 200 gates (three measurements, two findings and a 15-point latency curve each) as the HTML page,
/// against the Markdown job summary of the same report as the peer in the same run. Target (issue 34): the page at most
/// 1 MB; its load time in Chromium is measured by the browser test and quoted in docs/performance.md.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 3, warmupCount: 3, iterationCount: 10)]
public class ReportWriterBenchmarks
{
    private ReleaseReport _report = null!;

    [GlobalSetup]
    public void Setup()
    {
        var gates = Enumerable.Range(0, 200).Select(i => new GateReport
        {
            Name = "gate-" + i.ToString(CultureInfo.InvariantCulture),
            Category = "category-" + (i % 7).ToString(CultureInfo.InvariantCulture),
            Status = i % 10 == 0 ? GateStatus.Failed : GateStatus.Passed,
            Summary = $"p95 {i} ms, 1000 requests from GET /api/orders/{{id}} (in-process metrics)",
            Measurements =
            [
                Measurement.Evaluate("p(95)", i % 10 == 0 ? 420 : 120, MetricUnit.Milliseconds, GateCondition.Parse("p(95) < 300ms warn 200ms")) with { Target = "GET /api/orders/{id}" },
                Measurement.Evaluate("p(99)", 250, MetricUnit.Milliseconds, GateCondition.Parse("p(99) < 1s")) with { Target = "GET /api/orders/{id}" },
                new Measurement("count", 1000, MetricUnit.Count),
            ],
            Findings =
            [
                new Finding("coverage.worst-file", FindingSeverity.Info, "12 of 40 lines covered (30.0%)") { Target = $"src/File{i}.cs" },
                new Finding("checklist.open", FindingSeverity.Info, "'Blog post drafted': not ticked.") { Target = "RELEASE_CHECKLIST.md", Line = 26 },
            ],
            Distributions = [new PercentileCurve("latency", MetricUnit.Milliseconds,
                [.. PercentileCurve.Ladder.Select(p => new PercentilePoint(p, 10 + (p * p / 40)))]) { Count = 1000 }],
        }).ToList();
        _report = new ReleaseReport { Scoring = new ScoringOptions(), Decision = ReleaseDecision.NoGo, Score = 90, Gates = gates };
    }

    [Benchmark(Baseline = true)]
    public int Markdown() => _report.ToMarkdown().Length;

    [Benchmark]
    public int Html() => _report.ToHtml().Length;
}
