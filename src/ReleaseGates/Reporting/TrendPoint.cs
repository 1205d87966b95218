namespace ReleaseGates;

/// <summary>One point of a trend: the evaluation it comes from and the measurement's value and status there.</summary>
public sealed record TrendPoint
{
    /// <summary>The evaluation's id.</summary>
    public long EvaluationId { get; init; }

    /// <summary>The version released in that evaluation.</summary>
    public string? Version { get; init; }

    /// <summary>When the evaluation started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>The evaluation's decision.</summary>
    public ReleaseDecision Decision { get; init; }

    /// <summary>The measurement's status, or the gate's for a gate series.</summary>
    public GateStatus Status { get; init; }

    /// <summary>The measured value; <see langword="null"/> for a gate series or a value that was not finite.</summary>
    public double? Value { get; init; }

    /// <summary>The value's unit.</summary>
    public MetricUnit Unit { get; init; }
}
