using System.Globalization;

namespace ReleaseGates;

/// <summary>The SLO judged on ratios recorded by Sloth's rules instead of counted events.</summary>
internal sealed partial class SloGate
{
    /// <summary>Every window's recorded ratio at once (the SLO's window and each rule's two); null where no series answered.</summary>
    private static async Task<Dictionary<TimeSpan, double?>> ReadRatiosAsync(SloRecordedRatios recorded, SloGateOptions options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var client = new PrometheusClient(recorded.Connection, time);
        var at = time.GetUtcNow();
        var windows = options.BurnRates.SelectMany(r => new[] { r.LongWindow, r.ShortWindow }).Append(options.Window).Distinct().ToList();
        var reads = windows.Select(async window =>
        {
            var query = recorded.Query(ShortDuration(window));
            var result = await client.QueryAsync(query, at, cancellationToken).ConfigureAwait(false);
            return (window, result.Series.Count switch
            {
                0 => (double?)null,
                1 => result.Series[0].Samples[^1].Value,
                _ => throw new InvalidDataException($"Prometheus at {client.Server}: '{query}' gave {result.Series.Count} series where one SLO's ratio "
                    + "was expected: narrow the selector."),
            });
        });
        return (await Task.WhenAll(reads).ConfigureAwait(false)).ToDictionary(r => r.window, r => r.Item2);
    }

    /// <summary>
    /// The verdict from recorded error ratios: the SLI and the budget left from the window's ratio, each rule's burn rates
    /// from its windows'. A ratio that is missing, not a number (no traffic: 0/0) or outside 0..1 is inconclusive, never a
    /// pass; the evidence says that the ratios carry no counts.
    /// </summary>
    internal static GateResult JudgeRatios(IReadOnlyDictionary<TimeSpan, double?> ratios, SloGateOptions options, string source)
    {
        var window = ShortDuration(options.Window);
        var budget = 1 - options.Objective;
        var findings = new List<Finding>
        {
            new(SloGateConstants.RecordedRatios, FindingSeverity.Info,
                $"Read from recorded ratios ('{source}'), which carry no counts: how many requests each ratio stands on is not known.") { Target = source },
        };
        if (Usable(ratios.GetValueOrDefault(options.Window)) is not { } ratio)
        {
            var query = source.Replace("<window>", window, StringComparison.Ordinal);
            return new GateResult(GateStatus.Skipped, $"Insufficient data: no usable recorded ratio for the SLO's {window} window "
                + $"('{query}' gave {Describe(ratios.GetValueOrDefault(options.Window))}).", [], findings);
        }

        var remaining = 1 - (ratio / budget);
        var values = new Dictionary<string, (double Value, MetricUnit Unit)>(StringComparer.Ordinal)
        {
            ["sli"] = (100 * (1 - ratio), MetricUnit.Percent),
            ["budget-remaining"] = (100 * remaining, MetricUnit.Percent),
        };
        var minimum = GateCondition.AtLeast("budget-remaining", options.MinimumBudgetRemaining * 100, MetricUnit.Percent);
        minimum = options.WarningBudgetRemaining is { } w ? minimum.WithWarning(w * 100, MetricUnit.Percent) : minimum;
        var measurements = new List<Measurement>
        {
            new("sli", 100 * (1 - ratio), MetricUnit.Percent) { Target = $"objective {Percent(options.Objective)} over {window}" },
            Measurement.Evaluate("budget-remaining", 100 * remaining, MetricUnit.Percent, minimum) with { Target = $"of {window}" },
        };
        AddBudgetSpent(findings, $"The recorded error ratio over {window} is {Percent(ratio)}", remaining, options, source);
        var inconclusive = JudgeRecordedBurnRates(ratios, options, source, values, measurements, findings);
        JudgeConditions(options, values, measurements, inconclusive);
        return Verdict(measurements, findings, inconclusive, $"SLI {Percent(1 - ratio)} against {Percent(options.Objective)} over {window}, "
            + $"{Percent(remaining)} of the error budget left, from recorded ratios");
    }

    /// <summary>Each burn-rate rule over its windows' recorded ratios; returns why a rule could not be judged, for those that could not.</summary>
    private static List<string> JudgeRecordedBurnRates(IReadOnlyDictionary<TimeSpan, double?> ratios, SloGateOptions options, string source,
        Dictionary<string, (double Value, MetricUnit Unit)> values, List<Measurement> measurements, List<Finding> findings)
    {
        var budget = 1 - options.Objective;
        var inconclusive = new List<string>();
        foreach (var rule in options.BurnRates)
        {
            var (longRatio, shortRatio) = (Usable(ratios.GetValueOrDefault(rule.LongWindow)), Usable(ratios.GetValueOrDefault(rule.ShortWindow)));
            foreach (var (span, r) in new[] { (rule.LongWindow, longRatio), (rule.ShortWindow, shortRatio) })
            {
                if (r is { } known && values.TryAdd(SloGateOptions.BurnRateMetric(span), (known / budget, MetricUnit.None)))
                {
                    measurements.Add(new Measurement(SloGateOptions.BurnRateMetric(span), known / budget, MetricUnit.None)
                    {
                        Target = $"{ShortDuration(span)} window",
                    });
                }
            }

            if (longRatio is null || shortRatio is null)
            {
                inconclusive.Add($"the {ShortDuration(rule.LongWindow)}/{ShortDuration(rule.ShortWindow)} burn rate has no usable recorded ratio");
                findings.Add(new Finding(SloGateConstants.BurnRateInconclusive, FindingSeverity.Info, Capitalized(inconclusive[^1]) + ".") { Target = source });
            }
            else if (longRatio / budget > rule.Threshold && shortRatio / budget > rule.Threshold)
            {
                findings.Add(new Finding(SloGateConstants.BurnRate, FindingSeverity.Error,
                    $"The error budget burns at {longRatio / budget:0.#}× over {ShortDuration(rule.LongWindow)} and {shortRatio / budget:0.#}× over "
                        + $"{ShortDuration(rule.ShortWindow)}, both above {rule.Threshold.ToString("0.##", CultureInfo.InvariantCulture)}× (recorded ratios).")
                    { Target = source });
            }
        }

        return inconclusive;
    }

    /// <summary>A recorded error ratio that can be used: a number from 0 to 1.</summary>
    private static double? Usable(double? ratio) => ratio is { } r && r >= 0 && r <= 1 ? r : null;

    private static string Describe(double? ratio) => ratio is { } r ? r.ToString(CultureInfo.InvariantCulture) : "no series";
}
