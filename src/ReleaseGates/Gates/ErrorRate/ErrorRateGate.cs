namespace ReleaseGates;

/// <summary>Holds the error rate of a request-metrics source to a maximum, a sustained condition and a burn rate.</summary>
internal sealed class ErrorRateGate(ErrorRateGateOptions options) : IReleaseGate
{
    public async ValueTask<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        var metrics = await options.Source!.ReadAsync(context, cancellationToken).ConfigureAwait(false);
        return Judge(metrics, options, context.Baseline).WithSourceEvidence(metrics);
    }

    /// <summary>The verdict as a pure function of the metrics and options.</summary>
    internal static GateResult Judge(RequestMetrics metrics, ErrorRateGateOptions options, GateBaseline? baseline)
    {
        var source = options.Source!.Description;
        var requests = metrics.Total;
        var errors = metrics.Errors ?? 0;
        if (requests < Math.Max(1, options.MinimumRequests))
        {
            var reason = $"{requests} requests from {source}; at least {Math.Max(1, options.MinimumRequests)} are needed to judge the error rate";
            var evidence = new[] { new Measurement("requests", requests, MetricUnit.Count) { Target = source } };
            return options.NoDataStatus == GateStatus.Failed
                ? GateResult.Failed(reason, evidence, [new Finding(ErrorRateGateConstants.ErrorRateNoData, FindingSeverity.Error, reason) { Target = source }])
                : GateResult.Skipped(reason, evidence);
        }

        var rate = (double)errors / requests;
        var conditions = new List<GateCondition>();
        if (options.MaximumRate is { } maximum)
        {
            var condition = GateCondition.AtMost("rate", MetricUnitFormat.RatioToPercent(maximum), MetricUnit.Percent);
            conditions.Add(options.WarningRate is { } w ? condition.WithWarning(MetricUnitFormat.RatioToPercent(w), MetricUnit.Percent) : condition);
        }

        conditions.AddRange(options.Conditions.Select(GateCondition.Parse));
        var measurements = new List<Measurement>();
        foreach (var condition in conditions)
        {
            var (value, unit) = condition.Metric switch
            {
                "errors" => ((double)errors, MetricUnit.Count),
                "requests" => ((double)requests, MetricUnit.Count),
                _ => (rate, MetricUnit.Ratio),
            };
            var baselineValue = baseline?.Find(condition.Metric)?.Value;
            measurements.Add(Measurement.Evaluate(condition.Metric, value, unit, condition, baselineValue) with { Target = source });
        }

        if (!conditions.Any(c => c.Metric == "rate"))
        {
            measurements.Add(new Measurement("rate", rate, MetricUnit.Ratio) { Target = source });
        }

        measurements.Add(new Measurement("requests", requests, MetricUnit.Count) { Target = source });
        measurements.Add(new Measurement("errors", errors, MetricUnit.Count) { Target = source });
        var findings = new List<Finding>();
        var inconclusive = new List<string>();
        if (metrics.Windows is { } windows)
        {
            if (options.SustainedAbove is { } above)
            {
                var sustained = windows.CheckErrorRateSustainedAbove(above, options.SustainedFor, options.MinimumRequestsPerInterval);
                measurements.Add(new Measurement("sustained-breached-intervals", sustained.BreachedIntervals,
                    MetricUnit.Count) { Target = $"of {sustained.Intervals} in {options.SustainedFor}" });
                measurements.Add(new Measurement("sustained-covered-intervals", sustained.JudgedIntervals,
                    MetricUnit.Count) { Target = $"of {sustained.Intervals} with at least {options.MinimumRequestsPerInterval} requests" });
                if (sustained.Sustained)
                {
                    findings.Add(new Finding(ErrorRateGateConstants.ErrorRateSustained, FindingSeverity.Error,
                        $"The error rate stayed above {above:P2} in every one of the {sustained.Intervals} intervals of the last {options.SustainedFor}.") { Target = source });
                }
                else if (sustained.JudgedIntervals < sustained.Intervals)
                {
                    // "Never above 10 % for 3 minutes" needs 3 minutes of traffic: less data proves nothing either way.
                    var covered = windows.Interval * sustained.JudgedIntervals;
                    var reason = $"only {sustained.JudgedIntervals} of the {sustained.Intervals} intervals of the last {options.SustainedFor} had at least {options.MinimumRequestsPerInterval} requests ({covered} of {options.SustainedFor} covered), so 'above {above:P2} for {options.SustainedFor}' cannot be judged";
                    inconclusive.Add(reason);
                    findings.Add(new Finding(ErrorRateGateConstants.ErrorRateSustainedInsufficientData, FindingSeverity.Info,
                        char.ToUpperInvariant(reason[0]) + reason[1..] + ".") { Target = source });
                }
            }

            if (options.BurnRate is { } burn)
            {
                var result = windows.GetBurnRate(burn.Slo, burn.LongWindow, burn.ShortWindow, burn.Threshold, burn.MinimumRequests);
                measurements.Add(new Measurement("burn-rate-long", result.LongBurnRate, MetricUnit.None) { Target = $"{burn.LongWindow} window" });
                measurements.Add(new Measurement("burn-rate-short", result.ShortBurnRate, MetricUnit.None) { Target = $"{burn.ShortWindow} window" });
                if (result.Breached)
                {
                    findings.Add(new Finding(ErrorRateGateConstants.ErrorRateBurnRate, FindingSeverity.Error,
                        $"The error budget of a {burn.Slo:P2} SLO burns at {result.LongBurnRate:0.#}× over {burn.LongWindow} and {result.ShortBurnRate:0.#}× over {burn.ShortWindow}, both above {burn.Threshold}×.") { Target = source });
                }
                else if (!result.Conclusive)
                {
                    var reason = $"the burn-rate windows had {result.LongWindow.Total} requests in {burn.LongWindow} and {result.ShortWindow.Total} in {burn.ShortWindow}, fewer than the {burn.MinimumRequests} each needs, so the burn rate cannot be judged";
                    inconclusive.Add(reason);
                    findings.Add(new Finding(ErrorRateGateConstants.ErrorRateBurnRateInconclusive, FindingSeverity.Info,
                        char.ToUpperInvariant(reason[0]) + reason[1..] + ".") { Target = source });
                }
            }
        }

        var summary = GateResult.LeadWithShortfalls(measurements, $"{errors} of {requests} requests failed ({rate:P2}) from {source}");
        if (inconclusive.Count > 0)
        {
            // Inconclusive, never a pass: Skipped unless the evidence that was judged already fails.
            return new GateResult(GateStatus.Skipped, $"Insufficient data: {string.Join("; ", inconclusive)} ({summary})", measurements, findings);
        }

        return GateResult.FromEvidence(summary, measurements, findings);
    }
}
