namespace ReleaseGates;

/// <summary>Which measurements of a recorded evaluation a baseline took.</summary>
public enum BaselineUse
{
    /// <summary>All of them.</summary>
    All,

    /// <summary>
    /// All but the performance-like ones (durations under a minute, rates per second): it ran on a machine whose
    /// fingerprint does not match.
    /// </summary>
    AllButPerformance,

    /// <summary>
    /// Only the performance-like ones: newer evaluations on other machines gave the rest, and this is among the newest on
    /// a compatible machine.
    /// </summary>
    PerformanceOnly,
}
