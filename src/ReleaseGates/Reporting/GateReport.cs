namespace ReleaseGates;

/// <summary>One gate's entry in a <see cref="ReleaseReport"/>: its registration and its result.</summary>
public sealed class GateReport
{
    /// <summary>The gate's name.</summary>
    public required string Name { get; init; }

    /// <summary>The category it scores in.</summary>
    public required string Category { get; init; }

    /// <summary>Its importance.</summary>
    public GateImportance Importance { get; init; }

    /// <summary>Its weight.</summary>
    public double Weight { get; init; } = 1;

    /// <summary>Whether it was report-only (shown, never deciding).</summary>
    public bool ReportOnly { get; init; }

    /// <summary>Its tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Its status.</summary>
    public GateStatus Status { get; init; }

    /// <summary>The one-line summary.</summary>
    public string Summary { get; init; } = "";

    /// <summary>The gate's own 0–100 score, if it computes one.</summary>
    public double? Score { get; init; }

    /// <summary>How long the gate took.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>The measurements.</summary>
    public IReadOnlyList<Measurement> Measurements { get; init; } = [];

    /// <summary>The findings.</summary>
    public IReadOnlyList<Finding> Findings { get; init; } = [];

    /// <summary>The distributions the gate measured (<see cref="GateResult.Distributions"/>), drawn by the HTML report.</summary>
    public IReadOnlyList<PercentileCurve> Distributions { get; init; } = [];

    /// <summary>Whether the gate counts towards the score: not report-only and not skipped.</summary>
    internal bool IsScored => !ReportOnly && Status != GateStatus.Skipped;

    /// <summary>
    /// The part of the status the gate claimed beyond its evidence (a custom reason to fail, Skipped); <see cref="GateStatus.Passed"/>
    /// when the status is what the measurements and findings show. Replay and waivers keep it and re-derive the rest.
    /// </summary>
    internal GateStatus IntrinsicStatus => GateVerdict.Intrinsic(Status, Measurements, Findings);

    /// <summary>This gate with another status, summary and evidence; its registration, score and duration are kept.</summary>
    internal GateReport WithOutcome(GateStatus status, string summary, IReadOnlyList<Measurement> measurements, IReadOnlyList<Finding> findings) => new()
    {
        Name = Name,
        Category = Category,
        Importance = Importance,
        Weight = Weight,
        ReportOnly = ReportOnly,
        Tags = Tags,
        Status = status,
        Summary = summary,
        Score = Score,
        Duration = Duration,
        Measurements = measurements,
        Findings = findings,
        Distributions = Distributions,
    };
}
