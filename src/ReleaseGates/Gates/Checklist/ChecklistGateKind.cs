namespace ReleaseGates;

/// <summary><c>"type": "checklist"</c> in <c>releasegates.json</c>: checklist paths relative to the file.</summary>
internal sealed class ChecklistGateKind() : GateKind<ChecklistGateOptions>("checklist")
{
    /// <inheritdoc />
    protected override void Register(IReleaseGatesBuilder builder, string name, ChecklistGateOptions options) => builder.AddChecklist(name, options);

    /// <inheritdoc />
    protected override void Complete(ChecklistGateOptions options, GateFileContext file) => options.BaseDirectory = file.ResolvePath(options.BaseDirectory);
}
