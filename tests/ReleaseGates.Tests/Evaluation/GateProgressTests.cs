using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using static ReleaseGates.Tests.Support.TestGates;

namespace ReleaseGates.Tests.Evaluation;

public class GateProgressTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class Collect : IProgress<GateProgress>
    {
        public ConcurrentQueue<GateProgress> Steps { get; } = new();

        public void Report(GateProgress value) => Steps.Enqueue(value);
    }

    [Fact]
    public async Task Each_gate_is_told_started_then_finished_with_its_status()
    {
        var progress = new Collect();
        var report = await ReleaseGate.CreateBuilder()
            .AddGate("fine", Returning(GateResult.Passed("ok")))
            .AddGate("bad", Returning(GateResult.Failed("no")))
            .AddGate("boom", (_, _) => throw new InvalidDataException("broken"))
            .EvaluateAsync(new EvaluationRequest { Progress = progress }, Ct);

        foreach (var gate in report.Gates)
        {
            var steps = progress.Steps.Where(s => s.Gate == gate.Name).ToList();
            Assert.Equal([GateProgressKind.Started, GateProgressKind.Finished], steps.Select(s => s.Kind));
            Assert.Null(steps[0].Status);
            Assert.Equal(gate.Status, steps[1].Status);
            Assert.Equal(gate.Duration, steps[1].Elapsed);
        }
    }

    [Fact]
    public async Task Only_the_selected_gates_are_told()
    {
        var progress = new Collect();
        var request = new EvaluationRequest { Progress = progress };
        request.Tags.Add("fast");
        await ReleaseGate.CreateBuilder()
            .AddGate("tagged", Returning(GateResult.Passed("ok")), o => o.Tags.Add("fast"))
            .AddGate("other", Returning(GateResult.Passed("ok")))
            .EvaluateAsync(request, Ct);

        Assert.All(progress.Steps, s => Assert.Equal("tagged", s.Gate));
        Assert.Equal(2, progress.Steps.Count);
    }

    [Fact]
    public async Task A_listener_that_throws_changes_no_outcome()
    {
        var report = await ReleaseGate.CreateBuilder()
            .AddGate("fine", Returning(GateResult.Passed("ok")))
            .EvaluateAsync(new EvaluationRequest { Progress = new Progress(_ => throw new InvalidOperationException("the console is gone")) }, Ct);

        Assert.Equal(GateStatus.Passed, report.Gates[0].Status);
        Assert.Equal(ReleaseDecision.Go, report.Decision);
    }

    [Fact]
    public void Running_steps_are_thinned_to_one_per_interval()
    {
        var time = new FakeTimeProvider();
        var progress = new Collect();
        var reporter = new GateProgressReporter("load", progress, time);

        var calls = 0;
        for (var i = 0; i < 10; i++)
        {
            reporter.Running(() => $"{++calls} told");
        }

        time.Advance(GateProgressReporter.Interval);
        reporter.Running(() => $"{++calls} told");

        Assert.Equal(2, progress.Steps.Count);
        Assert.Equal(2, calls); // the detail of a thinned step is not even formatted
        Assert.Equal(GateProgressReporter.Interval, progress.Steps.Last().Elapsed);
    }

    private sealed class Progress(Action<GateProgress> report) : IProgress<GateProgress>
    {
        public void Report(GateProgress value) => report(value);
    }
}
