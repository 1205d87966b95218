using BenchmarkDotNet.Running;
using ReleaseGates.Benchmarks;

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

BenchmarkSwitcher.FromAssembly(typeof(BenchmarkData).Assembly).Run(args);
