namespace ReleaseGates;

/// <summary>How one round of a watch counts against the watch's limits.</summary>
public enum WatchRoundOutcome
{
    /// <summary>Every required gate passed or warned and the round was not NO-GO.</summary>
    Successful = 0,

    /// <summary>A required gate failed, or the round was NO-GO on its score.</summary>
    Failed = 1,

    /// <summary>No required gate failed, but one could not be evaluated (<see cref="GateStatus.Error"/>).</summary>
    Error = 2,

    /// <summary>No required gate failed or erred, but one had too little data to judge (<see cref="GateStatus.Skipped"/>).</summary>
    Inconclusive = 3,
}
