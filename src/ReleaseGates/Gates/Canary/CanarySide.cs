namespace ReleaseGates;

/// <summary>The two sides a canary judge compares.</summary>
public enum CanarySide
{
    /// <summary>The version in production (Kayenta's control).</summary>
    Baseline,

    /// <summary>The version being rolled out (Kayenta's experiment).</summary>
    Canary,
}
