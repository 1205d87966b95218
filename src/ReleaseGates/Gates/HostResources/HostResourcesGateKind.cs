namespace ReleaseGates;

/// <summary><c>"type": "hostResources"</c> in <c>releasegates.json</c>: the disk path relative to the file.</summary>
internal sealed class HostResourcesGateKind() : GateKind<HostResourcesGateOptions>("hostResources")
{
    /// <inheritdoc />
    protected override void Register(IReleaseGatesBuilder builder, string name, HostResourcesGateOptions options) => builder.AddHostResources(name, options);

    /// <inheritdoc />
    protected override void Complete(HostResourcesGateOptions options,
        GateFileContext file) => options.DiskPath = options.DiskPath is null ? null : file.ResolvePath(options.DiskPath);
}
