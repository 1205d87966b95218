namespace ReleaseGates;

/// <summary>The release decision. Ordered worst to best.</summary>
public enum ReleaseDecision
{
    /// <summary>Do not release: a required gate failed or errored, or the score is below the warning score.</summary>
    NoGo = 0,

    /// <summary>Release with care: the score is below the pass score, a gate warned, or a non-required gate failed.</summary>
    GoWithWarnings = 1,

    /// <summary>Release: every scored gate passed and the score reaches the pass score.</summary>
    Go = 2,
}
