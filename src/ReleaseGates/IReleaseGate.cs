namespace ReleaseGates;

/// <summary>
/// A release gate: one check that turns evidence (a report file, a load test, an HTTP response, a database catalog)
/// into a <see cref="GateResult"/>.
/// </summary>
/// <remarks>
/// A gate reports what it measured; it never renders, scores the release or looks at other gates. A gate that cannot
/// evaluate returns <see cref="GateResult.Error(string, Exception?)"/> (or throws: the evaluator converts the exception).
/// </remarks>
public interface IReleaseGate
{
    /// <summary>Evaluates the gate.</summary>
    /// <param name="context">The gate's name, services, clock, logger and baseline.</param>
    /// <param name="cancellationToken">Signals the gate's timeout or the caller's cancellation.</param>
    /// <returns>The gate's result.</returns>
    ValueTask<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken);
}
