namespace ReleaseGates;

/// <summary>Holds one number from a metric source to conditions on <c>value</c>.</summary>
internal sealed class MetricGate(MetricGateOptions options) : IReleaseGate
{
    private readonly GateCondition[] _conditions = [.. options.Conditions.Select(GateCondition.Parse)];

    public async ValueTask<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        var source = options.Source!;
        var reading = await source.ReadAsync(context, cancellationToken).ConfigureAwait(false);
        if (reading.Value is not { } value)
        {
            var reason = "No data: " + (reading.Detail ?? source.Description + " gave no value");
            return options.NoDataStatus == GateStatus.Failed
                ? GateResult.Failed(reason, findings: [new Finding(MetricGateConstants.NoData, FindingSeverity.Error, reason) { Target = source.Description }])
                : GateResult.Skipped(reason);
        }

        var target = reading.Detail ?? source.Description;
        var baseline = context.Baseline?.Find("value")?.Value;
        var measurements = _conditions.Select(c => Measurement.Evaluate("value", value, options.Unit, c, baseline) with { Target = target }).ToList();
        return GateResult.FromEvidence(GateResult.LeadWithShortfalls(measurements,
            $"value {MetricUnitFormat.Format(value, options.Unit)} from {source.Description}"), measurements, []);
    }
}
