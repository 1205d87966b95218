namespace ReleaseGates.Tests.Support;

/// <summary>Evaluates a request-metrics source through the gate that reads it, as a user's registration would.</summary>
public static class SourceGates
{
    /// <summary>The report of a latency gate over <paramref name="source"/> holding <paramref name="conditions"/>.</summary>
    public static async Task<GateReport> Latency(RequestMetricsSource source, params string[] conditions)
        => (await ReleaseGate.CreateBuilder()
            .AddLatency("latency", o =>
            {
                o.Source = source;
                foreach (var c in conditions)
                {
                    o.Conditions.Add(c);
                }
            })
            .EvaluateAsync(TestContext.Current.CancellationToken)).Gates[0];
}
