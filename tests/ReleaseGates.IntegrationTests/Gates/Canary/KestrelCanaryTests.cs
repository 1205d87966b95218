using Microsoft.AspNetCore.Builder;
using ReleaseGates.IntegrationTests.Support;

namespace ReleaseGates.IntegrationTests.Gates.Canary;

/// <summary>The canary judge over two Kestrel apps on 127.0.0.1, each probed by its own bounded load probe at the same time.</summary>
public class KestrelCanaryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static RequestMetricsSource Probe(Uri target)
    {
        var options = new HttpLoadProbeOptions { Concurrency = 4, Requests = 240, WarmupRequests = 20, Duration = TimeSpan.FromSeconds(60) };
        options.Targets.Add(target);
        return RequestMetricsSource.FromLoadProbe(options);
    }

    private static Task<LoopbackApp> App(int delayMs) => LoopbackApp.StartAsync(a => a.MapGet("/quote", async () =>
    {
        await Task.Delay(delayMs);
        return "42";
    }), Ct);

    [Fact]
    public async Task A_canary_40_ms_slower_than_its_baseline_is_a_no_go_and_an_equal_one_a_go()
    {
        await using var baseline = await App(10);
        await using var slow = await App(50);
        await using var same = await App(10);

        var report = await ReleaseGate.CreateBuilder()
            .AddCanary("slow-canary", o =>
            {
                o.Baseline = Probe(new Uri(baseline.BaseAddress, "quote"));
                o.Canary = Probe(new Uri(slow.BaseAddress, "quote"));
                o.MaximumIncrease = TimeSpan.FromMilliseconds(15);
            })
            .AddCanary("same-canary", o =>
            {
                o.Baseline = Probe(new Uri(baseline.BaseAddress, "quote"));
                o.Canary = Probe(new Uri(same.BaseAddress, "quote"));
                o.MaximumIncrease = TimeSpan.FromMilliseconds(15);
            })
            .EvaluateAsync(Ct);

        var slowGate = report.Gates.Single(g => g.Name == "slow-canary");
        Assert.Equal(GateStatus.Failed, slowGate.Status);
        Assert.InRange(slowGate.Measurements.Single(m => m.Name == "shift").Value, 25, 60);
        Assert.Equal(240, slowGate.Measurements.Single(m => m.Name == "canary-samples").Value);

        var sameGate = report.Gates.Single(g => g.Name == "same-canary");
        Assert.Equal(GateStatus.Passed, sameGate.Status);
        Assert.InRange(sameGate.Measurements.Single(m => m.Name == "shift-upper").Value, -15, 15);
        Assert.Equal(ReleaseDecision.NoGo, report.Decision);
    }
}
