namespace ReleaseGates;

/// <summary><c>"type": "testResults"</c> in <c>releasegates.json</c>: result paths relative to the file.</summary>
internal sealed class TestResultsGateKind() : GateKind<TestResultsGateOptions>("testResults")
{
    /// <inheritdoc />
    protected override void Register(IReleaseGatesBuilder builder, string name, TestResultsGateOptions options) => builder.AddTestResults(name, options);

    /// <inheritdoc />
    protected override void Complete(TestResultsGateOptions options, GateFileContext file) => options.BaseDirectory = file.ResolvePath(options.BaseDirectory);
}
