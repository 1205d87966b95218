using System.Collections.Concurrent;

namespace ReleaseGates;

/// <summary>
/// One evaluation's shared work: a source that several gates read (a load probe behind both the latency and the
/// error-rate gate) runs once per evaluation, and every gate reads the same run. The evaluator makes one per
/// evaluation and hands it to each gate in its <see cref="GateContext"/> (<see cref="GateContext.RunOnceAsync"/>).
/// </summary>
internal sealed class EvaluationScope(CancellationToken evaluationToken) : IEvaluationRuns
{
    private readonly ConcurrentDictionary<object, Lazy<Task<object>>> _shared = new(ReferenceEqualityComparer.Instance);

    /// <summary>Which round of a watch this evaluation is; null outside a watch.</summary>
    public WatchLook? Look { get; init; }

    /// <summary>
    /// The result of <paramref name="run"/> for <paramref name="key"/>, run once in this evaluation under the evaluation's
    /// token (one gate's timeout does not cancel the run the others wait for); each caller waits with its own token.
    /// </summary>
    public async Task<T> SharedAsync<T>(object key, Func<CancellationToken, Task<T>> run, CancellationToken cancellationToken)
        where T : class
    {
        var lazy = _shared.GetOrAdd(key,
            _ => new Lazy<Task<object>>(async () => await run(evaluationToken).ConfigureAwait(false), LazyThreadSafetyMode.ExecutionAndPublication));
        return (T)await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
