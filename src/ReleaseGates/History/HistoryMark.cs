namespace ReleaseGates;

/// <summary>A dated mark on a recorded evaluation: who invalidated, pinned or blessed it, when and why.</summary>
/// <param name="Kind">What the mark says.</param>
/// <param name="MarkedAt">When it was added.</param>
/// <param name="MarkedBy">Who added it.</param>
/// <param name="Reason">Why; empty when none was given.</param>
public sealed record HistoryMark(HistoryMarkKind Kind, DateTimeOffset MarkedAt, string MarkedBy, string Reason);
