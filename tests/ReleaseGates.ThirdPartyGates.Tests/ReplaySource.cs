using ReleaseGates.Metrics;

namespace ReleaseGates.ThirdPartyGates;

// docs/custom-gates.md, "A source of your own": compiled here against the public API only.
public sealed class ReplaySource(string capture) : RequestMetricsSource
{
    public override RequestMetricsCapabilities Capabilities => RequestMetricsCapabilities.Latency | RequestMetricsCapabilities.Errors;

    public override string Description => $"replay of {capture}";

    public override async ValueTask<RequestMetrics> ReadAsync(GateContext context, CancellationToken cancellationToken)
        => await context.RunOnceAsync(this, async token =>
        {
            var latency = new LatencyHistogram();
            long total = 0, errors = 0;
            foreach (var (milliseconds, status) in await CaptureReader.ReadAsync(capture, token))
            {
                latency.RecordMilliseconds(milliseconds);
                (total, errors) = (total + 1, errors + (status >= 500 ? 1 : 0));
                if (total % 10_000 == 0)
                {
                    context.ReportProgress($"{total:N0} requests replayed");
                }
            }

            return new RequestMetrics { Latency = latency, Total = total, Errors = errors };
        }, cancellationToken);
}

/// <summary>A capture as lines of <c>milliseconds,status</c>; counts how often it was read.</summary>
public static class CaptureReader
{
    private static int _reads;

    public static int Reads => Volatile.Read(ref _reads);

    public static async Task<IReadOnlyList<(double Milliseconds, int Status)>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        var lines = await File.ReadAllLinesAsync(path, cancellationToken);
        return [.. lines.Where(l => l.Length > 0).Select(l => l.Split(',')).Select(p => (double.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)))];
    }
}

public static class ReplaySourceDocs
{
    public static IReleaseGatesBuilder Register(IReleaseGatesBuilder builder)
    {
        var replay = new ReplaySource("checkout.capture");
        builder.AddLatency("latency", o => { o.Source = replay; o.Conditions.Add("p(95) < 300ms"); })
               .AddErrorRate("errors", o => { o.Source = replay; o.MaximumRate = 0.01; });
        return builder;
    }
}
