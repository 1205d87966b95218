namespace ReleaseGates;

/// <summary>
/// The history of a watch (<see cref="IReleaseGateEvaluator.WatchAsync"/>): every round, why it stopped, and the verdict
/// the limits gave. A report that carries one shows its last round's gates; its decision is the watch's.
/// </summary>
public sealed class WatchSummary
{
    /// <summary>Every round, in order.</summary>
    public IReadOnlyList<WatchRound> Rounds { get; init; } = [];

    /// <summary>The watch's verdict from its limits; <see cref="ReleaseReport.Decision"/> is never better than this.</summary>
    public ReleaseDecision Decision { get; init; }

    /// <summary>Whether a limit ended the watch before its count or duration.</summary>
    public bool StoppedEarly { get; init; }

    /// <summary>Why the watch ended and with which verdict, in a sentence.</summary>
    public string Reason { get; init; } = "";
}
