using Microsoft.Extensions.DependencyInjection;

namespace ReleaseGates.ThirdPartyGates;

/// <summary>A gate from another package registers, validates and evaluates exactly as the built-in ones do.</summary>
public class QueueDepthGateTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Registers_its_dependency_through_the_builders_services_and_evaluates_in_a_host()
    {
        var services = new ServiceCollection();
        services.AddReleaseGates(gates => gates.AddQueueDepth("orders-queue", o => { o.MaximumDepth = 1000; o.WarningDepth = 100; }));
        await using var provider = services.BuildServiceProvider();

        Assert.IsType<FixedQueueDepthReader>(provider.GetRequiredService<IQueueDepthReader>());
        var report = await provider.GetRequiredService<IReleaseGateEvaluator>().EvaluateAsync(cancellationToken: Ct);
        Assert.Equal(GateStatus.Passed, report.Gates.Single().Status);
        Assert.Equal("depth < 1000count warn 100count", report.Gates.Single().Measurements.Single().Condition!.ToString());
    }

    [Fact]
    public async Task Uses_the_applications_own_reader_when_it_registered_one()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IQueueDepthReader>(new FixedQueueDepthReader(5000));
        services.AddReleaseGates(gates => gates.AddQueueDepth("orders-queue", o => o.MaximumDepth = 1000));
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<IReleaseGateEvaluator>().EvaluateAsync(cancellationToken: Ct);
        Assert.Equal(GateStatus.Failed, report.Gates.Single().Status);
        Assert.Equal(ReleaseDecision.NoGo, report.Decision);
    }

    [Fact]
    public void Invalid_options_are_all_listed_at_registration_as_for_a_built_in_gate()
    {
        var error = Assert.Throws<ReleaseGatesConfigurationException>(() => ReleaseGate.CreateBuilder()
            .AddQueueDepth("orders-queue", o => { o.MaximumDepth = 10; o.WarningDepth = 50; o.Weight = -1; }));
        Assert.Contains(error.Problems, p => p.Contains("WarningDepth (50) must be below MaximumDepth (10)", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("Weight", StringComparison.Ordinal));
        Assert.Contains("orders-queue", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_container_the_builder_has_no_services_and_the_gate_says_what_is_missing()
    {
        var builder = ReleaseGate.CreateBuilder();
        Assert.Null(((IReleaseGatesBuilder)builder).Services);
        var report = await builder.AddQueueDepth("orders-queue", o => o.MaximumDepth = 1000).EvaluateAsync(Ct);
        Assert.Equal(GateStatus.Error, report.Gates.Single().Status);
        Assert.Contains("No IQueueDepthReader is registered", report.Gates.Single().Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_changed_after_registration_reach_neither_the_gate_nor_the_report()
    {
        QueueDepthGateOptions? kept = null;
        var evaluator = ReleaseGate.CreateBuilder()
            .UseServices(new ServiceCollection().AddSingleton<IQueueDepthReader>(new FixedQueueDepthReader(5000)).BuildServiceProvider())
            .AddQueueDepth("orders-queue", o => { o.MaximumDepth = 1000; o.Queues.Add("orders"); kept = o; })
            .Build();

        kept!.MaximumDepth = 1_000_000;
        kept.Queues.Clear();
        kept.Queues.Add("late");
        kept.Weight = -5;

        var gate = (await evaluator.EvaluateAsync(null, Ct)).Gates.Single();
        Assert.Equal(GateStatus.Failed, gate.Status);
        Assert.Equal("5000 messages waiting in default, orders", gate.Summary);
        Assert.Equal(1, gate.Weight);
    }
}
