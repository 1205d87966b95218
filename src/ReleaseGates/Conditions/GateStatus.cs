namespace ReleaseGates;

/// <summary>
/// The outcome of a gate, a measurement or a condition. Ordered worst to best so that the
/// aggregate of several statuses is their minimum.
/// </summary>
public enum GateStatus
{
    /// <summary>The gate could not evaluate: bad input, an unreachable target, a timeout or an exception.</summary>
    Error = 0,

    /// <summary>The gate evaluated and the release fell short of a failure threshold.</summary>
    Failed = 1,

    /// <summary>The gate evaluated and a warning threshold was crossed, but no failure threshold.</summary>
    Warning = 2,

    /// <summary>Inconclusive: the gate had no data to judge (for example zero samples or no baseline). Never a pass.</summary>
    Skipped = 3,

    /// <summary>The gate evaluated and every condition held.</summary>
    Passed = 4,
}
