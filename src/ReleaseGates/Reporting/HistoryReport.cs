namespace ReleaseGates;

/// <summary>
/// What the report history did in an evaluation: the machine's fingerprint, the baseline rule and the evaluations the
/// baseline was built from, whether the evaluation was recorded, and what went wrong. Part of the report, so that a
/// replayed report shows where its baseline values came from without the history.
/// </summary>
public sealed record HistoryReport
{
    /// <summary>
    /// <see cref="GateStatus.Passed"/> when the history did what was asked; <see cref="GateStatus.Skipped"/> when a baseline
    /// was asked for and none was found (relative conditions are then inconclusive); <see cref="GateStatus.Error"/> when the
    /// history could not be read or written (<see cref="Problems"/> says why).
    /// </summary>
    public GateStatus Status { get; init; } = GateStatus.Passed;

    /// <summary>The store, described without credentials: <c>SQLite .releasegates/history.db</c>, <c>PostgreSQL db.internal:5432/gates</c>.</summary>
    public string Store { get; init; } = "";

    /// <summary>The machine this evaluation ran on.</summary>
    public EnvironmentFingerprint? Fingerprint { get; init; }

    /// <summary>The baseline rule, such as <c>median of 5</c>; <see langword="null"/> when no baseline was asked of the history.</summary>
    public string? BaselineRule { get; init; }

    /// <summary>The fingerprint fields a performance-like baseline had to match.</summary>
    public FingerprintFields FingerprintFields { get; init; } = FingerprintFields.Default;

    /// <summary>The evaluations the baseline was built from, newest first; empty when there is no baseline.</summary>
    public IReadOnlyList<BaselineSource> Baseline { get; init; } = [];

    /// <summary>How the baseline's values were combined: <c>median</c>, <c>mean</c> or <c>single</c>.</summary>
    public string? Aggregate { get; init; }

    /// <summary>
    /// Notes on the baseline a reader should see: no passing evaluation yet, candidates skipped for another machine
    /// (naming what differed), evaluations invalidated. Empty when there is nothing to say.
    /// </summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>
    /// Why the baseline could not be read from the history (credentials removed), or <see langword="null"/>. Relative conditions
    /// were then not compared, so the decision is at most GO WITH WARNINGS, with this as its first reason: a broken history
    /// never lets a comparison pass unseen.
    /// </summary>
    public string? BaselineError { get; init; }

    /// <summary>What went wrong writing the evaluation to the history (credentials removed). Empty when nothing did.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>
    /// This evaluation's decision as a baseline for later ones: its decision with relative conditions that had nothing to
    /// compare with counted as met, so that a service's first evaluation can be a passing baseline. Never better than the
    /// evaluation's evidence otherwise allows.
    /// </summary>
    public ReleaseDecision? BaselineDecision { get; init; }

    /// <summary>
    /// Each measurement's values in the evaluations recorded before this one (same service and environment, invalidated ones
    /// left out), newest first: the previous value, the change and the trend. Empty when there are none.
    /// </summary>
    public IReadOnlyList<MeasurementTrend> Trends { get; init; } = [];

    /// <summary>The id this evaluation was recorded under; <see langword="null"/> when it was not recorded (yet).</summary>
    public long? RecordedId { get; init; }
}
