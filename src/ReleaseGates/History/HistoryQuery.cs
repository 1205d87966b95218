namespace ReleaseGates;

/// <summary>Which recorded evaluations to list. Every filter left <see langword="null"/> matches all.</summary>
public sealed class HistoryQuery
{
    /// <summary>The largest <see cref="Limit"/>: 10,000.</summary>
    public const int MaximumLimit = 10_000;

    /// <summary>Only this service (ordinal).</summary>
    public string? Service { get; set; }

    /// <summary>Only this environment (ordinal).</summary>
    public string? Environment { get; set; }

    /// <summary>Only this branch (ordinal).</summary>
    public string? Branch { get; set; }

    /// <summary>Only this version (ordinal).</summary>
    public string? Version { get; set; }

    /// <summary>Only these decisions; empty for all.</summary>
    public ISet<ReleaseDecision> Decisions { get; } = new HashSet<ReleaseDecision>();

    /// <summary>
    /// Whether <see cref="Decisions"/> filters on each evaluation's decision as a baseline (<see cref="HistoryEntry.BaselineDecision"/>)
    /// rather than its decision. Default: its decision.
    /// </summary>
    public bool ByBaselineDecision { get; set; }

    /// <summary>Only evaluations that started at or after this time.</summary>
    public DateTimeOffset? Since { get; set; }

    /// <summary>Only evaluations that started before this time.</summary>
    public DateTimeOffset? Until { get; set; }

    /// <summary>Whether invalidated evaluations are listed too. Default: <see langword="true"/>.</summary>
    public bool IncludeInvalidated { get; set; } = true;

    /// <summary>Only evaluations with a mark of this kind.</summary>
    public HistoryMarkKind? MarkedAs { get; set; }

    /// <summary>At most this many, the newest. Default 50; at most <see cref="MaximumLimit"/>.</summary>
    public int Limit { get; set; } = 50;

    /// <summary>Throws when the limit is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Limit"/> is not 1 to <see cref="MaximumLimit"/>.</exception>
    public void Validate()
    {
        if (Limit is < 1 or > MaximumLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(Limit), Limit, $"The limit must be 1 to {MaximumLimit}.");
        }
    }
}
