using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ReleaseGates;

/// <summary>
/// Runs the application's registered health checks through <see cref="HealthCheckService"/>: unhealthy fails the gate,
/// degraded warns; each entry is a measurement (its duration, held to nothing) with its description as findings.
/// </summary>
internal sealed class HealthChecksGate(HealthChecksGateOptions options) : IReleaseGate
{
    public async ValueTask<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        if (context.Services.GetService(typeof(HealthCheckService)) is not HealthCheckService service)
        {
            return GateResult.Error("No HealthCheckService is registered: call services.AddHealthChecks() and add checks, or remove this gate.");
        }

        var ran = 0;
        var report = await service.CheckHealthAsync(
            r =>
            {
                var selected = !r.Tags.Contains(ReleaseGatesHealthCheck.Tag)
                    && (options.HealthCheckTags.Count == 0 || r.Tags.Overlaps(options.HealthCheckTags))
                    && (options.Predicate?.Invoke(r) ?? true);
                if (selected)
                {
                    Interlocked.Increment(ref ran);
                }

                return selected;
            },
            cancellationToken).ConfigureAwait(false);
        if (ran == 0)
        {
            return GateResult.Error(options.HealthCheckTags.Count > 0
                ? $"No health check is registered with the tags {string.Join(", ", options.HealthCheckTags)}."
                : "No health check matches: nothing was checked.");
        }

        return Judge(report);
    }

    /// <summary>The verdict as a pure function of the health report.</summary>
    internal static GateResult Judge(HealthReport report)
    {
        var measurements = new List<Measurement>();
        var findings = new List<Finding>();
        foreach (var (name, entry) in report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var status = entry.Status switch
            {
                HealthStatus.Healthy => GateStatus.Passed,
                HealthStatus.Degraded => GateStatus.Warning,
                _ => GateStatus.Failed,
            };
            measurements.Add(new Measurement(name, entry.Duration.TotalMilliseconds, MetricUnit.Milliseconds) { Status = status, Target = entry.Description });
            if (entry.Status != HealthStatus.Healthy)
            {
                var detail = entry.Description ?? entry.Exception?.Message ?? "no description";
                if (entry.Exception is { } ex && entry.Description is not null)
                {
                    detail += $" ({ex.GetType().Name}: {ex.Message})";
                }

                findings.Add(new Finding(
                    entry.Status == HealthStatus.Degraded ? HealthChecksGateConstants.HealthDegraded : HealthChecksGateConstants.HealthUnhealthy,
                    entry.Status == HealthStatus.Degraded ? FindingSeverity.Warning : FindingSeverity.Error,
                    $"{name} is {entry.Status}: {detail}") { Target = name });
            }
        }

        var healthy = report.Entries.Count(e => e.Value.Status == HealthStatus.Healthy);
        return GateResult.FromEvidence($"{healthy} of {report.Entries.Count} health checks healthy (overall {report.Status}, {report.TotalDuration.TotalMilliseconds:0} ms)", measurements, findings);
    }
}
