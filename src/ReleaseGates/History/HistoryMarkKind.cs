namespace ReleaseGates;

/// <summary>What a mark on a recorded evaluation says.</summary>
public enum HistoryMarkKind
{
    /// <summary>The evaluation is not evidence (a broken runner, a test run against the wrong build): never used as a baseline.</summary>
    Invalidated,

    /// <summary>The evaluation is the baseline of its service and environment for the <c>pinned</c> rule, until another is pinned.</summary>
    Pinned,

    /// <summary>The evaluation was deliberately accepted as the new baseline for the <c>blessed</c> rule, until another is blessed.</summary>
    Blessed,
}
