using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using ReleaseGates.Benchmarks;

if (args.Contains("--serve"))
{
    await ProbeVersusWrk.ServeAsync();
    return;
}

if (args.Contains("--serve-fleet"))
{
    await FleetBenchmarks.ServeAsync(args.SkipWhile(a => a != "--serve-fleet").Skip(1).First());
    return;
}

if (args.Contains("--retained-memory"))
{
    RetainedMemory.Run();
    return;
}

if (args.Contains("--stall-omission"))
{
    await StallOmission.RunAsync();
    return;
}

if (args.Contains("--open-vs-wrk"))
{
    var rest = args.SkipWhile(a => a != "--open-vs-wrk").Skip(1).Select(a => int.TryParse(a, out var n) ? n : 0).ToArray();
    await ProbeVersusWrk.RunOpenModelAsync(rest.Length > 0 && rest[0] > 0 ? rest[0] : 10, rest.Length > 1 && rest[1] > 0 ? rest[1] : 3);
    return;
}

if (args.Contains("--open-at"))
{
    var rest = args.SkipWhile(a => a != "--open-at").Skip(1).Select(int.Parse).ToArray();
    await ProbeVersusWrk.RunOpenAtAsync(rest[0], rest.Length > 1 ? rest[1] : 5);
    return;
}

if (args.Contains("--probe-vs-wrk"))
{
    await ProbeVersusWrk.RunAsync(args.SkipWhile(a => a != "--probe-vs-wrk").Skip(1).FirstOrDefault() is { } s && int.TryParse(s, out var sec) ? sec : 10);
    return;
}

if (args.Contains("--coverage-vs-reportgenerator"))
{
    var peers = args.SkipWhile(a => a != "--coverage-vs-reportgenerator").Skip(1).ToArray();
    CoverageVersusReportGenerator.Run(peers.FirstOrDefault() ?? "reportgenerator", peers.Skip(1).FirstOrDefault());
    return;
}

if (args.Contains("--read-cobertura"))
{
    CoverageVersusReportGenerator.Read(args.SkipWhile(a => a != "--read-cobertura").Skip(1).First());
    return;
}

if (args.Contains("--quick-capture"))
{
    QuickCapture.Run(args.SkipWhile(a => a != "--quick-capture").Skip(1).FirstOrDefault() ?? "ours");
    return;
}

if (args.Contains("--quick-fleet"))
{
    var shape = args.SkipWhile(a => a != "--quick-fleet").Skip(1).Take(2).Select(int.Parse).ToArray();
    Quick.RunFleet(shape.Length > 0 ? shape[0] : 100, shape.Length > 1 ? shape[1] : 100_000);
    return;
}

if (args.Contains("--quick-concurrent"))
{
    Quick.RunConcurrent();
    return;
}

if (args.Contains("--quick"))
{
    Quick.Run();
    return;
}

if (args.Contains("--accuracy"))
{
    Accuracy.Print();
    return;
}

// The median beside the mean: docs/performance.md quotes medians, and the exported reports under
// BenchmarkDotNet.Artifacts/results carry them.
BenchmarkSwitcher.FromAssembly(typeof(BenchmarkData).Assembly).Run(args, DefaultConfig.Instance.AddColumn(StatisticColumn.Median));
