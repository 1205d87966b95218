namespace ReleaseGates;

/// <summary>One PromQL expression as a metric: a scalar, or a vector of one element.</summary>
internal sealed class PrometheusMetricSource(PrometheusConnection connection, string query, TimeProvider time) : MetricSource
{
    private PrometheusClient? _client;

    public override string Description => $"Prometheus {connection}: {query}";

    internal override IEnumerable<string?> Secrets => connection.Secrets;

    internal override void Validate(ICollection<string> problems) => connection.Validate(problems, "Prometheus");

    public override async ValueTask<MetricReading> ReadAsync(GateContext context, CancellationToken cancellationToken)
    {
        var client = _client ??= new PrometheusClient(connection, time);
        var result = await client.QueryAsync(query, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (result.ResultType == "matrix")
        {
            throw new InvalidDataException($"'{query}' is a range vector (matrix): a metric needs an instant value. Wrap it in an aggregation over time, e.g. max_over_time(...[5m]).");
        }

        if (result.ResultType == "string")
        {
            throw new InvalidDataException($"'{query}' yields a string, not a number.");
        }

        var read = PrometheusRequestMetrics.Scalar(result, query);
        if (read is { } number && !double.IsFinite(number))
        {
            // A NaN (0/0 of an idle ratio) or an infinity holds no condition: `< 5` must not pass on -Inf.
            throw new InvalidDataException($"'{query}' at {client.Server} gave {number.ToString(System.Globalization.CultureInfo.InvariantCulture)}, not a finite number (a ratio over no events, or a division by zero).");
        }

        return read is { } value
            ? MetricReading.Of(value, result.Series[0].Labels.Count == 0 ? Description : $"{Description} = {result.Series[0]}")
            : MetricReading.NoData($"'{query}' returned an empty vector at {client.Server}: no series matched (check the metric name and label filters, and that the targets are scraped)");
    }
}
