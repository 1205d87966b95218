namespace ReleaseGates;

/// <summary>One source over another, or one as a share of both.</summary>
internal sealed class RatioMetricSource(MetricSource first, MetricSource second, bool share) : MetricSource
{
    public override string Description =>
        share ? $"{first.Description} / ({first.Description} + {second.Description})" : $"{first.Description} / {second.Description}";

    internal override IEnumerable<string?> Secrets => first.Secrets.Concat(second.Secrets);

    internal override void Validate(ICollection<string> problems)
    {
        first.Validate(problems);
        second.Validate(problems);
    }

    public override async ValueTask<MetricReading> ReadAsync(GateContext context, CancellationToken cancellationToken)
    {
        var a = first.ReadAsync(context, cancellationToken).AsTask();
        var b = second.ReadAsync(context, cancellationToken).AsTask();
        await Task.WhenAll(a, b).ConfigureAwait(false);
        var (x, y) = (await a.ConfigureAwait(false), await b.ConfigureAwait(false));
        if (x.Value is not { } top)
        {
            return MetricReading.NoData(x.Detail ?? first.Description + " gave no value");
        }

        if (y.Value is not { } other)
        {
            return MetricReading.NoData(y.Detail ?? second.Description + " gave no value");
        }

        var whole = share ? top + other : other;
        return whole == 0
            ? MetricReading.NoData($"{(share ? "both are 0" : "the denominator is 0")}, so the ratio is undefined: {Description}")
            : MetricReading.Of(top / whole, $"{Format(top)} / {Format(whole)} from {Description}");
    }

    private static string Format(double value) => value.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);
}
