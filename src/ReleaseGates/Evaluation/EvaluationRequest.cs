namespace ReleaseGates;

/// <summary>What to evaluate and what to compare with.</summary>
public sealed class EvaluationRequest
{
    /// <summary>Evaluate only gates carrying at least one of these tags. Default: empty, meaning every gate.</summary>
    public ISet<string> Tags { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The report of an earlier release for relative conditions (<c>p(95) &lt;= +10%</c>). Default: none.</summary>
    public ReleaseReport? Baseline { get; set; }

    /// <summary>
    /// The report history: the baseline chosen from it by rule when <see cref="Baseline"/> is not given, and where the
    /// evaluation is recorded. Default: none.
    /// </summary>
    public EvaluationHistory? History { get; set; }

    /// <summary>
    /// Told when each gate starts, how far a long one got (a load probe's request count) and when it finishes, e.g. to
    /// show progress in a console. Called from the gates' threads; what it throws is ignored. Default: none.
    /// </summary>
    public IProgress<GateProgress>? Progress { get; set; }
}
