namespace ReleaseGates;

/// <summary>One series of a Prometheus answer: its labels and its sample (instant query) or samples (range query).</summary>
internal sealed record PrometheusSeries(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<(DateTimeOffset Time, double Value)> Samples)
{
    /// <summary>The series as PromQL writes it: <c>{le="0.1", job="api"}</c>.</summary>
    public override string ToString()
        => Labels.Count == 0 ? "{}" : "{" + string.Join(", ", Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}=\"{l.Value}\"")) + "}";
}
