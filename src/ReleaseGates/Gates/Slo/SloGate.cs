using System.Globalization;
using ReleaseGates.Metrics;

namespace ReleaseGates;

/// <summary>
/// Holds a service to its service level objective: the SLI (the share of good requests: those that did not fail, or with
/// a latency SLI those answered within the threshold) over the SLO's window, the error budget left (allowed bad requests,
/// (1 − objective) × requests, less the bad ones), and multiwindow burn rates. A window the source does not cover, or
/// without requests, is inconclusive, never a pass.
/// </summary>
internal sealed partial class SloGate(SloGateOptions options) : IReleaseGate
{
    public async ValueTask<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        if (options.RecordedRatios is { } recorded)
        {
            return JudgeRatios(await ReadRatiosAsync(recorded, options, context.TimeProvider, cancellationToken).ConfigureAwait(false), options,
                recorded.Query("<window>"));
        }

        var metrics = await options.Source!.ReadAsync(context, cancellationToken).ConfigureAwait(false);
        if (metrics.Windows is not { } windows)
        {
            return GateResult.Error($"The source {options.Source.Description} gave no per-interval counts, which an SLO's window needs.");
        }

        return Judge(windows, options, options.Source.Description).WithSourceEvidence(metrics);
    }

    /// <summary>The verdict as a pure function of the windows and the options.</summary>
    internal static GateResult Judge(RequestWindows windows, SloGateOptions options, string source)
    {
        var (span, window, problem) = EffectiveWindow(windows, options, source);
        if (problem is not null)
        {
            return problem;
        }

        if (options.BudgetingMethod is not SloBudgetingMethod.Occurrences && options.TimesliceWindow.Ticks % windows.Interval.Ticks != 0)
        {
            return GateResult.Error($"A time slice of {ShortDuration(options.TimesliceWindow)} is not a whole number of the source's "
                + $"{ShortDuration(windows.Interval)} intervals: choose a slice that is, or a source step that divides it.");
        }

        if (Count(windows, span, options) is not { } totals)
        {
            return GateResult.Error($"The source {source} keeps no latency per interval, which a latency SLI (LatencyThreshold) counts: use an "
                + "HttpMetricsCollector or a fleet.");
        }

        if (totals.Requests < options.MinimumRequests)
        {
            return GateResult.Skipped(
                $"{totals.Requests} requests in the SLO's {window} window; at least {options.MinimumRequests} are needed to count its error budget.",
                [new Measurement("requests", totals.Requests, MetricUnit.Count) { Target = $"in {window}" }]);
        }

        var remaining = 1 - (totals.Bad / ((1 - options.Objective) * totals.Units));
        var values = new Dictionary<string, (double Value, MetricUnit Unit)>(StringComparer.Ordinal)
        {
            ["sli"] = (100 * (1 - totals.Rate), MetricUnit.Percent),
            ["budget-remaining"] = (100 * remaining, MetricUnit.Percent),
        };
        var measurements = BudgetEvidence(totals, remaining, options, window);
        var findings = new List<Finding>();
        AddBudgetSpent(findings, $"{BadText(totals, options)} in {window}", remaining, options, source);
        var inconclusive = JudgeBurnRates(windows, options, source, values, measurements, findings);
        JudgeConditions(options, values, measurements, inconclusive);
        return Verdict(measurements, findings, inconclusive, $"SLI {Percent(1 - totals.Rate)} against {Percent(options.Objective)} "
            + $"over {window}{Method(options)}, {Percent(remaining)} of the error budget left, from {source}");
    }

    /// <summary>The budget-spent finding when less than the minimum is left, opening with what was bad.</summary>
    private static void AddBudgetSpent(List<Finding> findings, string bad, double remaining, SloGateOptions options, string source)
    {
        if (remaining < options.MinimumBudgetRemaining)
        {
            findings.Add(new Finding(SloGateConstants.BudgetSpent, FindingSeverity.Error,
                $"{bad}: {Percent(1 - remaining)} of the error budget of a {Percent(options.Objective)} objective is spent, leaving "
                    + $"{Percent(remaining)} (at least {Percent(options.MinimumBudgetRemaining)} must be left).") { Target = source });
        }
    }

    /// <summary>The evidence's verdict, or inconclusive when something could not be judged and nothing judged fails.</summary>
    private static GateResult Verdict(List<Measurement> measurements, List<Finding> findings, List<string> inconclusive, string description)
    {
        var summary = GateResult.LeadWithShortfalls(measurements, description);
        return inconclusive.Count > 0 && GateVerdict.FromEvidence(measurements, findings) is GateStatus.Passed or GateStatus.Warning
            ? new GateResult(GateStatus.Skipped, $"Insufficient data: {string.Join("; ", inconclusive)} ({summary})", measurements, findings)
            : GateResult.FromEvidence(summary, measurements, findings);
    }

    /// <summary>The further conditions over the values measured; one whose burn rate could not be measured is inconclusive.</summary>
    private static void JudgeConditions(SloGateOptions options, Dictionary<string, (double Value, MetricUnit Unit)> values,
        List<Measurement> measurements, List<string> inconclusive)
    {
        foreach (var condition in options.Conditions.Select(GateCondition.Parse))
        {
            if (!values.TryGetValue(condition.Metric, out var measured))
            {
                inconclusive.Add($"'{condition}' cannot be judged without its burn rate");
                continue;
            }

            measurements.Add(Measurement.Evaluate(condition.Metric, measured.Value, measured.Unit, condition));
        }
    }

    /// <summary>
    /// The span to count and how messages name it: the rolling window, or the current calendar period so far. A problem
    /// (the source keeps too little, the calendar has not started) is the gate's result instead.
    /// </summary>
    private static (TimeSpan Span, string Name, GateResult? Problem) EffectiveWindow(RequestWindows windows, SloGateOptions options, string source)
    {
        var (span, name) = (options.Window, ShortDuration(options.Window));
        if (options.Calendar is { } calendar)
        {
            var now = windows.Now;
            if (calendar.StartsAfter(now))
            {
                var first = calendar.Start.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
                return (span, name,
                    GateResult.Skipped($"The SLO's calendar starts at {first} {calendar.TimeZone}, after now: there is no period to count yet."));
            }

            var (start, end) = calendar.PeriodAt(now);
            (span, name) = (now - start, $"the {calendar.Period} period from {Utc(start)} to {Utc(end)}");
        }

        if (windows.Capacity < span)
        {
            var reason = $"The source keeps {ShortDuration(windows.Capacity)} of intervals; the SLO's window is {name}, "
                + $"so its error budget cannot be counted (lengthen what {source} keeps, or shorten the window).";
            return (span, name, GateResult.Skipped(reason,
                [new Measurement("window-covered", windows.Capacity / span * 100, MetricUnit.Percent) { Target = $"of {name}" }]));
        }

        return (span, name, null);
    }

    /// <summary>The SLI, the budget left (held to the minimum and warning), the failures or slices still allowed, and the counts.</summary>
    private static List<Measurement> BudgetEvidence(Counted totals, double remaining, SloGateOptions options, string window)
    {
        var allowed = (1 - options.Objective) * totals.Units;
        var budget = GateCondition.AtLeast("budget-remaining", options.MinimumBudgetRemaining * 100, MetricUnit.Percent);
        budget = options.WarningBudgetRemaining is { } w ? budget.WithWarning(w * 100, MetricUnit.Percent) : budget;
        var slices = options.BudgetingMethod is not SloBudgetingMethod.Occurrences;
        var evidence = new List<Measurement>
        {
            new("sli", 100 * (1 - totals.Rate), MetricUnit.Percent) { Target = $"objective {Percent(options.Objective)} over {window}" },
            Measurement.Evaluate("budget-remaining", 100 * remaining, MetricUnit.Percent, budget) with { Target = $"of {window}" },
            slices
                ? new("budget-remaining-slices", allowed - totals.Bad, MetricUnit.Count) { Target = $"of {allowed:0.#} bad slices allowed" }
                : new("budget-remaining-requests", allowed - totals.Bad, MetricUnit.Count) { Target = $"of {allowed:0.#} bad requests allowed" },
            new("requests", totals.Requests, MetricUnit.Count) { Target = $"in {window}" },
        };
        if (slices)
        {
            evidence.Add(new("slices", totals.Units, MetricUnit.Count) { Target = $"{ShortDuration(options.TimesliceWindow)} slices with requests" });
            evidence.Add(new("bad-slices", totals.Bad, MetricUnit.Count) { Target = options.BudgetingMethod is SloBudgetingMethod.Timeslices
                ? $"below {Percent(options.TimesliceTarget!.Value)} good" : "sum of each slice's bad share" });
        }
        else
        {
            evidence.Add(new(options.LatencyThreshold is null ? "errors" : "slow-requests", totals.Bad, MetricUnit.Count) { Target = $"in {window}" });
        }

        return evidence;
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

            var (longEvents, shortEvents) = (Count(windows, rule.LongWindow, options)!.Value, Count(windows, rule.ShortWindow, options)!.Value);
            var budget = 1 - options.Objective;
            var (longRate, shortRate) = (longEvents.Rate / budget, shortEvents.Rate / budget);
            foreach (var (name, rate, span) in new[] { (longName, longRate, rule.LongWindow), (shortName, shortRate, rule.ShortWindow) })
            {
                if (values.TryAdd(name, (rate, MetricUnit.None)))
                {
                    measurements.Add(new Measurement(name, rate, MetricUnit.None) { Target = $"{ShortDuration(span)} window" });
                }
            }

            var conclusive = longEvents.Requests >= options.MinimumRequests && shortEvents.Requests >= options.MinimumRequests;
            var threshold = rule.Threshold.ToString("0.##", CultureInfo.InvariantCulture);
            if (conclusive && longRate > rule.Threshold && shortRate > rule.Threshold)
            {
                var lasting = options.Calendar is null ? $"a {ShortDuration(options.Window)} budget lasts {Lasting(options.Window / shortRate)}"
                    : $"a budget meant for a {options.Calendar.Period} period lasts a {shortRate:0.#}th of it";
                findings.Add(new Finding(SloGateConstants.BurnRate, FindingSeverity.Error,
                    $"The error budget burns at {longRate:0.#}× over {ShortDuration(rule.LongWindow)} and {shortRate:0.#}× over "
                        + $"{ShortDuration(rule.ShortWindow)}, both above {threshold}×: at that pace {lasting}.") { Target = source });
            }
            else if (!conclusive)
            {
                inconclusive.Add($"the {ShortDuration(rule.LongWindow)}/{ShortDuration(rule.ShortWindow)} burn-rate windows had {longEvents.Requests} and "
                    + $"{shortEvents.Requests} requests, fewer than the {options.MinimumRequests} each needs");
                findings.Add(new Finding(SloGateConstants.BurnRateInconclusive, FindingSeverity.Info, Capitalized(inconclusive[^1]) + ".") { Target = source });
            }
        }

        return inconclusive;
    }

    /// <summary>
    /// What the last <paramref name="lookback"/> holds: its requests, and the budget's units and bad ones among them. By
    /// occurrences a unit is a request, bad when it failed (or with a latency SLI, when it was not answered within the
    /// threshold; a value whose bucket straddles it counts as slow, so the SLI is never flattered by the histogram's
    /// resolution). By time slices a unit is a slice with requests, bad when its good share is below the slice target, or
    /// by ratio time slices as bad as its bad share. Null when a latency SLI finds no latency in the windows.
    /// </summary>
    private static Counted? Count(RequestWindows windows, TimeSpan lookback, SloGateOptions options)
    {
        if (options.LatencyThreshold is not null && !windows.TracksLatency)
        {
            return null;
        }

        var slice = options.BudgetingMethod is SloBudgetingMethod.Occurrences ? 0 : options.TimesliceWindow.Ticks;
        var counter = new SliceCounter(options, slice);
        windows.Visit(lookback, (interval, latency) =>
        {
            if (options.LatencyThreshold is not { } threshold)
            {
                counter.Add(interval.Start, interval.Total, interval.Errors);
            }
            else if (latency is not null)
            {
                var (fast, _) = latency.CountAtOrBelow(threshold.Ticks * 100);
                counter.Add(interval.Start, latency.Count, latency.Count - fast);
            }
        });
        return counter.Result();
    }

    /// <summary>Adds intervals, oldest first, into requests and the budget's units (requests, or slices of the given length).</summary>
    private sealed class SliceCounter(SloGateOptions options, long sliceTicks)
    {
        private long _requests;
        private double _units;
        private double _bad;
        private long _slice = long.MinValue;
        private long _sliceTotal;
        private long _sliceBad;

        public void Add(DateTimeOffset start, long total, long bad)
        {
            _requests += total;
            if (sliceTicks == 0)
            {
                (_units, _bad) = (_units + total, _bad + bad);
                return;
            }

            var slice = Math.DivRem(start.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks, sliceTicks, out var rest) - (rest < 0 ? 1 : 0);
            if (slice != _slice)
            {
                Close();
                _slice = slice;
            }

            (_sliceTotal, _sliceBad) = (_sliceTotal + total, _sliceBad + bad);
        }

        public Counted Result()
        {
            Close();
            return new Counted(_requests, _units, _bad);
        }

        private void Close()
        {
            if (_sliceTotal > 0)
            {
                var badShare = (double)_sliceBad / _sliceTotal;
                _units++;
                _bad += options.BudgetingMethod is SloBudgetingMethod.RatioTimeslices ? badShare
                    : 1 - badShare < options.TimesliceTarget!.Value ? 1 : 0;
            }

            (_sliceTotal, _sliceBad) = (0, 0);
        }
    }

    /// <summary>How the bad units are told: failed or slow requests, or bad slices.</summary>
    private static string BadText(Counted totals, SloGateOptions options) => options.BudgetingMethod switch
    {
        SloBudgetingMethod.Occurrences => $"{totals.Bad} of {totals.Requests} requests " + (options.LatencyThreshold is { } threshold
            ? $"took longer than {MetricUnitFormat.Format(threshold.TotalMilliseconds, MetricUnit.Milliseconds)}" : "failed"),
        SloBudgetingMethod.Timeslices => $"{totals.Bad} of {totals.Units} {ShortDuration(options.TimesliceWindow)} slices had fewer than "
            + $"{Percent(options.TimesliceTarget!.Value)} good requests",
        _ => $"the {totals.Units} {ShortDuration(options.TimesliceWindow)} slices were {Percent(totals.Rate)} bad on average",
    };

    private static string Method(SloGateOptions options) => options.BudgetingMethod is SloBudgetingMethod.Occurrences ? ""
        : $" by {ShortDuration(options.TimesliceWindow)} {(options.BudgetingMethod is SloBudgetingMethod.Timeslices ? "time" : "ratio time")} slices";

    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Lasting(TimeSpan span) => span.TotalHours >= 48
        ? span.TotalDays.ToString("0.#", CultureInfo.InvariantCulture) + " days"
        : span.TotalHours.ToString("0.#", CultureInfo.InvariantCulture) + " hours";

    /// <summary>Requests, and the budget's units (requests or slices) and the bad ones among them.</summary>
    private readonly record struct Counted(long Requests, double Units, double Bad)
    {
        public double Rate => Units == 0 ? 0 : Bad / Units;
    }

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private static string ShortDuration(TimeSpan span) => SloGateOptions.ShortDuration(span);

    private static string Percent(double share) => (100 * share).ToString("0.###", CultureInfo.InvariantCulture) + " %";
}
