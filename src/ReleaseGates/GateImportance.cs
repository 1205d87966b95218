namespace ReleaseGates;

/// <summary>How much a gate weighs in the release decision: the tiers of a hand-written readiness review.</summary>
public enum GateImportance
{
    /// <summary>Tier 1, must have: a <see cref="GateStatus.Failed"/> or <see cref="GateStatus.Error"/> result is NO-GO.</summary>
    Required = 0,

    /// <summary>Tier 2, recommended: a failure lowers the score and gives at best GO WITH WARNINGS.</summary>
    Recommended = 1,

    /// <summary>Tier 3, optional: a failure lowers the score and gives at best GO WITH WARNINGS.</summary>
    Optional = 2,
}
