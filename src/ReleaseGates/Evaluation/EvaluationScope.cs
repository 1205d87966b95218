using System.Collections.Concurrent;

namespace ReleaseGates;

/// <summary>
/// One evaluation's shared work: a source that several gates read (a load probe behind both the latency and the
/// error-rate gate) runs once per evaluation, and every gate reads the same run. Flows to the gates through the
/// execution context; outside an evaluation there is no scope and every read runs anew.
/// </summary>
internal sealed class EvaluationScope(CancellationToken evaluationToken)
{
    private static readonly AsyncLocal<EvaluationScope?> CurrentScope = new();
    private readonly ConcurrentDictionary<object, Lazy<Task<object>>> _shared = new(ReferenceEqualityComparer.Instance);

    /// <summary>The scope of the evaluation the caller runs in, if any.</summary>
    public static EvaluationScope? Current => CurrentScope.Value;

    /// <summary>Starts a scope for the rest of the calling async flow (the evaluator's <c>EvaluateAsync</c>).</summary>
    public static void Begin(CancellationToken evaluationToken) => CurrentScope.Value = new EvaluationScope(evaluationToken);

    /// <summary>
    /// The result of <paramref name="run"/> for <paramref name="key"/>, run once in this evaluation under the evaluation's
    /// token (one gate's timeout does not cancel the run the others wait for); each caller waits with its own token.
    /// </summary>
    public async Task<T> SharedAsync<T>(object key, Func<CancellationToken, Task<T>> run, CancellationToken cancellationToken)
        where T : class
    {
        var lazy = _shared.GetOrAdd(key, _ => new Lazy<Task<object>>(async () => await run(evaluationToken).ConfigureAwait(false), LazyThreadSafetyMode.ExecutionAndPublication));
        return (T)await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
