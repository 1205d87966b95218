using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReleaseGates.Tests.Support;

namespace ReleaseGates.Tests.Gates.HealthChecks;

public class HealthChecksBridgeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ServiceProvider Provider(Action<IHealthChecksBuilder> checks, Action<IReleaseGatesBuilder> gates, TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        checks(services.AddHealthChecks());
        gates(services.AddReleaseGates());
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Unhealthy_fails_degraded_warns_and_each_entry_is_a_measurement()
    {
        await using var provider = Provider(
            h => h.AddCheck("db", () => HealthCheckResult.Healthy("connected"), ["data"])
                  .AddCheck("cache", () => HealthCheckResult.Degraded("hit rate 60 %"), ["data"])
                  .AddCheck("payments", () => HealthCheckResult.Unhealthy("503 from provider"), ["external"]),
            g => g.AddHealthChecks("all").AddHealthChecks("data-only", o => o.HealthCheckTags.Add("data")));
        var report = await provider.GetRequiredService<IReleaseGateEvaluator>().EvaluateAsync(null, Ct);

        var all = report.FindGate("all")!;
        Assert.Equal(GateStatus.Failed, all.Status);
        Assert.Equal(3, all.Measurements.Count);
        Assert.Equal(GateStatus.Warning, all.Measurements.Single(m => m.Name == "cache").Status);
        Assert.Equal("hit rate 60 %", all.Measurements.Single(m => m.Name == "cache").Target);
        Assert.Contains(all.Findings, f => f.Code == "health.unhealthy" && f.Message.Contains("503 from provider", StringComparison.Ordinal));
        Assert.Equal(GateStatus.Warning, report.FindGate("data-only")!.Status);
    }

    [Fact]
    public async Task Without_health_checks_the_gate_is_an_error()
    {
        var report = await ReleaseGate.CreateBuilder().AddHealthChecks("h").EvaluateAsync(Ct);
        Assert.Equal(GateStatus.Error, report.Gates[0].Status);
        Assert.Contains("AddHealthChecks", report.Gates[0].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tags_that_match_nothing_are_an_error()
    {
        await using var provider = Provider(h => h.AddCheck("db", () => HealthCheckResult.Healthy()), g => g.AddHealthChecks("h", o => o.HealthCheckTags.Add("nope")));
        var report = await provider.GetRequiredService<IReleaseGateEvaluator>().EvaluateAsync(null, Ct);
        Assert.Equal(GateStatus.Error, report.Gates[0].Status);
    }

    [Fact]
    public async Task The_release_decision_is_a_cached_readiness_check()
    {
        var clock = new FakeTimeProvider();
        var evaluations = 0;
        var healthy = true;
        await using var provider = Provider(
            h => h.AddCheck("db", () => healthy ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("down")).AddReleaseGates(reevaluateInterval: TimeSpan.FromMinutes(1), tags: ["ready"]),
            g => g.AddHealthChecks("dependencies").AddGate("count", (_, _) => { Interlocked.Increment(ref evaluations); return ValueTask.FromResult(GateResult.Passed("ok")); }),
            clock);
        var health = provider.GetRequiredService<HealthCheckService>();
        bool Ready(HealthCheckRegistration r) => r.Tags.Contains("ready");

        var first = await health.CheckHealthAsync(Ready, Ct);
        Assert.Equal(HealthStatus.Healthy, first.Status);
        Assert.Equal("Go", first.Entries["release-gates"].Data["decision"]);

        healthy = false;
        var cached = await health.CheckHealthAsync(Ready, Ct);
        Assert.Equal(HealthStatus.Healthy, cached.Status);   // within the interval: the gates are not re-run
        Assert.Equal(1, evaluations);

        clock.Advance(TimeSpan.FromMinutes(2));
        var stale = await health.CheckHealthAsync(Ready, Ct);
        Assert.Equal(HealthStatus.Healthy, stale.Status);    // the last decision at once, while it is revalidated

        var later = stale;
        for (var i = 0; i < 3000 && later.Status == HealthStatus.Healthy; i++)
        {
            await Task.Delay(10, Ct);
            later = await health.CheckHealthAsync(Ready, Ct);
        }

        Assert.Equal(HealthStatus.Unhealthy, later.Status);
        Assert.Equal(2, evaluations);
        Assert.Contains("dependencies", (string[])later.Entries["release-gates"].Data["decidingGates"]);
    }

    [Fact]
    public async Task A_stale_decision_is_served_at_once_while_a_slow_reevaluation_runs_once_in_the_background()
    {
        var clock = new FakeTimeProvider();
        var evaluations = 0;
        var go = true;
        var slow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var provider = Provider(
            h => h.AddReleaseGates(reevaluateInterval: TimeSpan.FromMinutes(1)),
            g => g.AddGate("slow", async (_, ct) =>
            {
                if (Interlocked.Increment(ref evaluations) > 1)
                {
                    await slow.Task.WaitAsync(ct);
                }

                return go ? GateResult.Passed("ok") : GateResult.Failed("broken");
            }),
            clock);
        var health = provider.GetRequiredService<HealthCheckService>();
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(Ct)).Status);

        go = false;
        clock.Advance(TimeSpan.FromMinutes(2));

        // Ten probes while the re-evaluation is blocked: every one answers with the last decision, without waiting.
        for (var i = 0; i < 10; i++)
        {
            var probe = health.CheckHealthAsync(Ct);
            Assert.Equal(HealthStatus.Healthy, (await probe.WaitAsync(TimeSpan.FromSeconds(30), Ct)).Status);
        }

        slow.SetResult();
        var after = await health.CheckHealthAsync(Ct);
        for (var i = 0; i < 3000 && after.Status == HealthStatus.Healthy; i++)
        {
            await Task.Delay(10, Ct);
            after = await health.CheckHealthAsync(Ct);
        }

        Assert.Equal(HealthStatus.Unhealthy, after.Status);
        Assert.Equal(2, evaluations);
    }

    [Fact]
    public async Task Concurrent_probes_share_one_evaluation()
    {
        var evaluations = 0;
        var release = new TaskCompletionSource();
        await using var provider = Provider(
            h => h.AddReleaseGates(),
            g => g.AddGate("slow", async (_, ct) => { Interlocked.Increment(ref evaluations); await release.Task.WaitAsync(ct); return GateResult.Passed("ok"); }));
        var health = provider.GetRequiredService<HealthCheckService>();
        var probes = Enumerable.Range(0, 5).Select(_ => health.CheckHealthAsync(Ct)).ToArray();
        await Task.Delay(50, Ct);
        release.SetResult();
        var results = await Task.WhenAll(probes);
        Assert.All(results, r => Assert.Equal(HealthStatus.Healthy, r.Status));
        Assert.Equal(1, evaluations);
    }
}
