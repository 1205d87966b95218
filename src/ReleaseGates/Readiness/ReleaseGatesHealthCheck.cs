using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ReleaseGates;

/// <summary>
/// Exposes the latest release decision as a health check (for a <c>/ready</c> probe): NO-GO is unhealthy, GO WITH
/// WARNINGS degraded, GO healthy. Stale-while-revalidate: once a decision exists, every probe answers at once with the
/// latest one, and a decision older than the interval starts one re-evaluation in the background (single-flight), so a
/// probe with a 1 s timeout never waits for gates that take 3 s. Only the very first probe waits for a decision.
/// </summary>
internal sealed class ReleaseGatesHealthCheck(IReleaseGateEvaluator evaluator, TimeProvider time, TimeSpan interval) : IHealthCheck
{
    /// <summary>The tag of readiness checks, so that the health-checks gate never runs the release decision inside itself.</summary>
    internal const string Tag = "releasegates.readiness";

    private readonly object _lock = new();
    private ReleaseReport? _report;
    private DateTimeOffset _evaluatedAt;
    private Task<ReleaseReport>? _inFlight;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var report = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        var data = new Dictionary<string, object>
        {
            ["decision"] = report.Decision.ToString(),
            ["score"] = report.Score ?? double.NaN,
            ["evaluatedAt"] = _evaluatedAt,
            ["refreshing"] = Volatile.Read(ref _inFlight) is not null,
            ["reasons"] = report.Reasons.ToArray(),
            ["decidingGates"] = report.DecidingGates.ToArray(),
        };
        var description = report.ToString();
        return report.Decision switch
        {
            ReleaseDecision.Go => HealthCheckResult.Healthy(description, data),
            ReleaseDecision.GoWithWarnings => HealthCheckResult.Degraded(description, data: data),
            _ => new HealthCheckResult(context.Registration.FailureStatus, description, data: data),
        };
    }

    private Task<ReleaseReport> CurrentAsync(CancellationToken cancellationToken)
    {
        Task<ReleaseReport> refresh;
        lock (_lock)
        {
            if (_report is { } cached)
            {
                if (time.GetUtcNow() - _evaluatedAt >= interval && _inFlight is null)
                {
                    // Revalidate in the background; a failed re-evaluation keeps the last decision and is tried again
                    // by the next probe.
                    _inFlight = RefreshAsync();
                    _inFlight.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                        TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }

                return Task.FromResult(cached);
            }

            // The first decision: one evaluation, shared by every probe that arrives while it runs; one caller's
            // cancellation stops its own wait, not the evaluation the others wait for.
            refresh = _inFlight ??= RefreshAsync();
        }

        return refresh.WaitAsync(cancellationToken);
    }

    private async Task<ReleaseReport> RefreshAsync()
    {
        await Task.Yield();
        try
        {
            var report = await evaluator.EvaluateAsync(null, CancellationToken.None).ConfigureAwait(false);
            lock (_lock)
            {
                _report = report;
                _evaluatedAt = time.GetUtcNow();
            }

            return report;
        }
        finally
        {
            lock (_lock)
            {
                _inFlight = null;
            }
        }
    }
}
