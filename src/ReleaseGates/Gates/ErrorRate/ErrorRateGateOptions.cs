namespace ReleaseGates;

/// <summary>Options of the error-rate gate (<c>AddErrorRate</c>). See <c>docs/gates/error-rate.md</c>.</summary>
public sealed class ErrorRateGateOptions : GateOptions
{
    /// <summary>Creates the options with the gate's defaults: category <see cref="GateCategories.Performance"/>.</summary>
    public ErrorRateGateOptions() => Category = GateCategories.Performance;

    /// <summary>Where the counts come from; it must provide errors (see <see cref="RequestMetricsSource"/>). Required.</summary>
    public RequestMetricsSource? Source { get; set; }

    /// <summary>The highest error rate (failed ÷ total, 0–1) that passes: <c>0.001</c> for 0.1 %. Default: none.</summary>
    public double? MaximumRate { get; set; }

    /// <summary>The error rate above which the gate warns, at most <see cref="MaximumRate"/>. Default: none.</summary>
    public double? WarningRate { get; set; }

    /// <summary>More conditions in text form over <c>rate</c> (a ratio), <c>errors</c> and <c>requests</c> (counts). Default: none.</summary>
    public IList<string> Conditions { get; private set; } = [];

    /// <summary>The fewest requests needed to judge; fewer gives <see cref="NoDataStatus"/>, never a pass. Default: 1.</summary>
    public long MinimumRequests { get; set; } = 1;

    /// <summary>
    /// The status with fewer than <see cref="MinimumRequests"/> requests: <see cref="GateStatus.Skipped"/> (default) or
    /// <see cref="GateStatus.Failed"/>.
    /// </summary>
    public GateStatus NoDataStatus { get; set; } = GateStatus.Skipped;

    /// <summary>
    /// A sustained condition: fail when the error rate exceeded this in every complete window interval of the last
    /// <see cref="SustainedFor"/> ("> 10 % for 3 minutes"). Needs a source with windows. Default: none.
    /// </summary>
    public double? SustainedAbove { get; set; }

    /// <summary>How long <see cref="SustainedAbove"/> must hold; a whole number of the source's window intervals. Default: 3 minutes.</summary>
    public TimeSpan SustainedFor { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>The fewest requests an interval needs to count as breaching. Default: 1.</summary>
    public long MinimumRequestsPerInterval { get; set; } = 1;

    /// <summary>An SRE multiwindow burn-rate condition; needs a source with windows. Default: none.</summary>
    public BurnRateCondition? BurnRate { get; set; }

    internal static readonly string[] Metrics = ["rate", "errors", "requests"];

    /// <inheritdoc />
    protected internal override void Validate(ICollection<string> problems)
    {
        base.Validate(problems);
        if (Source is null)
        {
            problems.Add($"{nameof(Source)} is required (see RequestMetricsSource).");
        }
        else
        {
            Source.Validate(problems);
        }

        if (Source is { } counted && !counted.Capabilities.HasFlag(RequestMetricsCapabilities.Errors))
        {
            problems.Add($"{nameof(Source)} '{counted.Description}' does not count errors, so an error rate cannot be measured from it.");
        }

        if (MaximumRate is null && Conditions.Count == 0 && SustainedAbove is null && BurnRate is null)
        {
            problems.Add($"Set {nameof(MaximumRate)}, a condition, {nameof(SustainedAbove)} or {nameof(BurnRate)}: the gate needs something to hold the error rate to.");
        }

        foreach (var (value, name) in new[] { (MaximumRate, nameof(MaximumRate)), (WarningRate, nameof(WarningRate)),
            (SustainedAbove, nameof(SustainedAbove)) })
        {
            if (value is { } v && !(v >= 0 && v <= 1))
            {
                problems.Add($"{name} is a ratio from 0 to 1 (0.001 for 0.1 %), but was {v}.");
            }
        }

        if (WarningRate is { } w && (MaximumRate is not { } m || w > m))
        {
            problems.Add($"{nameof(WarningRate)} needs a {nameof(MaximumRate)} at or above it.");
        }

        if (MinimumRequests < 0 || MinimumRequestsPerInterval < 0)
        {
            problems.Add($"{nameof(MinimumRequests)} and {nameof(MinimumRequestsPerInterval)} must not be negative.");
        }

        if (NoDataStatus is not (GateStatus.Skipped or GateStatus.Failed))
        {
            problems.Add($"{nameof(NoDataStatus)} must be Skipped or Failed.");
        }

        var needsWindows = SustainedAbove is not null || BurnRate is not null;
        if (needsWindows && Source is { } s && !s.Capabilities.HasFlag(RequestMetricsCapabilities.Windows))
        {
            problems.Add($"{nameof(SustainedAbove)} and {nameof(BurnRate)} need per-interval counts, which the source '{s.Description}' does not keep.");
        }

        if (SustainedFor <= TimeSpan.Zero)
        {
            problems.Add($"{nameof(SustainedFor)} must be positive.");
        }

        BurnRate?.Validate(problems);
        ConditionList.Validate(
            Conditions,
            m => m == "rate" ? MetricUnit.Ratio : Metrics.Contains(m, StringComparer.Ordinal) ? MetricUnit.Count : null,
            "rate, errors and requests",
            problems);
    }

    internal override IEnumerable<string?> Secrets => Source?.Secrets ?? [];

    /// <inheritdoc />
    protected internal override GateOptions Clone()
    {
        var copy = (ErrorRateGateOptions)base.Clone();
        copy.Conditions = [.. Conditions];
        copy.BurnRate = BurnRate?.Copy();
        return copy;
    }
}
