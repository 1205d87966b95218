using System.Globalization;

namespace ReleaseGates;

/// <summary>Options of the latency gate (<c>AddLatency</c>). See <c>docs/gates/latency.md</c>.</summary>
public sealed class LatencyGateOptions : GateOptions
{
    /// <summary>Creates the options with the gate's defaults: category <see cref="GateCategories.Performance"/>.</summary>
    public LatencyGateOptions() => Category = GateCategories.Performance;

    /// <summary>Where the numbers come from (see <see cref="RequestMetricsSource"/>). Required.</summary>
    public RequestMetricsSource? Source { get; set; }

    /// <summary>
    /// Conditions in text form over <c>p(N)</c> (any percentile), <c>med</c>, <c>avg</c>, <c>min</c>, <c>max</c> (durations),
    /// <c>count</c> and <c>rps</c> (requests per second over the source's window): <c>p(95) &lt; 300ms warn 200ms</c>,
    /// <c>p(95) &lt;= +10% floor 50ms</c>, <c>rps &gt; 100</c>. At least one.
    /// </summary>
    public IList<string> Conditions { get; private set; } = [];

    /// <summary>The fewest samples needed to judge. Fewer gives <see cref="NoDataStatus"/>, never a pass. Default: 1.</summary>
    public long MinimumSamples { get; set; } = 1;

    /// <summary>
    /// The status when there are fewer than <see cref="MinimumSamples"/> samples: <see cref="GateStatus.Skipped"/>
    /// (inconclusive, the default) or <see cref="GateStatus.Failed"/>.
    /// </summary>
    public GateStatus NoDataStatus { get; set; } = GateStatus.Skipped;

    /// <summary>
    /// A sustained condition: the gate fails when <c>p(<see cref="SustainedPercentile"/>)</c> was above this in every
    /// complete window interval of <see cref="SustainedFor"/> ("p(95) above 3 s for 5 minutes", a rollback trigger).
    /// Needs a source whose windows keep latency (in-process HTTP metrics, the load probe). Default: none.
    /// </summary>
    public TimeSpan? SustainedAbove { get; set; }

    /// <summary>The percentile <see cref="SustainedAbove"/> is about, 0 to 100. Default: 95.</summary>
    public double SustainedPercentile { get; set; } = 95;

    /// <summary>How long the sustained condition must hold: a whole number of the source's window intervals. Default: 5 minutes.</summary>
    public TimeSpan SustainedFor { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The fewest requests an interval needs to be judged; a window not covered by judged intervals is inconclusive. Default: 1.</summary>
    public long MinimumRequestsPerInterval { get; set; } = 1;

    /// <summary>Adds a percentile condition, typed: <c>o.Percentile(95).Below(TimeSpan.FromMilliseconds(300))</c>.</summary>
    /// <param name="percentile">The percentile, 0 to 100.</param>
    /// <returns>A builder that adds the condition.</returns>
    public LatencyConditionBuilder Percentile(double percentile) => new(this, "p(" + percentile.ToString("R", CultureInfo.InvariantCulture) + ")");

    /// <summary>The metrics this gate measures, with their units.</summary>
    internal static MetricUnit? UnitOf(string metric) => metric switch
    {
        "med" or "avg" or "min" or "max" => MetricUnit.Milliseconds,
        "count" => MetricUnit.Count,
        "rps" => MetricUnit.PerSecond,
        _ when LatencyStatisticNames.Percentile().IsMatch(metric) => MetricUnit.Milliseconds,
        _ => null,
    };

    /// <inheritdoc />
    protected internal override void Validate(ICollection<string> problems)
    {
        base.Validate(problems);
        if (Source is null)
        {
            problems.Add($"{nameof(Source)} is required: a recorder, the in-process HTTP metrics, an import or a load probe (see RequestMetricsSource).");
        }

        Source?.Validate(problems);

        if (Conditions.Count == 0 && SustainedAbove is null)
        {
            problems.Add($"{nameof(Conditions)} must hold at least one condition, such as 'p(95) < 300ms' (or set {nameof(SustainedAbove)}).");
        }

        if (SustainedAbove is { } above
            && (above <= TimeSpan.Zero || !(SustainedPercentile >= 0 && SustainedPercentile <= 100) || SustainedFor <= TimeSpan.Zero
            || MinimumRequestsPerInterval < 0))
        {
            problems.Add($"{nameof(SustainedAbove)} and {nameof(SustainedFor)} must be positive, {nameof(SustainedPercentile)} 0 to 100 and {nameof(MinimumRequestsPerInterval)} not negative.");
        }

        if (SustainedAbove is not null && Source is { } windowed && !windowed.Capabilities.HasFlag(RequestMetricsCapabilities.Windows))
        {
            problems.Add($"{nameof(SustainedAbove)} needs a source with windows; {windowed.Description} has none.");
        }

        if (MinimumSamples < 0)
        {
            problems.Add($"{nameof(MinimumSamples)} must not be negative, but was {MinimumSamples}.");
        }

        if (NoDataStatus is not (GateStatus.Skipped or GateStatus.Failed))
        {
            problems.Add($"{nameof(NoDataStatus)} must be Skipped or Failed: no data is never a pass or an error of the gate itself.");
        }

        foreach (var (text, condition) in ConditionList.Validate(Conditions, UnitOf, "p(N), med, avg, min, max, count and rps", problems))
        {
            var needs = condition.Metric switch
            {
                "count" => RequestMetricsCapabilities.None,
                "rps" => RequestMetricsCapabilities.Duration,
                _ => RequestMetricsCapabilities.Latency,
            };
            if (Source is { } source && (source.Capabilities & needs) != needs)
            {
                problems.Add($"{nameof(Conditions)}: '{text}' needs {needs}, which the source '{source.Description}' does not provide.");
            }
        }
    }

    internal override IEnumerable<string?> Secrets => Source?.Secrets ?? [];

    /// <inheritdoc />
    protected internal override GateOptions Clone()
    {
        var copy = (LatencyGateOptions)base.Clone();
        copy.Conditions = [.. Conditions];
        return copy;
    }
}
