using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

#pragma warning disable CA1812 // instantiated by the docs example's registration

// docs/custom-gates.md, "A gate package": the block is compiled here unchanged.
namespace ReleaseGates.ThirdPartyGates.DocsExample;

public interface IQueueDepthReader
{
    ValueTask<long> ReadAsync(CancellationToken cancellationToken);
}

internal sealed class BrokerQueueDepthReader : IQueueDepthReader
{
    public ValueTask<long> ReadAsync(CancellationToken cancellationToken) => ValueTask.FromResult(0L);
}

internal sealed class QueueDepthGate(QueueDepthGateOptions options, IQueueDepthReader reader) : IReleaseGate
{
    public async ValueTask<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        var depth = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var condition = GateCondition.LessThan("depth", options.MaximumDepth!.Value, MetricUnit.Count);
        return GateResult.FromEvidence($"{depth} waiting in {string.Join(", ", options.Queues)}", [Measurement.Evaluate("depth", depth, MetricUnit.Count, condition)]);
    }
}

public sealed class QueueDepthGateOptions : GateOptions
{
    public long? MaximumDepth { get; set; }

    public string? DepthFile { get; set; }

    public IList<string> Queues { get; private set; } = ["default"];

    protected override void Validate(ICollection<string> problems)
    {
        base.Validate(problems);
        if (MaximumDepth is not > 0)
        {
            problems.Add($"{nameof(MaximumDepth)} must be set and positive.");
        }
    }

    protected override GateOptions Clone()
    {
        var copy = (QueueDepthGateOptions)base.Clone();
        copy.Queues = [.. Queues];
        return copy;
    }
}

public static class QueueDepthReleaseGatesBuilderExtensions
{
    public static TBuilder AddQueueDepth<TBuilder>(this TBuilder builder, string name, Action<QueueDepthGateOptions> configure)
        where TBuilder : IReleaseGatesBuilder
    {
        builder.Services?.TryAddSingleton<IQueueDepthReader, BrokerQueueDepthReader>();
        return builder.AddGate<TBuilder, QueueDepthGateOptions>(name, configure, (options, services) =>
            new QueueDepthGate(options, services.GetRequiredService<IQueueDepthReader>()));
    }
}

// docs/custom-gates.md, "In releasegates.json too": the kind and its use, compiled here unchanged.
public static class QueueDepthInstanceExtensions
{
    public static TBuilder AddQueueDepth<TBuilder>(this TBuilder builder, string name, QueueDepthGateOptions options)
        where TBuilder : IReleaseGatesBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services?.TryAddSingleton<IQueueDepthReader, BrokerQueueDepthReader>();
        return builder.AddGate(name, options, (QueueDepthGateOptions frozen, IServiceProvider services) =>
            new QueueDepthGate(frozen, services.GetService<IQueueDepthReader>() ?? new BrokerQueueDepthReader()));
    }
}

public sealed class QueueDepthGateKind : GateKind<QueueDepthGateOptions>
{
    public QueueDepthGateKind() : base("queueDepth") { }

    protected override void Register(IReleaseGatesBuilder builder, string name, QueueDepthGateOptions options) =>
        builder.AddQueueDepth(name, options);

    // Optional: runs after binding succeeded, before registration.
    protected override void Complete(QueueDepthGateOptions options, GateFileContext file)
    {
        if (options.DepthFile is not null)
        {
            options.DepthFile = file.ResolvePath(options.DepthFile);   // relative to releasegates.json
        }
    }
}

public static class QueueDepthKindExample
{
    public static async Task<ReleaseReport> RunAsync()
    {
        var report = await ReleaseGate.CreateBuilder()
            .AddFromJsonFile("releasegates.json", new QueueDepthGateKind())
            .EvaluateAsync();
        return report;
    }
}
