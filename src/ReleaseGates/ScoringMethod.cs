namespace ReleaseGates;

/// <summary>How a gate's score is computed and how much a warning weighs in the decision. See <c>docs/scoring.md</c>.</summary>
public enum ScoringMethod
{
    /// <summary>
    /// The default: a gate scores by its status (passed 100, warning <see cref="ScoringOptions.WarningGateScore"/>, failed
    /// and error 0), and any warning, or any failure of a gate that is not required, makes the decision GO WITH WARNINGS.
    /// </summary>
    Status,

    /// <summary>
    /// Keptn's objective scoring: every measurement held to a condition, and every error or warning finding, is an
    /// objective (pass 1, warning 0.5, fail 0), and a gate scores its objectives' share. The total at or above the pass
    /// score with no required gate failed is GO, even with warnings or failures of recommended and optional gates.
    /// </summary>
    Objectives,
}
