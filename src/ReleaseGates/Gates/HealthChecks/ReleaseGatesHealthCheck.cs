using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ReleaseGates;

/// <summary>
/// Exposes the latest release decision as a health check (for a <c>/ready</c> probe): NO-GO is unhealthy, GO WITH
/// WARNINGS degraded, GO healthy. The report is cached and re-evaluated only when older than the interval, once at a
/// time, so a probe never re-runs the gates on every hit.
/// </summary>
internal sealed class ReleaseGatesHealthCheck(IReleaseGateEvaluator evaluator, TimeProvider time, TimeSpan interval) : IHealthCheck
{
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
            if (_report is { } cached && time.GetUtcNow() - _evaluatedAt < interval)
            {
                return Task.FromResult(cached);
            }

            // One evaluation at a time, shared by every probe that arrives while it runs; one caller's cancellation
            // stops its own wait, not the evaluation the others wait for.
            refresh = _inFlight ??= RefreshAsync();
        }

        return refresh.WaitAsync(cancellationToken);
    }

    private async Task<ReleaseReport> RefreshAsync()
    {
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
