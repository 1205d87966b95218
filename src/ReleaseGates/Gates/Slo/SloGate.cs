using System.Globalization;
using ReleaseGates.Metrics;

namespace ReleaseGates;

/// <summary>
/// Holds a service to its service level objective: the SLI (the share of good requests: those that did not fail, or with
/// a latency SLI those answered within the threshold) over the SLO's window, the error budget left (allowed bad requests,
/// (1 − objective) × requests, less the bad ones), and multiwindow burn rates. A window the source does not cover, or
/// without requests, is inconclusive, never a pass.
/// </summary>
internal sealed class SloGate(SloGateOptions options) : IReleaseGate
{
    public async ValueTask<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        var metrics = await options.Source!.ReadAsync(context, cancellationToken).ConfigureAwait(false);
        if (metrics.Windows is not { } windows)
        {
            return GateResult.Error($"The source {options.Source.Description} gave no per-interval counts, which an SLO's window needs.");
        }

        return Judge(windows, options, options.Source.Description).WithSourceEvidence(metrics.SourceMeasurements, metrics.SourceFindings);
    }

    /// <summary>The verdict as a pure function of the windows and the options.</summary>
    internal static GateResult Judge(RequestWindows windows, SloGateOptions options, string source)
    {
        var window = ShortDuration(options.Window);
        if (windows.Capacity < options.Window)
        {
            var reason = $"The source keeps {ShortDuration(windows.Capacity)} of intervals; the SLO's window is {window}, "
                + $"so its error budget cannot be counted (lengthen what {source} keeps, or shorten the window).";
            return GateResult.Skipped(reason,
                [new Measurement("window-covered", windows.Capacity / options.Window * 100, MetricUnit.Percent) { Target = $"of {window}" }]);
        }

        if (Events(windows, options.Window, options) is not { } totals)
        {
            return GateResult.Error($"The source {source} keeps no latency per interval, which a latency SLI (LatencyThreshold) counts: use an "
                + "HttpMetricsCollector or a fleet.");
        }

        if (totals.Total < options.MinimumRequests)
        {
            return GateResult.Skipped(
                $"{totals.Total} requests in the SLO's {window} window; at least {options.MinimumRequests} are needed to count its error budget.",
                [new Measurement("requests", totals.Total, MetricUnit.Count) { Target = $"in {window}" }]);
        }

        var remaining = 1 - (totals.Bad / ((1 - options.Objective) * totals.Total));
        var values = new Dictionary<string, (double Value, MetricUnit Unit)>(StringComparer.Ordinal)
        {
            ["sli"] = (100 * (1 - totals.Rate), MetricUnit.Percent),
            ["budget-remaining"] = (100 * remaining, MetricUnit.Percent),
        };
        var measurements = BudgetEvidence(totals, remaining, options);
        var findings = new List<Finding>();
        if (remaining < options.MinimumBudgetRemaining)
        {
            findings.Add(new Finding(SloGateConstants.BudgetSpent, FindingSeverity.Error,
                $"{totals.Bad} of {totals.Total} requests {Bad(options)} in {window}: {Percent(1 - remaining)} of the error budget of a "
                    + $"{Percent(options.Objective)} objective is spent, leaving {Percent(remaining)} (at least "
                    + $"{Percent(options.MinimumBudgetRemaining)} must be left).") { Target = source });
        }

        var inconclusive = JudgeBurnRates(windows, options, source, values, measurements, findings);
        foreach (var condition in options.Conditions.Select(GateCondition.Parse))
        {
            if (!values.TryGetValue(condition.Metric, out var measured))
            {
                inconclusive.Add($"'{condition}' cannot be judged without its burn rate");
                continue;
            }

            measurements.Add(Measurement.Evaluate(condition.Metric, measured.Value, measured.Unit, condition));
        }

        var summary = GateResult.LeadWithShortfalls(measurements, $"SLI {Percent(1 - totals.Rate)} against {Percent(options.Objective)} "
            + $"over {window}, {Percent(remaining)} of the error budget left, from {source}");
        return inconclusive.Count > 0 && GateVerdict.FromEvidence(measurements, findings) is GateStatus.Passed or GateStatus.Warning
            ? new GateResult(GateStatus.Skipped, $"Insufficient data: {string.Join("; ", inconclusive)} ({summary})", measurements, findings)
            : GateResult.FromEvidence(summary, measurements, findings);
    }

    /// <summary>The SLI, the budget left (held to the minimum and warning), the failures still allowed, and the counts.</summary>
    private static List<Measurement> BudgetEvidence(Counted totals, double remaining, SloGateOptions options)
    {
        var window = ShortDuration(options.Window);
        var allowed = (1 - options.Objective) * totals.Total;
        var budget = GateCondition.AtLeast("budget-remaining", options.MinimumBudgetRemaining * 100, MetricUnit.Percent);
        budget = options.WarningBudgetRemaining is { } w ? budget.WithWarning(w * 100, MetricUnit.Percent) : budget;
        return
        [
            new("sli", 100 * (1 - totals.Rate), MetricUnit.Percent) { Target = $"objective {Percent(options.Objective)} over {window}" },
            Measurement.Evaluate("budget-remaining", 100 * remaining, MetricUnit.Percent, budget) with { Target = $"of {window}" },
            new("budget-remaining-requests", allowed - totals.Bad, MetricUnit.Count) { Target = $"of {allowed:0.#} bad requests allowed" },
            new("requests", totals.Total, MetricUnit.Count) { Target = $"in {window}" },
            new(options.LatencyThreshold is null ? "errors" : "slow-requests", totals.Bad, MetricUnit.Count) { Target = $"in {window}" },
        ];
    }

    /// <summary>Each burn-rate rule over the windows; returns why a rule could not be judged, for those that could not.</summary>
    private static List<string> JudgeBurnRates(RequestWindows windows, SloGateOptions options, string source,
        Dictionary<string, (double Value, MetricUnit Unit)> values, List<Measurement> measurements, List<Finding> findings)
    {
        var inconclusive = new List<string>();
        foreach (var rule in options.BurnRates)
        {
            var (longName, shortName) = (SloGateOptions.BurnRateMetric(rule.LongWindow), SloGateOptions.BurnRateMetric(rule.ShortWindow));
            if (windows.Capacity < rule.LongWindow)
            {
                inconclusive.Add($"the {ShortDuration(rule.LongWindow)} burn rate needs {ShortDuration(rule.LongWindow)} of intervals, "
                    + $"the source keeps {ShortDuration(windows.Capacity)}");
                findings.Add(new Finding(SloGateConstants.BurnRateInconclusive, FindingSeverity.Info, Capitalized(inconclusive[^1]) + ".") { Target = source });
                continue;
            }

            var (longEvents, shortEvents) = (Events(windows, rule.LongWindow, options)!.Value, Events(windows, rule.ShortWindow, options)!.Value);
            var budget = 1 - options.Objective;
            var (longRate, shortRate) = (longEvents.Rate / budget, shortEvents.Rate / budget);
            foreach (var (name, rate, span) in new[] { (longName, longRate, rule.LongWindow), (shortName, shortRate, rule.ShortWindow) })
            {
                if (values.TryAdd(name, (rate, MetricUnit.None)))
                {
                    measurements.Add(new Measurement(name, rate, MetricUnit.None) { Target = $"{ShortDuration(span)} window" });
                }
            }

            var conclusive = longEvents.Total >= options.MinimumRequests && shortEvents.Total >= options.MinimumRequests;
            var threshold = rule.Threshold.ToString("0.##", CultureInfo.InvariantCulture);
            if (conclusive && longRate > rule.Threshold && shortRate > rule.Threshold)
            {
                findings.Add(new Finding(SloGateConstants.BurnRate, FindingSeverity.Error,
                    $"The error budget burns at {longRate:0.#}× over {ShortDuration(rule.LongWindow)} and {shortRate:0.#}× over "
                        + $"{ShortDuration(rule.ShortWindow)}, both above {threshold}×: at that pace a {ShortDuration(options.Window)} budget lasts "
                        + $"{Lasting(options.Window / shortRate)}.") { Target = source });
            }
            else if (!conclusive)
            {
                inconclusive.Add($"the {ShortDuration(rule.LongWindow)}/{ShortDuration(rule.ShortWindow)} burn-rate windows had {longEvents.Total} and "
                    + $"{shortEvents.Total} requests, fewer than the {options.MinimumRequests} each needs");
                findings.Add(new Finding(SloGateConstants.BurnRateInconclusive, FindingSeverity.Info, Capitalized(inconclusive[^1]) + ".") { Target = source });
            }
        }

        return inconclusive;
    }

    /// <summary>
    /// The requests of the last <paramref name="lookback"/> and the bad ones among them: the failed ones, or with a
    /// latency SLI those not answered within the threshold (a value whose bucket straddles it counts as slow, so the
    /// SLI is never flattered by the histogram's resolution). Null when a latency SLI finds no latency in the windows.
    /// </summary>
    private static Counted? Events(RequestWindows windows, TimeSpan lookback, SloGateOptions options)
    {
        if (options.LatencyThreshold is not { } threshold)
        {
            var totals = windows.GetTotals(lookback);
            return new Counted(totals.Total, totals.Errors);
        }

        if (windows.GetLatency(lookback) is not { } latency)
        {
            return null;
        }

        var (fast, _) = latency.CountAtOrBelow(threshold.Ticks * 100);
        return new Counted(latency.Count, latency.Count - fast);
    }

    private static string Bad(SloGateOptions options)
        => options.LatencyThreshold is { } threshold
            ? $"took longer than {MetricUnitFormat.Format(threshold.TotalMilliseconds, MetricUnit.Milliseconds)}"
            : "failed";

    private static string Lasting(TimeSpan span) => span.TotalHours >= 48
        ? span.TotalDays.ToString("0.#", CultureInfo.InvariantCulture) + " days"
        : span.TotalHours.ToString("0.#", CultureInfo.InvariantCulture) + " hours";

    /// <summary>Requests and the bad ones among them.</summary>
    private readonly record struct Counted(long Total, long Bad)
    {
        public double Rate => Total == 0 ? 0 : (double)Bad / Total;
    }

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private static string ShortDuration(TimeSpan span) => SloGateOptions.ShortDuration(span);

    private static string Percent(double share) => (100 * share).ToString("0.###", CultureInfo.InvariantCulture) + " %";
}
