using Polly;
using ReleaseGates.Tests.Support;
using static ReleaseGates.Tests.Support.TestGates;

namespace ReleaseGates.Tests.Evaluation;

public class ReleaseGateEvaluatorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_throwing_gate_becomes_error_and_the_others_still_run()
    {
        var report = await ReleaseGate.CreateBuilder()
            .AddGate("boom", (_, _) => throw new InvalidDataException("coverage.xml line 3: unexpected element"))
            .AddGate("fine", Returning(GateResult.Passed("ok")))
            .EvaluateAsync(Ct);

        var boom = report.FindGate("boom")!;
        Assert.Equal(GateStatus.Error, boom.Status);
        Assert.Contains("coverage.xml line 3", boom.Summary, StringComparison.Ordinal);
        Assert.Equal(GateStatus.Passed, report.FindGate("fine")!.Status);
        Assert.Equal(ReleaseDecision.NoGo, report.Decision);
    }

    [Fact]
    public async Task A_gate_that_exceeds_its_timeout_becomes_error_naming_the_timeout()
    {
        var report = await ReleaseGate.CreateBuilder()
            .AddGate("slow", async (_, ct) => { await Task.Delay(Timeout.Infinite, ct); return GateResult.Passed("never"); }, o => o.Timeout = TimeSpan.FromMilliseconds(100))
            .AddGate("fast", Returning(GateResult.Passed("ok")))
            .EvaluateAsync(Ct);

        var slow = report.FindGate("slow")!;
        Assert.Equal(GateStatus.Error, slow.Status);
        Assert.Contains("Timed out after 100 ms", slow.Summary, StringComparison.Ordinal);
        Assert.Equal(GateStatus.Passed, report.FindGate("fast")!.Status);
    }

    [Fact]
    public async Task The_callers_cancellation_propagates()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var started = new TaskCompletionSource();
        var evaluator = ReleaseGate.CreateBuilder()
            .AddGate("waits", async (_, ct) => { started.SetResult(); await Task.Delay(Timeout.Infinite, ct); return GateResult.Passed("never"); })
            .Build();
        var run = evaluator.EvaluateAsync(null, cts.Token);
        await started.Task;
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public async Task A_gate_cancelling_itself_is_an_error_not_a_cancelled_run()
    {
        var report = await ReleaseGate.CreateBuilder()
            .AddGate("self", (_, _) => throw new OperationCanceledException("the HTTP client gave up"))
            .EvaluateAsync(Ct);
        Assert.Equal(GateStatus.Error, report.Gates[0].Status);
        Assert.Contains("the HTTP client gave up", report.Gates[0].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gates_run_concurrently_up_to_the_configured_degree()
    {
        var running = 0;
        var peak = 0;
        var overlapped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async ValueTask<GateResult> Work(GateContext _, CancellationToken ct)
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);

            // Hold until two gates overlap (not for a fixed time, which a busy machine may not honour): with a
            // limit of 2 the pair always meets; without one, more would run and the peak would show it.
            if (now >= 2)
            {
                overlapped.TrySetResult();
            }

            await overlapped.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
            Interlocked.Decrement(ref running);
            return GateResult.Passed("ok");
        }

        var builder = ReleaseGate.CreateBuilder().Configure(o => o.MaximumConcurrency = 2);
        for (var i = 0; i < 6; i++)
        {
            builder.AddGate("g" + i, Work);
        }

        var report = await builder.EvaluateAsync(Ct);
        Assert.Equal(6, report.Gates.Count);
        Assert.Equal(2, peak);
        Assert.Equal(["g0", "g1", "g2", "g3", "g4", "g5"], report.Gates.Select(g => g.Name));
    }

    [Fact]
    public async Task Retry_from_the_resilience_pipeline_runs_inside_the_timeout()
    {
        var attempts = 0;
        var report = await ReleaseGate.CreateBuilder()
            .AddGate("flaky", (_, _) => ++attempts < 3 ? throw new HttpRequestException("connection reset") : ValueTask.FromResult(GateResult.Passed("third time")),
                o => o.ConfigureResilience = p => p.AddRetry(new() { MaxRetryAttempts = 3, Delay = TimeSpan.Zero }))
            .EvaluateAsync(Ct);
        Assert.Equal(3, attempts);
        Assert.Equal(GateStatus.Passed, report.Gates[0].Status);
    }

    [Fact]
    public async Task Durations_and_start_time_come_from_the_time_provider()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
        var report = await ReleaseGate.CreateBuilder()
            .UseTimeProvider(clock)
            .AddGate("takes-2s", (_, _) => { clock.Advance(TimeSpan.FromSeconds(2)); return ValueTask.FromResult(GateResult.Passed("ok")); })
            .EvaluateAsync(Ct);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero), report.StartedAt);
        Assert.Equal(TimeSpan.FromSeconds(2), report.Gates[0].Duration);
        Assert.Equal(TimeSpan.FromSeconds(2), report.Duration);
    }

    [Fact]
    public async Task Tags_select_a_subset()
    {
        var evaluator = ReleaseGate.CreateBuilder()
            .AddGate("fast", Returning(GateResult.Passed("ok")), o => o.Tags.Add("smoke"))
            .AddGate("load", Returning(GateResult.Failed("slow")))
            .Build();
        var request = new EvaluationRequest();
        request.Tags.Add("SMOKE");
        var report = await evaluator.EvaluateAsync(request, Ct);
        Assert.Equal(["fast"], report.Gates.Select(g => g.Name));
        Assert.Equal(ReleaseDecision.Go, report.Decision);
    }

    [Fact]
    public async Task The_builder_passes_a_request_with_tags_through_to_the_evaluation()
    {
        var request = new EvaluationRequest();
        request.Tags.Add("smoke");

        var report = await ReleaseGate.CreateBuilder()
            .AddGate("fast", Returning(GateResult.Passed("ok")), o => o.Tags.Add("smoke"))
            .AddGate("load", Returning(GateResult.Failed("slow")))
            .EvaluateAsync(request, Ct);

        Assert.Equal(["fast"], report.Gates.Select(g => g.Name));
        Assert.Equal(ReleaseDecision.Go, report.Decision);
    }

    [Fact]
    public async Task A_gate_never_reports_better_than_its_evidence()
    {
        var claimsPass = new GateResult(GateStatus.Passed, "all good", [Measurement.Evaluate("p(95)", 900, MetricUnit.Milliseconds, GateCondition.Parse("p(95) < 300ms"))]);
        var report = await ReleaseGate.CreateBuilder().AddGate("liar", Returning(claimsPass)).EvaluateAsync(Ct);
        Assert.Equal(GateStatus.Failed, report.Gates[0].Status);
        Assert.Equal(ReleaseDecision.NoGo, report.Decision);
    }

    [Fact]
    public async Task Error_findings_fail_the_gate()
    {
        var result = GateResult.FromEvidence("headers", [], [new Finding("hsts.missing", FindingSeverity.Error, "Strict-Transport-Security is missing") { Target = "https://localhost/" }]);
        var report = await ReleaseGate.CreateBuilder().AddGate("web", Returning(result)).EvaluateAsync(Ct);
        Assert.Equal(GateStatus.Failed, report.Gates[0].Status);
    }

    [Fact]
    public async Task The_baseline_reaches_gates_by_name()
    {
        var baseline = await ReleaseGate.CreateBuilder().AddGate("latency", Returning(LatencyResult(100))).EvaluateAsync(Ct);
        double? seen = null;
        var evaluator = ReleaseGate.CreateBuilder()
            .AddGate("latency", (ctx, _) => { seen = ctx.Baseline?.Measurements[0].Value; return ValueTask.FromResult(GateResult.Passed("ok")); })
            .Build();
        var request = new EvaluationRequest { Baseline = baseline };
        await evaluator.EvaluateAsync(request, Ct);
        Assert.Equal(100, seen);
    }

    [Fact]
    public void Duplicate_names_are_all_listed_in_one_exception()
    {
        var builder = ReleaseGate.CreateBuilder()
            .AddGate("a", Returning(GateResult.Passed("")))
            .AddGate("A", Returning(GateResult.Passed("")))
            .AddGate("b", Returning(GateResult.Passed("")))
            .AddGate("b", Returning(GateResult.Passed("")));
        var ex = Assert.Throws<ReleaseGatesConfigurationException>(builder.Build);
        Assert.Contains("'a'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'b'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_gate_options_are_all_listed_when_the_gate_is_added()
    {
        var ex = Assert.Throws<ReleaseGatesConfigurationException>(() => ReleaseGate.CreateBuilder()
            .AddGate("bad", Returning(GateResult.Passed("")), o => { o.Weight = -1; o.Timeout = TimeSpan.Zero; o.Category = " "; }));
        Assert.Equal(3, ex.Problems.Count);
        Assert.Contains("Gate 'bad'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_evaluation_options_are_all_listed()
    {
        var builder = ReleaseGate.CreateBuilder().Configure(o =>
        {
            o.MaximumConcurrency = 0;
            o.Scoring.PassScore = 70;
            o.Scoring.WarningScore = 80;
            o.DefaultTimeout = TimeSpan.FromSeconds(-1);
        });
        var ex = Assert.Throws<ReleaseGatesConfigurationException>(builder.Build);
        Assert.Equal(3, ex.Problems.Count);
    }

    [Fact]
    public async Task Subject_falls_back_to_ci_variables()
    {
        var variables = new Dictionary<string, string> { ["GITHUB_SHA"] = "abc123", ["GITHUB_REPOSITORY"] = "acme/checkout" };
        var options = new ReleaseGatesOptions { Subject = new ReleaseSubject { Version = "1.2.3" } };
        var evaluator = new ReleaseGateEvaluator([], options, Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(new Microsoft.Extensions.DependencyInjection.ServiceCollection()), getVariable: v => variables.GetValueOrDefault(v));
        var report = await evaluator.EvaluateAsync(null, Ct);
        Assert.Equal(new ReleaseSubject { Service = "acme/checkout", Version = "1.2.3", Commit = "abc123" }, report.Subject);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
