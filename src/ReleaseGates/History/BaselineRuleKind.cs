namespace ReleaseGates;

/// <summary>How a baseline is chosen from a history.</summary>
public enum BaselineRuleKind
{
    /// <summary>The latest passing evaluation (GO; GO WITH WARNINGS too when <see cref="BaselineRule.IncludeWarnings"/> is set).</summary>
    LastPassing,

    /// <summary>The median of each measurement over the last <see cref="BaselineRule.Count"/> passing evaluations.</summary>
    Median,

    /// <summary>The mean of each measurement over the last <see cref="BaselineRule.Count"/> passing evaluations.</summary>
    Mean,

    /// <summary>A pinned evaluation: the one <see cref="BaselineRule.Pin"/> names (an id or a version), or else the latest pinned.</summary>
    Pinned,

    /// <summary>The latest blessed evaluation.</summary>
    Blessed,
}
