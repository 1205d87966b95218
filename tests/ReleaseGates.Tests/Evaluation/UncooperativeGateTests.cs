using System.Diagnostics;
using static ReleaseGates.Tests.Support.TestGates;

namespace ReleaseGates.Tests.Evaluation;

/// <summary>Gates that never finish, block their thread, or return garbage: the evaluation still ends, with every other gate's result.</summary>
public class UncooperativeGateTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_gate_that_ignores_its_token_is_cut_at_its_timeout_and_the_others_keep_their_results()
    {
        var neverEnds = new TaskCompletionSource<GateResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        var report = await ReleaseGate.CreateBuilder()
            .AddGate("deaf", (_, _) => new ValueTask<GateResult>(neverEnds.Task), o => o.Timeout = TimeSpan.FromMilliseconds(200))
            .AddGate("fine", Returning(GateResult.Passed("ok")))
            .EvaluateAsync(Ct)
            .WaitAsync(TimeSpan.FromSeconds(60), Ct);

        var deaf = report.FindGate("deaf")!;
        Assert.Equal(GateStatus.Error, deaf.Status);
        Assert.Contains("Timed out after 200 ms, the gate did not stop", deaf.Summary, StringComparison.Ordinal);
        Assert.Equal(GateStatus.Passed, report.FindGate("fine")!.Status);
        Assert.Equal(ReleaseDecision.NoGo, report.Decision);

        // Generous: the cut comes at 200 ms + 100 ms of grace; a loaded machine may add seconds, never an unbounded wait.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_gate_that_blocks_its_thread_delays_no_other_gate()
    {
        using var release = new ManualResetEventSlim();
        var fastFinished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = ReleaseGate.CreateBuilder()
            .AddGate("blocks", (_, _) =>
            {
                // Synchronous work that ignores every token until the test lets it go: after the evaluation ended.
                release.Wait(TimeSpan.FromSeconds(60), CancellationToken.None);
                return ValueTask.FromResult(GateResult.Passed("too late"));
            }, o => o.Timeout = TimeSpan.FromMilliseconds(300))
            .AddGate("fast", (_, _) => { fastFinished.TrySetResult(); return ValueTask.FromResult(GateResult.Passed("ok")); })
            .EvaluateAsync(Ct);
        try
        {
            // The fast gate finishes while the blocking one still holds its thread.
            await fastFinished.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            var report = await run.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            Assert.False(release.IsSet);
            Assert.Equal(GateStatus.Error, report.FindGate("blocks")!.Status);
            Assert.Contains("did not stop", report.FindGate("blocks")!.Summary, StringComparison.Ordinal);
            Assert.Equal(GateStatus.Passed, report.FindGate("fast")!.Status);
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public async Task The_callers_cancellation_returns_promptly_even_when_a_gate_ignores_it()
    {
        using var release = new ManualResetEventSlim();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = ReleaseGate.CreateBuilder()
            .AddGate("deaf", (_, _) => { started.TrySetResult(); release.Wait(TimeSpan.FromSeconds(60), CancellationToken.None); return ValueTask.FromResult(GateResult.Passed("never")); }, o => o.Timeout = TimeSpan.FromMinutes(10))
            .EvaluateAsync(cts.Token);
        try
        {
            await started.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(30), Ct));
            Assert.False(release.IsSet);
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public async Task A_null_measurement_or_finding_is_an_error_of_that_gate_only()
    {
        var report = await ReleaseGate.CreateBuilder()
            .AddGate("null-measurement", (_, _) => ValueTask.FromResult(new GateResult(GateStatus.Passed, "ok", [null!])))
            .AddGate("null-finding", (_, _) => ValueTask.FromResult(GateResult.Passed("ok", findings: [null!])))
            .AddGate("nameless", (_, _) => ValueTask.FromResult(GateResult.Passed("ok", [new Measurement(null!, 1, MetricUnit.Count)])))
            .AddGate("fine", Returning(GateResult.Passed("ok")))
            .EvaluateAsync(Ct);

        Assert.Equal(GateStatus.Error, report.FindGate("null-measurement")!.Status);
        Assert.Contains("Measurement 0 is null", report.FindGate("null-measurement")!.Summary, StringComparison.Ordinal);
        Assert.Equal(GateStatus.Error, report.FindGate("null-finding")!.Status);
        Assert.Contains("Finding 0 is null", report.FindGate("null-finding")!.Summary, StringComparison.Ordinal);
        Assert.Equal(GateStatus.Error, report.FindGate("nameless")!.Status);
        Assert.Equal(GateStatus.Passed, report.FindGate("fine")!.Status);

        // Every writer takes the report.
        Assert.NotEmpty(report.ToJson());
        Assert.NotEmpty(report.ToMarkdown());
        Assert.NotEmpty(report.ToJUnitXml());
        Assert.NotEmpty(report.ToText());
    }

    [Fact]
    public async Task A_list_the_gate_changes_after_returning_does_not_reach_the_report()
    {
        var measurements = new List<Measurement> { Measurement.Evaluate("p(95)", 100, MetricUnit.Milliseconds, GateCondition.Parse("p(95) < 300ms")) };
        var result = GateResult.FromEvidence("p95 100 ms", measurements);
        measurements.Add(null!);
        var report = await ReleaseGate.CreateBuilder().AddGate("g", Returning(result)).EvaluateAsync(Ct);
        Assert.Single(report.Gates[0].Measurements);
        Assert.Equal(ReleaseDecision.Go, report.Decision);
    }

    [Fact]
    public async Task A_skipped_result_with_a_failed_measurement_fails()
    {
        var failed = Measurement.Evaluate("p(95)", 900, MetricUnit.Milliseconds, GateCondition.Parse("p(95) < 300ms"));
        var report = await ReleaseGate.CreateBuilder().AddGate("g", Returning(GateResult.Skipped("not enough data", [failed]))).EvaluateAsync(Ct);
        Assert.Equal(GateStatus.Failed, report.Gates[0].Status);
        Assert.Equal(ReleaseDecision.NoGo, report.Decision);
        Assert.Equal(ReleaseDecision.NoGo, report.Replay().Decision);
    }

    [Fact]
    public async Task A_measurement_claiming_a_pass_its_value_does_not_earn_fails_live_and_on_replay()
    {
        var lying = new Measurement("p(95)", 900, MetricUnit.Milliseconds) { Condition = GateCondition.Parse("p(95) < 300ms"), Status = GateStatus.Passed };
        var report = await ReleaseGate.CreateBuilder().AddGate("g", Returning(GateResult.Passed("p95 fine", [lying]))).EvaluateAsync(Ct);
        Assert.Equal(GateStatus.Failed, report.Gates[0].Status);
        Assert.Equal(GateStatus.Failed, report.Gates[0].Measurements[0].Status);
        Assert.Equal(ReleaseDecision.NoGo, report.Decision);
        Assert.Equal(ReleaseDecision.NoGo, ReleaseReport.FromJson(report.ToJson()).Replay().Decision);
    }

    [Fact]
    public async Task A_rate_of_five_over_zero_is_an_error_not_a_go()
    {
        var rate = Measurement.Evaluate("rate", 5.0 / 0.0, MetricUnit.Ratio, GateCondition.Parse("rate <= 1%"));
        var report = await ReleaseGate.CreateBuilder().AddGate("errors", Returning(GateResult.FromEvidence("5 of 0 failed", [rate]))).EvaluateAsync(Ct);
        Assert.Equal(GateStatus.Error, report.Gates[0].Status);
        Assert.Equal(ReleaseDecision.NoGo, report.Decision);
        Assert.NotEqual(0, report.GetExitCode());
        Assert.Equal(ReleaseDecision.NoGo, ReleaseReport.FromJson(report.ToJson()).Replay().Decision);
    }

    [Fact]
    public async Task Registration_values_changed_after_build_reach_no_report()
    {
        GateOptions? captured = null;
        var evaluator = ReleaseGate.CreateBuilder()
            .AddGate("g", Returning(GateResult.Failed("broken")), o => { o.Importance = GateImportance.Required; captured = o; })
            .Build();

        // A caller (or a gate) that keeps the options object and changes it later.
        captured!.Weight = -5;
        captured.Importance = (GateImportance)42;
        captured.Category = "";
        captured.ReportOnly = true;
        captured.Tags.Add("late");

        var report = await evaluator.EvaluateAsync(null, Ct);
        var gate = report.Gates[0];
        Assert.Equal(1, gate.Weight);
        Assert.Equal(GateImportance.Required, gate.Importance);
        Assert.Equal(GateCategories.General, gate.Category);
        Assert.False(gate.ReportOnly);
        Assert.Empty(gate.Tags);
        Assert.Equal(ReleaseDecision.NoGo, report.Decision);
    }
}
