using ReleaseGates.Metrics;

namespace ReleaseGates.ThirdPartyGates;

/// <summary>
/// A request-metrics source from another package takes part in the evaluation through its explicit context only: it
/// runs its expensive work once for every gate that reads it, and tells the caller how far it got.
/// </summary>
public class SharedSourceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A source that "replays a capture": slow work it shares through <see cref="GateContext.RunOnceAsync"/>.</summary>
    private sealed class CountingSource : RequestMetricsSource
    {
        public int Runs;

        public override RequestMetricsCapabilities Capabilities => RequestMetricsCapabilities.Latency | RequestMetricsCapabilities.Errors;

        public override string Description => "capture replay";

        public override async ValueTask<RequestMetrics> ReadAsync(GateContext context, CancellationToken cancellationToken)
        {
            return await context.RunOnceAsync(this, async token =>
            {
                Interlocked.Increment(ref Runs);
                var latency = new LatencyHistogram();
                for (var i = 1; i <= 100; i++)
                {
                    latency.RecordMilliseconds(i);
                }

                context.ReportProgress("100 requests replayed");
                await Task.Delay(50, token);
                return new RequestMetrics { Latency = latency, Total = 100, Errors = 2 };
            }, cancellationToken);
        }
    }

    private sealed class Steps : IProgress<GateProgress>
    {
        public List<GateProgress> Seen { get; } = [];

        public void Report(GateProgress value)
        {
            lock (Seen)
            {
                Seen.Add(value);
            }
        }
    }

    [Fact]
    public async Task A_third_party_source_runs_once_per_evaluation_for_every_gate_and_reports_progress()
    {
        var source = new CountingSource();
        var evaluator = ReleaseGate.CreateBuilder()
            .AddLatency("latency", o => { o.Source = source; o.Conditions.Add("p(95) < 200ms"); })
            .AddErrorRate("errors", o => { o.Source = source; o.MaximumRate = 0.05; })
            .Build();
        var steps = new Steps();

        var first = await evaluator.EvaluateAsync(new EvaluationRequest { Progress = steps }, Ct);
        var second = await evaluator.EvaluateAsync(cancellationToken: Ct);

        Assert.Equal(2, source.Runs); // once in each evaluation, shared by both gates
        Assert.All(first.Gates.Concat(second.Gates), g => Assert.Equal(GateStatus.Passed, g.Status));
        Assert.Contains(steps.Seen, s => s.Kind == GateProgressKind.Running && s.Detail == "100 requests replayed");
    }

    [Fact]
    public async Task Read_outside_an_evaluation_it_simply_runs()
    {
        var source = new CountingSource();
        var context = new GateContext("direct", new NoServices(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        await source.ReadAsync(context, Ct);
        await source.ReadAsync(context, Ct);

        Assert.Equal(2, source.Runs);
    }

    private sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }

    [Fact]
    public async Task The_documented_replay_source_reads_its_capture_once_for_both_gates()
    {
        var folder = Directory.CreateTempSubdirectory("rg-replay-").FullName;
        try
        {
            var capture = Path.Combine(folder, "checkout.capture");
            await File.WriteAllLinesAsync(capture, Enumerable.Range(1, 200).Select(i => $"{i},{(i % 60 == 0 ? 503 : 200)}"), Ct);
            var replay = new ReplaySource(capture);
            var before = CaptureReader.Reads;

            var report = await ReleaseGate.CreateBuilder()
                .AddLatency("latency", o => { o.Source = replay; o.Conditions.Add("p(95) < 300ms"); })
                .AddErrorRate("errors", o => { o.Source = replay; o.MaximumRate = 0.01; })
                .EvaluateAsync(cancellationToken: Ct);

            Assert.Equal(1, CaptureReader.Reads - before);
            Assert.Equal(GateStatus.Passed, report.FindGate("latency")!.Status);   // p95 = 190 ms
            Assert.Equal(GateStatus.Failed, report.FindGate("errors")!.Status);    // 3 of 200 = 1.5 %, above the 1 % allowed
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
