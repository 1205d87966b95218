namespace ReleaseGates;

/// <summary>
/// One number a gate measured, with its unit, the condition it was held to and the outcome of that condition.
/// </summary>
/// <param name="Name">What was measured, such as <c>p(95)</c>, <c>line</c> or <c>rate</c>.</param>
/// <param name="Value">The measured value, in <paramref name="Unit"/>.</param>
/// <param name="Unit">The unit of <paramref name="Value"/>.</param>
public sealed record Measurement(string Name, double Value, MetricUnit Unit)
{
    /// <summary>The condition the value was held to, or <see langword="null"/> for a value reported as evidence only.</summary>
    public GateCondition? Condition { get; init; }

    /// <summary>The outcome of <see cref="Condition"/>; <see cref="GateStatus.Passed"/> for evidence without a condition.</summary>
    public GateStatus Status { get; init; } = GateStatus.Passed;

    /// <summary>The baseline value a relative condition was compared with, in <see cref="Unit"/>.</summary>
    public double? Baseline { get; init; }

    /// <summary>What was measured: an endpoint, a file, an assembly. <see langword="null"/> for the gate as a whole.</summary>
    public string? Target { get; init; }

    /// <summary>
    /// The <see cref="Waiver.Id"/> of the waiver that covers this measurement, or <see langword="null"/>. The measurement
    /// keeps its <see cref="Status"/> (the condition still fails), but a covered measurement counts as met for its gate.
    /// Set by the evaluation from its configured waivers only; any other mark is cleared when waivers are applied.
    /// </summary>
    [System.Text.Json.Serialization.JsonInclude]
    public string? WaivedBy { get; internal init; }

    /// <summary>The status this measurement imposes on its gate: its own, or <see cref="GateStatus.Passed"/> when waived.</summary>
    internal GateStatus ImpliedStatus => WaivedBy is null ? Status : GateStatus.Passed;

    /// <summary>Creates a measurement and evaluates <paramref name="condition"/> against it.</summary>
    /// <param name="name">What was measured.</param>
    /// <param name="value">The measured value.</param>
    /// <param name="unit">The unit of <paramref name="value"/>.</param>
    /// <param name="condition">The condition to hold the value to.</param>
    /// <param name="baseline">The baseline value for a relative condition, in <paramref name="unit"/>.</param>
    /// <returns>The measurement with its <see cref="Status"/> set.</returns>
    /// <exception cref="ArgumentException">
    /// The condition is about another metric than <paramref name="name"/> (<c>memory &lt; 80%</c> held to <c>cpu</c>): a
    /// programming error, never evidence. A name may qualify its metric in front: <c>GET /health latency</c> for <c>latency &lt; 500ms</c>.
    /// </exception>
    public static Measurement Evaluate(string name, double value, MetricUnit unit, GateCondition condition, double? baseline = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(condition);
        if (!IsAbout(name, condition.Metric))
        {
            throw new ArgumentException($"The condition '{condition}' is about '{condition.Metric}', but the measurement is '{name}' (a measurement is named by its metric, optionally after what was measured: 'GET /health latency').", nameof(condition));
        }

        var outcome = condition.Evaluate(value, unit, baseline);
        return new Measurement(name, value, unit) { Condition = condition, Status = outcome.Status, Baseline = baseline };
    }

    /// <summary>Whether a measurement called <paramref name="name"/> measures <paramref name="metric"/>: the same name, or the metric qualified in front.</summary>
    private static bool IsAbout(string name, string metric)
        => string.Equals(name, metric, StringComparison.Ordinal)
           || (name.Length > metric.Length + 1 && name.EndsWith(metric, StringComparison.Ordinal) && name[name.Length - metric.Length - 1] == ' ');

    /// <summary>Re-evaluates the stored condition against the stored value and baseline.</summary>
    /// <returns>The status the condition gives now, or <see cref="Status"/> when there is no condition.</returns>
    public GateStatus Reevaluate() => Condition is null ? Status : Condition.Evaluate(Value, Unit, Baseline).Status;
}
