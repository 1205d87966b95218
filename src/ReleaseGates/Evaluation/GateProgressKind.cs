namespace ReleaseGates;

/// <summary>What a <see cref="GateProgress"/> tells.</summary>
public enum GateProgressKind
{
    /// <summary>The gate started running (it got one of the evaluation's concurrency slots).</summary>
    Started,

    /// <summary>The gate is still running and says how far it got (<see cref="GateProgress.Detail"/>, e.g. a load probe's request count).</summary>
    Running,

    /// <summary>The gate ended; <see cref="GateProgress.Status"/> is its status.</summary>
    Finished,
}
