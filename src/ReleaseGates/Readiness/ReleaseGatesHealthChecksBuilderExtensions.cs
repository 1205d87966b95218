using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ReleaseGates;

/// <summary>Exposes the release decision as a health check, for a readiness probe.</summary>
public static class ReleaseGatesHealthChecksBuilderExtensions
{
    /// <summary>
    /// Registers the release decision as a health check: NO-GO → unhealthy (or <paramref name="failureStatus"/>), GO WITH
    /// WARNINGS → degraded, GO → healthy, with the decision, score, reasons and deciding gates in
    /// <see cref="HealthCheckResult.Data"/>. Needs <c>services.AddReleaseGates(...)</c>. The report is cached for
    /// <paramref name="reevaluateInterval"/>, so a readiness probe never re-runs the gates on every hit.
    /// </summary>
    /// <param name="builder">The health-checks builder.</param>
    /// <param name="name">The check's name. Default: <c>release-gates</c>.</param>
    /// <param name="reevaluateInterval">How long a report is reused. Default: 5 minutes.</param>
    /// <param name="failureStatus">The status of a NO-GO. Default: <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags of the check (for example <c>ready</c>).</param>
    /// <returns>The health-checks builder.</returns>
    public static IHealthChecksBuilder AddReleaseGates(this IHealthChecksBuilder builder, string name = "release-gates",
        TimeSpan? reevaluateInterval = null, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var interval = reevaluateInterval ?? TimeSpan.FromMinutes(5);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero, nameof(reevaluateInterval));
        builder.Services.TryAddSingleton<ReadinessChecks>();
        var registration = new HealthCheckRegistration(
            name,
            sp => sp.GetRequiredService<ReadinessChecks>().Checks.GetOrAdd(name,
                _ => new ReleaseGatesHealthCheck(sp.GetRequiredService<IReleaseGateEvaluator>(),
                sp.GetService<TimeProvider>() ?? TimeProvider.System, interval)),
            failureStatus ?? HealthStatus.Unhealthy,
            [.. tags ?? [], ReleaseGatesHealthCheck.Tag]);
        return builder.Add(registration);
    }

    /// <summary>The readiness checks of one service provider, by name: they hold the cached report.</summary>
    private sealed class ReadinessChecks
    {
        public ConcurrentDictionary<string, ReleaseGatesHealthCheck> Checks { get; } = new(StringComparer.Ordinal);
    }
}
