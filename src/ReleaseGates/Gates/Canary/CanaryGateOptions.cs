namespace ReleaseGates;

/// <summary>Options of the canary judge (<c>AddCanary</c>). See <c>docs/gates/canary.md</c>.</summary>
public sealed class CanaryGateOptions : GateOptions
{
    /// <summary>Creates the options with the gate's defaults: category <see cref="GateCategories.Performance"/>.</summary>
    public CanaryGateOptions() => Category = GateCategories.Performance;

    /// <summary>The baseline's requests (the version in production). Its latency must be a histogram. Required.</summary>
    public RequestMetricsSource? Baseline { get; set; }

    /// <summary>
    /// The canary's requests (the version being rolled out), read at the same time as the baseline's. Its latency must
    /// be a histogram. Required.
    /// </summary>
    public RequestMetricsSource? Canary { get; set; }

    /// <summary>
    /// The largest increase of the canary's latency over the baseline's that is still acceptable, for example 20 ms. At
    /// least one of this and <see cref="MaximumRelativeIncrease"/> is required; with both, the smaller applies.
    /// </summary>
    public TimeSpan? MaximumIncrease { get; set; }

    /// <summary>The largest acceptable increase as a share of the baseline's median, for example 0.10 for 10 %.</summary>
    public double? MaximumRelativeIncrease { get; set; }

    /// <summary>The confidence of the shift's interval, 0.5 to 0.999. Default: 0.95.</summary>
    public double Confidence { get; set; } = 0.95;

    /// <summary>The fewest requests each side needs before the data can tell anything. Default: 50 (Kayenta's advice).</summary>
    public long MinimumSamples { get; set; } = 50;

    /// <summary>
    /// What a comparison that cannot tell (too few requests, or an interval across the allowed increase) makes the
    /// gate: <see cref="GateStatus.Skipped"/> (inconclusive, the default) or <see cref="GateStatus.Failed"/>.
    /// </summary>
    public GateStatus InconclusiveStatus { get; set; } = GateStatus.Skipped;

    internal override IEnumerable<string?> Secrets => (Baseline?.Secrets ?? []).Concat(Canary?.Secrets ?? []);

    /// <inheritdoc />
    protected internal override void Validate(ICollection<string> problems)
    {
        base.Validate(problems);
        foreach (var (source, name) in new[] { (Baseline, nameof(Baseline)), (Canary, nameof(Canary)) })
        {
            if (source is null)
            {
                problems.Add($"{name} is required (a RequestMetricsSource whose latency is a histogram).");
            }
            else if (!source.Capabilities.HasFlag(RequestMetricsCapabilities.Latency))
            {
                problems.Add($"{name} ({source.Description}) reports no latency, which the canary judge compares.");
            }
            else
            {
                source.Validate(problems);
            }
        }

        if (MaximumIncrease is null && MaximumRelativeIncrease is null)
        {
            problems.Add($"Set {nameof(MaximumIncrease)}, {nameof(MaximumRelativeIncrease)} or both: without an allowed increase, no amount of data can show the canary is fine.");
        }

        if (MaximumIncrease is { } increase && increase < TimeSpan.Zero)
        {
            problems.Add($"{nameof(MaximumIncrease)} must not be negative, but was {increase}.");
        }

        if (MaximumRelativeIncrease is { } relative && !(relative >= 0 && double.IsFinite(relative)))
        {
            problems.Add($"{nameof(MaximumRelativeIncrease)} is a non-negative share of the baseline's median (0.10 for 10 %), but was {relative}.");
        }

        if (!(Confidence >= 0.5 && Confidence <= 0.999))
        {
            problems.Add($"{nameof(Confidence)} must be between 0.5 and 0.999, but was {Confidence}.");
        }

        if (MinimumSamples < 10)
        {
            problems.Add($"{nameof(MinimumSamples)} must be at least 10 (fewer cannot bound the shift at any useful confidence), but was {MinimumSamples}.");
        }

        if (InconclusiveStatus is not (GateStatus.Skipped or GateStatus.Failed))
        {
            problems.Add($"{nameof(InconclusiveStatus)} must be Skipped or Failed.");
        }
    }
}
