namespace ReleaseGates;

/// <summary>One recorded evaluation as a history lists it: what it was about, its decision and machine, and its marks.</summary>
public sealed record HistoryEntry
{
    /// <summary>The id the store gave it; increasing in the order evaluations were recorded.</summary>
    public long Id { get; init; }

    /// <summary>What was released: service, version, commit, environment, branch.</summary>
    public ReleaseSubject Subject { get; init; } = new();

    /// <summary>When the evaluation started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When it was recorded.</summary>
    public DateTimeOffset RecordedAt { get; init; }

    /// <summary>Its decision.</summary>
    public ReleaseDecision Decision { get; init; }

    /// <summary>
    /// Its decision as a baseline for later evaluations (<see cref="HistoryReport.BaselineDecision"/>): relative conditions
    /// that had nothing to compare with counted as met. Equal to <see cref="Decision"/> otherwise.
    /// </summary>
    public ReleaseDecision BaselineDecision { get; init; }

    /// <summary>Its overall score, or <see langword="null"/> when no gate was scored.</summary>
    public double? Score { get; init; }

    /// <summary>The machine it ran on.</summary>
    public EnvironmentFingerprint Fingerprint { get; init; } = new();

    /// <summary>Its marks, oldest first.</summary>
    public IReadOnlyList<HistoryMark> Marks { get; init; } = [];

    /// <summary>Whether it was invalidated (and so is never a baseline).</summary>
    public bool IsInvalidated => Marks.Any(m => m.Kind == HistoryMarkKind.Invalidated);

    /// <summary>When it was last marked <paramref name="kind"/>, or <see langword="null"/>.</summary>
    /// <param name="kind">The mark.</param>
    /// <returns>The time of the latest such mark.</returns>
    public DateTimeOffset? LastMarked(HistoryMarkKind kind)
        => Marks.Where(m => m.Kind == kind).Select(m => (DateTimeOffset?)m.MarkedAt).DefaultIfEmpty(null).Max();
}
