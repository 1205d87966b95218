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
    public void Setup() => _report = ReleaseGates.IntegrationTests.Reporting.HostileReports.Large(200);

    [Benchmark(Baseline = true)]
    public int Markdown() => _report.ToMarkdown().Length;

    [Benchmark]
    public int Html() => _report.ToHtml().Length;
}
