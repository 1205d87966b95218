namespace ReleaseGates;

/// <summary>One evaluation's shared work, as a <see cref="GateContext"/> reaches it (the evaluator implements it).</summary>
internal interface IEvaluationRuns
{
    /// <summary>The result of <paramref name="run"/> for <paramref name="key"/>, run once in this evaluation; each caller waits with its own token.</summary>
    Task<T> SharedAsync<T>(object key, Func<CancellationToken, Task<T>> run, CancellationToken cancellationToken)
        where T : class;
}
