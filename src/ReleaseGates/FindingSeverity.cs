namespace ReleaseGates;

/// <summary>The severity of a <see cref="Finding"/>. Ordered from least to most severe.</summary>
public enum FindingSeverity
{
    /// <summary>Worth knowing; does not affect the gate's status.</summary>
    Info = 0,

    /// <summary>A weakness: lowers the gate's status to at most <see cref="GateStatus.Warning"/>.</summary>
    Warning = 1,

    /// <summary>A defect: lowers the gate's status to <see cref="GateStatus.Failed"/>.</summary>
    Error = 2,
}
