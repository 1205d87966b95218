using Microsoft.Extensions.DependencyInjection;
using ReleaseGates.Tests.Support;

namespace ReleaseGates.Tests.DependencyInjection;

public class ReleaseGatesServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddReleaseGates_is_idempotent_and_collects_gates_from_every_call()
    {
        var services = new ServiceCollection();
        services.AddReleaseGates(g => g.AddGate("a", TestGates.Returning(GateResult.Passed("ok"))));
        services.AddReleaseGates().AddGate("b", TestGates.Returning(GateResult.Passed("ok")));
        Assert.Single(services, d => d.ServiceType == typeof(IReleaseGateEvaluator));

        await using var provider = services.BuildServiceProvider();
        var evaluator = provider.GetRequiredService<IReleaseGateEvaluator>();
        Assert.Equal(["a", "b"], evaluator.Registrations.Select(r => r.Name));
        var report = await evaluator.EvaluateAsync(null, TestContext.Current.CancellationToken);
        Assert.Equal(ReleaseDecision.Go, report.Decision);
    }

    [Fact]
    public async Task Gates_resolve_services_and_the_clock_from_the_container()
    {
        var clock = new FakeTimeProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton(new Measurement("value", 42, MetricUnit.Count));
        services.AddReleaseGates(g => g.AddGate("uses-services", sp => new ServiceGate(sp.GetRequiredService<Measurement>())));
        await using var provider = services.BuildServiceProvider();
        var report = await provider.GetRequiredService<IReleaseGateEvaluator>().EvaluateAsync(null, TestContext.Current.CancellationToken);
        Assert.Equal(clock.GetUtcNow(), report.StartedAt);
        Assert.Equal(42, report.Gates[0].Measurements[0].Value);
    }

    [Fact]
    public void Duplicates_across_calls_fail_when_the_evaluator_is_resolved()
    {
        var services = new ServiceCollection();
        services.AddReleaseGates(g => g.AddGate("a", TestGates.Returning(GateResult.Passed("ok"))));
        services.AddReleaseGates(g => g.AddGate("a", TestGates.Returning(GateResult.Passed("ok"))));
        using var provider = services.BuildServiceProvider();
        var ex = Assert.Throws<ReleaseGatesConfigurationException>(provider.GetRequiredService<IReleaseGateEvaluator>);
        Assert.Contains("'a'", ex.Message, StringComparison.Ordinal);
    }

    private sealed class ServiceGate(Measurement value) : IReleaseGate
    {
        public ValueTask<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
            => ValueTask.FromResult(GateResult.Passed("resolved", [new Measurement("value", value.Value, value.Unit)]));
    }
}
