namespace ReleaseGates;

/// <summary>
/// Options of the metric gate: one number from a <see cref="MetricSource"/> held to conditions on <c>value</c>
/// (<c>value >= 90%</c>, <c>value &lt; 250ms</c>, <c>value between 1 and 4</c>).
/// </summary>
public sealed class MetricGateOptions : GateOptions
{
    /// <summary>Creates the options; the category defaults to <see cref="GateCategories.Operations"/>.</summary>
    public MetricGateOptions() => Category = GateCategories.Operations;

    /// <summary>Where the value is read. Required.</summary>
    public MetricSource? Source { get; set; }

    /// <summary>Conditions on <c>value</c>, in the text form. At least one.</summary>
    public IList<string> Conditions { get; private set; } = [];

    /// <summary>
    /// The unit the source's value is in, so thresholds convert: <see cref="MetricUnit.Ratio"/> for a 0 to 1 value held
    /// to <c>90%</c>, <see cref="MetricUnit.Seconds"/> for a PromQL duration held to <c>300ms</c>. Required when a
    /// condition's threshold has a unit; default <see cref="MetricUnit.None"/>.
    /// </summary>
    public MetricUnit Unit { get; set; } = MetricUnit.None;

    /// <summary>
    /// What a read without a value makes the gate: <see cref="GateStatus.Skipped"/> (inconclusive, the default) or <see
    /// cref="GateStatus.Failed"/>.
    /// </summary>
    public GateStatus NoDataStatus { get; set; } = GateStatus.Skipped;

    /// <inheritdoc/>
    protected internal override void Validate(ICollection<string> problems)
    {
        base.Validate(problems);
        if (Source is null)
        {
            problems.Add($"{nameof(Source)} is required (see MetricSource).");
        }
        else
        {
            Source.Validate(problems);
        }

        if (Conditions.Count == 0)
        {
            problems.Add($"{nameof(Conditions)}: add at least one condition on value, e.g. \"value >= 90%\".");
        }

        var valid = ConditionList.Validate(Conditions, m => m == "value" ? Unit : null, "value", problems);
        if (Unit == MetricUnit.None && valid.Any(c => HasUnit(c.Condition)))
        {
            problems.Add($"{nameof(Unit)} is required when a threshold has a unit: say what the source's value is in (Ratio for 0 to 1 held to a %, Seconds or Milliseconds for a duration).");
        }

        if (NoDataStatus is not (GateStatus.Skipped or GateStatus.Failed))
        {
            problems.Add($"{nameof(NoDataStatus)} must be Skipped or Failed.");
        }
    }

    internal override IEnumerable<string?> Secrets => Source?.Secrets ?? [];

    /// <inheritdoc/>
    protected internal override GateOptions Clone()
    {
        var copy = (MetricGateOptions)base.Clone();
        copy.Conditions = [.. Conditions];
        return copy;
    }

    private static bool HasUnit(GateCondition condition)
        => new[] { condition.Threshold, condition.UpperThreshold, condition.WarningThreshold, condition.Floor }
            .Any(t => t is { } x && x.Unit != MetricUnit.None && !x.IsRelative);
}
