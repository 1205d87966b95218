namespace ReleaseGates;

/// <summary>
/// One series of a Prometheus answer: its labels and its float sample (instant query) or samples (range query), or for a
/// native histogram series its histogram sample or samples.
/// </summary>
internal sealed record PrometheusSeries(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<(DateTimeOffset Time, double Value)> Samples)
{
    /// <summary>The native histogram samples of the series (empty for a float series).</summary>
    public IReadOnlyList<(DateTimeOffset Time, NativeHistogram Histogram)> Histograms { get; init; } = [];

    /// <summary>The series as PromQL writes it: <c>{le="0.1", job="api"}</c>.</summary>
    public override string ToString()
        => Labels.Count == 0 ? "{}" : "{" + string.Join(", ", Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}=\"{l.Value}\"")) + "}";
}
