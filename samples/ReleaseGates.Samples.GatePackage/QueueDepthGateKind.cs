namespace ReleaseGates.ThirdPartyGates;

/// <summary>
/// The package's file form: <c>"type": "queueDepth"</c> in <c>releasegates.json</c>. Its properties are the options'
/// (<c>maximumDepth</c>, <c>warningDepth</c>, <c>depthFile</c>, <c>queues</c> and every gate's own), bound and checked as a
/// built-in gate's are; <c>depthFile</c> is relative to the configuration file.
/// </summary>
public sealed class QueueDepthGateKind : GateKind<QueueDepthGateOptions>
{
    /// <summary>Creates the kind; the tool creates it by this constructor when it loads the package.</summary>
    public QueueDepthGateKind()
        : base("queueDepth")
    {
    }

    /// <inheritdoc />
    protected override void Register(IReleaseGatesBuilder builder, string name, QueueDepthGateOptions options) => builder.AddQueueDepth(name, options);

    /// <inheritdoc />
    protected override void Complete(QueueDepthGateOptions options, GateFileContext file)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(file);
        if (options.DepthFile is not null)
        {
            options.DepthFile = file.ResolvePath(options.DepthFile);
        }
    }
}
