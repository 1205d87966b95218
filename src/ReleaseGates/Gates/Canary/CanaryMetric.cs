namespace ReleaseGates;

/// <summary>
/// One metric of a multi-metric canary, as Kayenta judges it: the baseline's and the canary's samples over the canary's
/// window are compared by rank (Mann–Whitney, with the Hodges–Lehmann shift and its interval), the change is weighed
/// against the allowances in the metric's <see cref="Direction"/>, and the metric counts in the canary's score by its
/// <see cref="Weight"/>.
/// </summary>
public sealed class CanaryMetric
{
    /// <summary>The metric's name in the report (its measurements are <c>&lt;name&gt;-change</c> and so on). Required.</summary>
    public string? Name { get; set; }

    /// <summary>
    /// What the series source reads: for Prometheus, PromQL in which <c>$scope</c> stands for the side's label matchers
    /// (<c>sum(rate(process_cpu_seconds_total{job="checkout", $scope}[1m]))</c>), one series per side.
    /// </summary>
    public string? Query { get; set; }

    /// <summary>Which change is a regression. Default: <see cref="CanaryDirection.Either"/>.</summary>
    public CanaryDirection Direction { get; set; }

    /// <summary>
    /// The largest rise still acceptable, as a share of the baseline's median (0.10 for 10 %). With a median of zero, any
    /// certain rise is beyond it. Default: 0.10.
    /// </summary>
    public double AllowedIncrease { get; set; } = 0.10;

    /// <summary>The largest fall still acceptable, as a share of the baseline's median. Default: 0.10.</summary>
    public double AllowedDecrease { get; set; } = 0.10;

    /// <summary>A rise, as a share of the baseline's median, that fails the whole canary whatever its score. Default: none.</summary>
    public double? CriticalIncrease { get; set; }

    /// <summary>A fall, as a share of the baseline's median, that fails the whole canary whatever its score. Default: none.</summary>
    public double? CriticalDecrease { get; set; }

    /// <summary>
    /// Whether a side without samples fails the metric (Kayenta's <c>mustHaveData</c>); otherwise it is left out of the
    /// score. Default: false.
    /// </summary>
    public bool MustHaveData { get; set; }

    /// <summary>Whether this metric failing fails the whole canary, whatever the score (Kayenta's <c>critical</c>). Default: false.</summary>
    public bool Critical { get; set; }

    /// <summary>The metric's weight in the score: the score is the weight of the metrics that passed over the weight of those judged. Default: 1.</summary>
    public double Weight { get; set; } = 1;

    /// <summary>The fewest samples each side needs before the metric can be judged; fewer is inconclusive. Default: 10.</summary>
    public int MinimumSamples { get; set; } = 10;

    internal CanaryMetric Copy() => (CanaryMetric)MemberwiseClone();

    internal void Validate(ICollection<string> problems, int index)
    {
        var at = $"Metrics[{index}]" + (Name is null ? "" : $" '{Name}'");
        if (string.IsNullOrWhiteSpace(Name) || !Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            problems.Add($"{at}: {nameof(Name)} is required: letters, digits, '-', '_' and '.'.");
        }

        if (!Enum.IsDefined(Direction))
        {
            problems.Add($"{at}: {nameof(Direction)} is Either, Increase or Decrease, but was {Direction}.");
        }

        foreach (var (value, name) in new[] { (AllowedIncrease, nameof(AllowedIncrease)), (AllowedDecrease, nameof(AllowedDecrease)) })
        {
            if (!(value >= 0 && double.IsFinite(value)))
            {
                problems.Add($"{at}: {name} is a non-negative share of the baseline's median (0.10 for 10 %), but was {value}.");
            }
        }

        if (CriticalIncrease is { } ci && !(ci >= AllowedIncrease && double.IsFinite(ci)))
        {
            problems.Add($"{at}: {nameof(CriticalIncrease)} must be at least {nameof(AllowedIncrease)} ({AllowedIncrease}), but was {ci}.");
        }

        if (CriticalDecrease is { } cd && !(cd >= AllowedDecrease && double.IsFinite(cd)))
        {
            problems.Add($"{at}: {nameof(CriticalDecrease)} must be at least {nameof(AllowedDecrease)} ({AllowedDecrease}), but was {cd}.");
        }

        if (!(Weight > 0 && double.IsFinite(Weight)))
        {
            problems.Add($"{at}: {nameof(Weight)} must be a positive number, but was {Weight}.");
        }

        if (MinimumSamples < 3)
        {
            problems.Add($"{at}: {nameof(MinimumSamples)} must be at least 3, but was {MinimumSamples}.");
        }
    }
}
