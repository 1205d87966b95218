namespace ReleaseGates.IntegrationTests.Support;

/// <summary>
/// Tests that listen to process-wide metrics (HttpClient's request duration is published by every client in the
/// process) run alone, after the parallel ones, so that other tests' traffic to 127.0.0.1 is not counted in theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMetricsTests
{
    public const string Name = "process-wide metrics";
}
