namespace ReleaseGates;

/// <summary>
/// One measurement's values in the evaluations recorded before this one, newest first: the previous value and the change
/// the text and Markdown reports show, and what a chart of the trend draws.
/// </summary>
public sealed record MeasurementTrend
{
    /// <summary>The gate's name.</summary>
    public string Gate { get; init; } = "";

    /// <summary>The measurement's name, such as <c>p(95)</c>.</summary>
    public string Measurement { get; init; } = "";

    /// <summary>What was measured (an endpoint, a file); <see langword="null"/> for the gate as a whole.</summary>
    public string? Target { get; init; }

    /// <summary>The unit of the values.</summary>
    public MetricUnit Unit { get; init; }

    /// <summary>The earlier values, newest first (at most <see cref="EvaluationHistory.TrendLength"/>); this evaluation's own value is not among them.</summary>
    public IReadOnlyList<TrendPoint> Points { get; init; } = [];
}
