namespace ReleaseGates;

/// <summary>One waiver's entry in a <see cref="ReleaseReport"/>: the waiver as configured, and what it did.</summary>
public sealed class WaiverReport
{
    /// <summary>The waiver.</summary>
    public required Waiver Waiver { get; init; }

    /// <summary>What it did in this evaluation.</summary>
    public WaiverState State { get; init; }

    /// <summary>
    /// How many findings and measurements it matched that fell short: those it covered when <see cref="WaiverState.Applied"/>,
    /// those it would have covered when <see cref="WaiverState.Expired"/>.
    /// </summary>
    public int Matches { get; init; }
}
