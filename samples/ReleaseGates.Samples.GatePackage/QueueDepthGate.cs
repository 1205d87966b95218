using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ReleaseGates.ThirdPartyGates;

/// <summary>What the package's gate reads: the depth of a work queue.</summary>
public interface IQueueDepthReader
{
    /// <summary>The number of messages waiting.</summary>
    ValueTask<long> ReadAsync(CancellationToken cancellationToken);
}

/// <summary>The package's default reader, registered through the builder's services.</summary>
public sealed class FixedQueueDepthReader(long depth) : IQueueDepthReader
{
    /// <inheritdoc />
    public ValueTask<long> ReadAsync(CancellationToken cancellationToken) => ValueTask.FromResult(depth);
}

/// <summary>Options of the queue-depth gate, validated like the built-in gates' options.</summary>
public sealed class QueueDepthGateOptions : GateOptions
{
    /// <summary>Fail at or above this depth. Required, positive.</summary>
    public long? MaximumDepth { get; set; }

    /// <summary>Warn at or above this depth; below <see cref="MaximumDepth"/>.</summary>
    public long? WarningDepth { get; set; }

    /// <summary>
    /// A file that holds the depth as a number, read when the gate is evaluated: how a pipeline hands the gate a depth it
    /// measured. When set, the registered <see cref="IQueueDepthReader"/> is not used.
    /// </summary>
    public string? DepthFile { get; set; }

    /// <summary>The queues the depth is summed over, named in the summary. Default: <c>default</c>.</summary>
    public IList<string> Queues { get; private set; } = ["default"];

    /// <inheritdoc />
    protected override GateOptions Clone()
    {
        // The base copies every field; a collection of our own needs a copy of its own, or the gate would share it.
        var copy = (QueueDepthGateOptions)base.Clone();
        copy.Queues = [.. Queues];
        return copy;
    }

    /// <inheritdoc />
    protected override void Validate(ICollection<string> problems)
    {
        base.Validate(problems);
        if (MaximumDepth is not > 0)
        {
            problems.Add($"{nameof(MaximumDepth)} must be set and positive, but was {MaximumDepth?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}.");
        }

        if (WarningDepth is { } warning && MaximumDepth is { } maximum && warning >= maximum)
        {
            problems.Add($"{nameof(WarningDepth)} ({warning}) must be below {nameof(MaximumDepth)} ({maximum}).");
        }
    }
}

/// <summary>The depth written in a file; a file that does not hold a number is the gate's <c>Error</c>.</summary>
internal sealed class FileQueueDepthReader(string path) : IQueueDepthReader
{
    public async ValueTask<long> ReadAsync(CancellationToken cancellationToken)
    {
        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return long.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var depth)
            ? depth
            : throw new InvalidDataException($"{path} does not hold a queue depth (a whole number).");
    }
}

/// <summary>The gate: the queue depth held to <c>depth &lt; maximum warn warning</c>.</summary>
internal sealed class QueueDepthGate(QueueDepthGateOptions options, IQueueDepthReader reader) : IReleaseGate
{
    public async ValueTask<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        var depth = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var condition = GateCondition.LessThan("depth", options.MaximumDepth!.Value, MetricUnit.Count);
        if (options.WarningDepth is { } warning)
        {
            condition = condition.WithWarning(warning, MetricUnit.Count);
        }

        return GateResult.FromEvidence($"{depth} messages waiting in {string.Join(", ", options.Queues)}", [Measurement.Evaluate("depth", depth, MetricUnit.Count, condition)]);
    }
}

/// <summary>The package's registration, the same shape as <c>AddCoverage</c> or <c>AddLatency</c>.</summary>
public static class QueueDepthReleaseGatesBuilderExtensions
{
    /// <summary>Adds a queue-depth gate; registers the package's default reader when the builder has services.</summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate name.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AddQueueDepth<TBuilder>(this TBuilder builder, string name, Action<QueueDepthGateOptions> configure)
        where TBuilder : IReleaseGatesBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services?.TryAddSingleton<IQueueDepthReader>(new FixedQueueDepthReader(0));
        return builder.AddGate<TBuilder, QueueDepthGateOptions>(name, configure, Create);
    }

    /// <summary>Adds a queue-depth gate with an options instance (copied, then validated), as <c>releasegates.json</c> does.</summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate name.</param>
    /// <param name="options">The options.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AddQueueDepth<TBuilder>(this TBuilder builder, string name, QueueDepthGateOptions options)
        where TBuilder : IReleaseGatesBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services?.TryAddSingleton<IQueueDepthReader>(new FixedQueueDepthReader(0));
        return builder.AddGate<TBuilder, QueueDepthGateOptions>(name, options, Create);
    }

    private static QueueDepthGate Create(QueueDepthGateOptions options, IServiceProvider services) =>
        new(options, options.DepthFile is { } file
            ? new FileQueueDepthReader(file)
            : services.GetService<IQueueDepthReader>() ?? throw new InvalidOperationException("No IQueueDepthReader is registered, and no DepthFile is set."));
}
