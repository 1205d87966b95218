namespace ReleaseGates;

/// <summary>Options of the canary judge (<c>AddCanary</c>). See <c>docs/gates/canary.md</c>.</summary>
public sealed class CanaryGateOptions : GateOptions
{
    /// <summary>Creates the options with the gate's defaults: category <see cref="GateCategories.Performance"/>.</summary>
    public CanaryGateOptions() => Category = GateCategories.Performance;

    /// <summary>
    /// The baseline's requests (the version in production): a latency histogram when latency is compared, request and
    /// error counts when error rates are. Required.
    /// </summary>
    public RequestMetricsSource? Baseline { get; set; }

    /// <summary>
    /// The canary's requests (the version being rolled out), read at the same time as the baseline's, with what the
    /// baseline has. Required.
    /// </summary>
    public RequestMetricsSource? Canary { get; set; }

    /// <summary>
    /// The largest increase of the canary's latency over the baseline's that is still acceptable, for example 20 ms. With
    /// <see cref="MaximumRelativeIncrease"/> too, the smaller applies. At least one of the allowances (this,
    /// <see cref="MaximumRelativeIncrease"/>, <see cref="MaximumErrorRateIncrease"/>) is required; each one set is judged.
    /// </summary>
    public TimeSpan? MaximumIncrease { get; set; }

    /// <summary>The largest acceptable increase as a share of the baseline's median, for example 0.10 for 10 %.</summary>
    public double? MaximumRelativeIncrease { get; set; }

    /// <summary>
    /// The largest increase of the canary's error rate over the baseline's that is still acceptable, as a difference of
    /// shares: <c>0.001</c> for 0.1 percentage points. The difference is judged by its Newcombe interval at
    /// <see cref="Confidence"/>: wholly within the allowance passes, wholly above it fails, anything else is inconclusive
    /// (a baseline without errors is no special case). Needs sources with error counts. Default: none (not compared).
    /// </summary>
    public double? MaximumErrorRateIncrease { get; set; }

    /// <summary>The confidence of the latency shift's and the error-rate difference's intervals, 0.5 to 0.999. Default: 0.95.</summary>
    public double Confidence { get; set; } = 0.95;

    /// <summary>
    /// In a watch, which judges the canary every round, spend the error rate 1 − <see cref="Confidence"/> over the most
    /// rounds the watch can run, so that the chance of a false verdict in the whole watch stays within it (each round's
    /// interval is then wider: 99.83 % for 30 rounds at 95 %). Without it, every look is a new chance of a false NO-GO.
    /// Outside a watch it changes nothing. Default: <see langword="true"/>.
    /// </summary>
    public bool AdjustForRepeatedLooks { get; set; } = true;

    /// <summary>
    /// The fewest requests each side needs before the data can tell anything, latency or errors. Default: 50 (Kayenta's
    /// advice).
    /// </summary>
    public long MinimumSamples { get; set; } = 50;

    /// <summary>
    /// What a comparison that cannot tell (too few requests, or an interval across the allowed increase) makes the
    /// gate: <see cref="GateStatus.Skipped"/> (inconclusive, the default) or <see cref="GateStatus.Failed"/>.
    /// </summary>
    public GateStatus InconclusiveStatus { get; set; } = GateStatus.Skipped;

    /// <summary>
    /// Further metrics to judge, Kayenta's way (CPU, memory, queue depth, any metric the two sides both have): each by its
    /// direction and allowances, together scored by their weights against <see cref="PassScore"/> and
    /// <see cref="MarginalScore"/>. Their samples come from <see cref="MetricSeries"/>. Default: none.
    /// </summary>
    public IList<CanaryMetric> Metrics { get; private set; } = [];

    /// <summary>
    /// Where the samples of <see cref="Metrics"/> come from: <see cref="CanaryMetricSeries.FromPrometheus"/> or your own.
    /// Required with metrics.
    /// </summary>
    public CanaryMetricSeries? MetricSeries { get; set; }

    /// <summary>
    /// The score (0 to 100, the weight of the metrics that passed over the weight of those judged) at or above which the
    /// metrics pass. Default: 95.
    /// </summary>
    public double PassScore { get; set; } = 95;

    /// <summary>The score below which the metrics fail; between it and <see cref="PassScore"/> the gate warns. Default: 75.</summary>
    public double MarginalScore { get; set; } = 75;

    internal override IEnumerable<string?> Secrets => (Baseline?.Secrets ?? []).Concat(Canary?.Secrets ?? []).Concat(MetricSeries?.Secrets ?? []);

    /// <inheritdoc />
    protected internal override void Validate(ICollection<string> problems)
    {
        base.Validate(problems);
        var latency = MaximumIncrease is not null || MaximumRelativeIncrease is not null;
        if (latency || MaximumErrorRateIncrease is not null || Baseline is not null || Canary is not null || Metrics.Count == 0)
        {
            ValidateSources(problems, latency);
        }

        if (!latency && MaximumErrorRateIncrease is null && Metrics.Count == 0)
        {
            problems.Add($"Set {nameof(MaximumIncrease)}, {nameof(MaximumRelativeIncrease)}, {nameof(MaximumErrorRateIncrease)} or {nameof(Metrics)}: "
                + "without an allowed increase, no amount of data can show the canary is fine.");
        }

        ValidateMetrics(problems);

        if (MaximumErrorRateIncrease is { } rate && !(rate >= 0 && rate <= 1))
        {
            problems.Add($"{nameof(MaximumErrorRateIncrease)} is a difference of error rates between 0 and 1 (0.001 for 0.1 percentage points), "
                + $"but was {rate}.");
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

    /// <summary>Each metric, their names, their series source and the scores.</summary>
    private void ValidateMetrics(ICollection<string> problems)
    {
        for (var i = 0; i < Metrics.Count; i++)
        {
            if (Metrics[i] is null)
            {
                problems.Add($"Metrics[{i}] is null.");
                continue;
            }

            Metrics[i].Validate(problems, i);
        }

        foreach (var name in Metrics.Where(m => m?.Name is not null).GroupBy(m => m.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"Two metrics are named '{name.Key}'.");
        }

        if (Metrics.Count > 0 && MetricSeries is null)
        {
            problems.Add($"{nameof(MetricSeries)} is required with {nameof(Metrics)}: where each side's samples come from.");
        }

        if (!(PassScore >= 0 && PassScore <= 100 && MarginalScore >= 0 && MarginalScore <= PassScore))
        {
            problems.Add($"{nameof(MarginalScore)} and {nameof(PassScore)} are scores from 0 to 100, the marginal at most the pass score, but were "
                + $"{MarginalScore} and {PassScore}.");
        }
    }

    /// <inheritdoc />
    protected internal override GateOptions Clone()
    {
        var copy = (CanaryGateOptions)base.Clone();
        copy.Metrics = [.. Metrics.Select(m => m?.Copy()!)];
        return copy;
    }

    /// <summary>Both sources are set and have what the allowances set compare.</summary>
    private void ValidateSources(ICollection<string> problems, bool latency)
    {
        foreach (var (source, name) in new[] { (Baseline, nameof(Baseline)), (Canary, nameof(Canary)) })
        {
            if (source is null)
            {
                problems.Add($"{name} is required (a RequestMetricsSource: a latency histogram to compare latency, error counts to compare error rates).");
                continue;
            }

            if (latency && !source.Capabilities.HasFlag(RequestMetricsCapabilities.Latency))
            {
                problems.Add($"{name} ({source.Description}) reports no latency histogram, which comparing latency needs (MaximumIncrease, "
                    + $"MaximumRelativeIncrease); compare error rates only with {nameof(MaximumErrorRateIncrease)}.");
            }

            if (MaximumErrorRateIncrease is not null && !source.Capabilities.HasFlag(RequestMetricsCapabilities.Errors))
            {
                problems.Add($"{name} ({source.Description}) reports no error counts, which {nameof(MaximumErrorRateIncrease)} compares.");
            }

            source.Validate(problems);
        }
    }
}
