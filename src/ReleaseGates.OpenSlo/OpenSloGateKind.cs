namespace ReleaseGates;

/// <summary>
/// <c>"type": "openslo"</c> in <c>releasegates.json</c>: <c>{ "type": "openslo", "file": "slo.yaml" }</c>, the file's path
/// relative to the configuration file. The <c>release-gates</c> tool knows it; a host names it with <c>AddFromJsonFile</c>.
/// </summary>
public sealed class OpenSloGateKind : GateKind<OpenSloGateOptions>
{
    /// <summary>Creates the kind.</summary>
    public OpenSloGateKind()
        : base("openslo")
    {
    }

    /// <inheritdoc />
    protected override void Complete(OpenSloGateOptions options, GateFileContext file)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(file);
        if (options.File is { } path)
        {
            options.File = file.ResolvePath(path);
        }
    }

    /// <inheritdoc />
    protected override void Register(IReleaseGatesBuilder builder, string name, OpenSloGateOptions options) => builder.AddOpenSlo(name, options);
}
