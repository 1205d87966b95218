using System.Globalization;

namespace ReleaseGates;

/// <summary>Options of the SLO (error budget) gate (<c>AddSlo</c>). See <c>docs/gates/slo.md</c>.</summary>
public sealed class SloGateOptions : GateOptions
{
    /// <summary>Creates the options with the gate's defaults: category <see cref="GateCategories.Performance"/>.</summary>
    public SloGateOptions() => Category = GateCategories.Performance;

    /// <summary>
    /// Where the requests come from: a source with error counts and windows that reach back over <see cref="Window"/>
    /// (Prometheus with <c>Step</c> and <c>Lookback</c>, a fleet with <c>Lookback</c>, or this host's
    /// <c>HttpMetricsCollector</c>). Required.
    /// </summary>
    public RequestMetricsSource? Source { get; set; }

    /// <summary>
    /// Instead of <see cref="Source"/>: the SLO's error ratios as Sloth's recording rules keep them in Prometheus, read as
    /// they stand for the window and every burn-rate window. Default: none.
    /// </summary>
    public SloRecordedRatios? RecordedRatios { get; set; }

    /// <summary>The objective: the share of requests that must be good, strictly between 0 and 1 (<c>0.999</c> for 99.9 %). Default: 0.999.</summary>
    public double Objective { get; set; } = 0.999;

    /// <summary>
    /// A latency SLI instead of the error SLI: a request is good when it was answered within this time (OpenSLO's
    /// threshold metric; failures count by their latency, so hold errors with a second SLO). Needs windows that keep
    /// latency: an <c>HttpMetricsCollector</c> or a fleet, not Prometheus's counts. Default: none (good = not failed).
    /// </summary>
    public TimeSpan? LatencyThreshold { get; set; }

    /// <summary>The SLO's rolling window, over which the SLI and the error budget are counted. Default: 28 days.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(28);

    /// <summary>
    /// A calendar-aligned window instead of the rolling <see cref="Window"/>: the SLI and the budget count from the start
    /// of the current period (a month from the 1st), and the budget is renewed when the next one starts. Default: none.
    /// </summary>
    public SloCalendar? Calendar { get; set; }

    /// <summary>How the error budget is counted: by events (default), or by time slices. Default: <see cref="SloBudgetingMethod.Occurrences"/>.</summary>
    public SloBudgetingMethod BudgetingMethod { get; set; }

    /// <summary>
    /// The length of a time slice with <see cref="SloBudgetingMethod.Timeslices"/> or
    /// <see cref="SloBudgetingMethod.RatioTimeslices"/>: a whole number of the source's intervals, slices aligned to the
    /// Unix epoch. A slice without events is neither good nor bad and is left out. Default: 1 minute.
    /// </summary>
    public TimeSpan TimesliceWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// With <see cref="SloBudgetingMethod.Timeslices"/>, the share of good events (0 to 1) that makes a slice good:
    /// OpenSLO's <c>timeSliceTarget</c>. Required for that method.
    /// </summary>
    public double? TimesliceTarget { get; set; }

    /// <summary>
    /// The least share of the error budget that must be left, 0 to 1: <c>0.10</c> holds releases once nine tenths of the
    /// budget are spent. Default: 0 (a budget spent beyond its end fails).
    /// </summary>
    public double MinimumBudgetRemaining { get; set; }

    /// <summary>The share of the budget left below which the gate warns, at least <see cref="MinimumBudgetRemaining"/>. Default: none.</summary>
    public double? WarningBudgetRemaining { get; set; }

    /// <summary>
    /// The multiwindow burn-rate rules; any one breached fails the gate. Default: the SRE workbook's three
    /// (<see cref="SloBurnRateRule.WorkbookDefaults"/>). Clear it to judge the budget only.
    /// </summary>
    public IList<SloBurnRateRule> BurnRates { get; private set; } = SloBurnRateRule.WorkbookDefaults();

    /// <summary>
    /// Further conditions in the condition language on <c>sli</c> and <c>budget-remaining</c> (in %) and on each rule's
    /// windows' burn rates (<c>burn-rate-1h</c>, <c>burn-rate-5m</c>, …): <c>"burn-rate-1h &lt; 10 warn 5"</c>.
    /// </summary>
    public IList<string> Conditions { get; private set; } = [];

    /// <summary>
    /// The fewest requests the SLO window, and each burn-rate window, needs; fewer is inconclusive, never a pass.
    /// Default: 1.
    /// </summary>
    public long MinimumRequests { get; set; } = 1;

    internal override IEnumerable<string?> Secrets => (Source?.Secrets ?? []).Concat(RecordedRatios?.Connection?.Secrets ?? []);

    /// <summary>The names the burn rates of <see cref="BurnRates"/> are measured under: <c>burn-rate-1h</c>, <c>burn-rate-5m</c>.</summary>
    internal IEnumerable<string> BurnRateMetrics => BurnRates.Where(r => r is not null)
        .SelectMany(r => new[] { BurnRateMetric(r.LongWindow), BurnRateMetric(r.ShortWindow) }).Distinct();

    internal static string BurnRateMetric(TimeSpan window) => "burn-rate-" + ShortDuration(window);

    /// <summary>A window as the rule names say it: 5m, 1h, 3d, 90s.</summary>
    internal static string ShortDuration(TimeSpan window) => MetricUnitFormat.ShortDuration(window);

    /// <inheritdoc />
    protected internal override void Validate(ICollection<string> problems)
    {
        base.Validate(problems);
        ValidateSource(problems);
        if (LatencyThreshold is { } threshold && RecordedRatios is null && (threshold <= TimeSpan.Zero
            || Source is { } timed && !timed.Capabilities.HasFlag(RequestMetricsCapabilities.Latency)))
        {
            problems.Add($"{nameof(LatencyThreshold)} must be positive and needs a source with latency, but was {threshold}"
                + (Source is null ? "." : $" with '{Source.Description}'."));
        }

        if (!(Objective > 0 && Objective < 1))
        {
            problems.Add($"{nameof(Objective)} lies strictly between 0 and 1 (0.999 for 99.9 %), but was {Objective}.");
        }

        if (Window <= TimeSpan.Zero)
        {
            problems.Add($"{nameof(Window)} must be positive, but was {Window}.");
        }

        if (!(MinimumBudgetRemaining >= 0 && MinimumBudgetRemaining <= 1))
        {
            problems.Add($"{nameof(MinimumBudgetRemaining)} is a share of the budget from 0 to 1 (0.10 for 10 %), but was {MinimumBudgetRemaining}.");
        }

        if (WarningBudgetRemaining is { } warning && !(warning >= MinimumBudgetRemaining && warning <= 1))
        {
            problems.Add($"{nameof(WarningBudgetRemaining)} is a share of the budget from {nameof(MinimumBudgetRemaining)} to 1, but was {warning}.");
        }

        if (MinimumRequests < 1)
        {
            problems.Add($"{nameof(MinimumRequests)} must be at least 1, but was {MinimumRequests}.");
        }

        ValidateBudgeting(problems);
        ValidateRulesAndConditions(problems);
    }

    private void ValidateBudgeting(ICollection<string> problems)
    {
        Calendar?.Validate(problems);
        if (!Enum.IsDefined(BudgetingMethod))
        {
            problems.Add($"{nameof(BudgetingMethod)} is Occurrences, Timeslices or RatioTimeslices, but was {BudgetingMethod}.");
        }

        if (BudgetingMethod is SloBudgetingMethod.Occurrences)
        {
            return;
        }

        if (TimesliceWindow <= TimeSpan.Zero || TimesliceWindow > Window)
        {
            problems.Add($"{nameof(TimesliceWindow)} must be positive and at most the window, but was {TimesliceWindow}.");
        }

        if (BudgetingMethod is SloBudgetingMethod.Timeslices && TimesliceTarget is not (> 0 and <= 1))
        {
            problems.Add($"{nameof(TimesliceTarget)} is required with Timeslices: the share of good events (above 0, at most 1) that makes a slice good, "
                + $"but was {(TimesliceTarget is { } t ? t.ToString(CultureInfo.InvariantCulture) : "not set")}.");
        }
    }

    /// <inheritdoc />
    protected internal override GateOptions Clone()
    {
        var copy = (SloGateOptions)base.Clone();
        copy.BurnRates = [.. BurnRates.Select(r => r?.Copy()!)];
        copy.Conditions = [.. Conditions];
        copy.Calendar = Calendar?.Copy();
        copy.RecordedRatios = RecordedRatios?.Copy();
        return copy;
    }

    private void ValidateSource(ICollection<string> problems)
    {
        if (RecordedRatios is not null)
        {
            RecordedRatios.Validate(problems);
            if (Source is not null)
            {
                problems.Add($"Set {nameof(Source)} or {nameof(RecordedRatios)}, not both.");
            }

            if (LatencyThreshold is not null || Calendar is not null || BudgetingMethod is not SloBudgetingMethod.Occurrences)
            {
                problems.Add($"With {nameof(RecordedRatios)} the ratios are the rules' own: {nameof(LatencyThreshold)}, {nameof(Calendar)} and a "
                    + $"{nameof(BudgetingMethod)} other than Occurrences do not apply.");
            }

            return;
        }

        if (Source is null)
        {
            problems.Add($"{nameof(Source)} is required (a RequestMetricsSource with error counts and windows), or {nameof(RecordedRatios)}.");
        }
        else
        {
            Source.Validate(problems);
            if (!Source.Capabilities.HasFlag(RequestMetricsCapabilities.Errors) || !Source.Capabilities.HasFlag(RequestMetricsCapabilities.Windows))
            {
                problems.Add($"{nameof(Source)} '{Source.Description}' does not keep error counts per interval, which an SLO's window and burn rates "
                    + "need (Prometheus with Step and Lookback, a fleet with Lookback, or an HttpMetricsCollector).");
            }
        }
    }

    private void ValidateRulesAndConditions(ICollection<string> problems)
    {
        for (var i = 0; i < BurnRates.Count; i++)
        {
            if (BurnRates[i] is null)
            {
                problems.Add($"BurnRates[{i}] is null.");
                continue;
            }

            BurnRates[i].Validate(problems, i);
        }

        var burnRates = BurnRateMetrics.ToHashSet(StringComparer.Ordinal);
        ConditionList.Validate(
            Conditions,
            m => m is "sli" or "budget-remaining" ? MetricUnit.Percent : burnRates.Contains(m) ? MetricUnit.None : null,
            "sli, budget-remaining" + string.Concat(burnRates.Select(b => ", " + b)),
            problems);
    }
}
