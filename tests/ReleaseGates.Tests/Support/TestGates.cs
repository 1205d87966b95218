namespace ReleaseGates.Tests.Support;

/// <summary>Small gates for evaluator and report tests.</summary>
public static class TestGates
{
    public static GateReport Report(string name, GateStatus status, GateImportance importance = GateImportance.Required, string category = "quality", double weight = 1, bool reportOnly = false)
        => new() { Name = name, Category = category, Importance = importance, Status = status, Weight = weight, ReportOnly = reportOnly, Summary = $"{name} {status}" };

    /// <summary>A gate's context outside any evaluation, for reading a source directly: shared runs simply run, nobody hears progress.</summary>
    public static GateContext Context(string gate = "test") => new(gate, NoServices.Instance, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

    private sealed class NoServices : IServiceProvider
    {
        public static readonly NoServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }

    public static Func<GateContext, CancellationToken, ValueTask<GateResult>> Returning(GateResult result) => (_, _) => ValueTask.FromResult(result);

    public static GateResult LatencyResult(double p95Ms, string condition = "p(95) < 300ms warn 200ms")
        => GateResult.FromEvidence($"p95 {p95Ms} ms", [Measurement.Evaluate("p(95)", p95Ms, MetricUnit.Milliseconds, GateCondition.Parse(condition))]);
}
