namespace ReleaseGates;

/// <summary>One recorded evaluation a baseline was built from, as the report names it (Keptn's <c>comparedEvents</c>).</summary>
public sealed record BaselineSource
{
    /// <summary>The evaluation's id in the history.</summary>
    public long Id { get; init; }

    /// <summary>What the evaluation was about: its service, version, commit, environment and branch.</summary>
    public ReleaseSubject Subject { get; init; } = new();

    /// <summary>When the evaluation started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Its decision.</summary>
    public ReleaseDecision Decision { get; init; }

    /// <summary>Which of its measurements the baseline took (all, unless it ran on another machine).</summary>
    public BaselineUse Use { get; init; }
}
