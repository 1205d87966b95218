namespace ReleaseGates;

/// <summary><c>"type": "coverage"</c> in <c>releasegates.json</c>: report paths relative to the file.</summary>
internal sealed class CoverageGateKind : GateKind<CoverageGateOptions>
{
    /// <summary>Creates the kind, declaring the classes its options hold.</summary>
    public CoverageGateKind()
        : base("coverage")
    {
        AddOptionsType<DiffCoverageOptions>();
    }

    /// <inheritdoc />
    protected override void Register(IReleaseGatesBuilder builder, string name, CoverageGateOptions options) => builder.AddCoverage(name, options);

    /// <inheritdoc />
    protected override void Complete(CoverageGateOptions options, GateFileContext file) => options.BaseDirectory = file.ResolvePath(options.BaseDirectory);
}
