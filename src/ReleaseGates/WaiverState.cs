namespace ReleaseGates;

/// <summary>What a waiver did in an evaluation.</summary>
public enum WaiverState
{
    /// <summary>In force, and it covered at least one finding or measurement that would otherwise have counted against the release.</summary>
    Applied = 0,

    /// <summary>In force, but nothing it names fell short (or its gate was not evaluated): a waiver that may be removed.</summary>
    Unused = 1,

    /// <summary>Past its last day: it covered nothing, and what it named counts against the release again.</summary>
    Expired = 2,
}
