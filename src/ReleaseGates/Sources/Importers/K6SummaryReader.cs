using System.Text.Json;

namespace ReleaseGates;

/// <summary>
/// Reads a k6 end-of-test summary: the legacy <c>--summary-export</c> JSON (<c>metrics.http_req_duration.p(95)</c>) or the
/// <c>handleSummary</c> / <c>--new-machine-readable-summary</c> JSON (<c>metrics.http_req_duration.values.p(95)</c>).
/// Durations are milliseconds; <c>http_req_failed</c> is a rate whose non-zero samples (<c>passes</c>) are the FAILED requests.
/// </summary>
internal static class K6SummaryReader
{
    private static readonly string[] TrendStats = ["avg", "min", "med", "max"];

    /// <summary>The largest summary read: real ones are kilobytes.</summary>
    internal const long MaxBytes = 16 << 20;

    public static async ValueTask<RequestMetrics> ReadAsync(string file, string durationMetric, CancellationToken cancellationToken)
    {
        var bytes = await IO.SafeFile.ReadAllBytesAsync(file, MaxBytes, cancellationToken).ConfigureAwait(false);
        return Read(bytes, file, durationMetric);
    }

    internal static RequestMetrics Read(ReadOnlyMemory<byte> bytes, string file, string durationMetric)
    {
        var document = IO.JsonFile.Parse(bytes, file);

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new IO.ReportFormatException(file, 0,
                    $"not a k6 summary: the JSON root is {document.RootElement.ValueKind}, expected an object with 'metrics'");
            }

            if (!document.RootElement.TryGetProperty("metrics", out var metrics) || metrics.ValueKind != JsonValueKind.Object)
            {
                throw new IO.ReportFormatException(file, 0, "not a k6 summary: the property 'metrics' (an object) is missing");
            }

            var duration = Values(metrics, durationMetric, file)
                ?? throw new IO.ReportFormatException(file, 0, $"the metric '{durationMetric}' is missing from metrics");
            var statistics = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var property in duration.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Number
                    && (TrendStats.Contains(property.Name) || LatencyStatisticNames.Percentile().IsMatch(property.Name)))
                {
                    // A duration is never negative, NaN or beyond a double: such a summary was not written by k6.
                    statistics[property.Name] = property.Value.TryGetDouble(out var value) && double.IsFinite(value) && value >= 0
                        ? value
                        : throw new IO.ReportFormatException(file, 0,
                            $"metrics.{durationMetric}.{property.Name} is {property.Value.GetRawText()}, expected milliseconds of at least 0");
                }
            }

            var reqs = Values(metrics, "http_reqs", file) ?? throw new IO.ReportFormatException(file, 0, "the metric 'http_reqs' is missing from metrics");
            var count = Count(reqs, "count", "http_reqs", file);
            var rate = Number(reqs, "rate", "http_reqs", file);
            long? errors = null;
            if (Values(metrics, "http_req_failed", file) is { } failed)
            {
                // passes = non-zero samples of the rate = failed requests (the name misleads).
                errors = Count(failed, "passes", "http_req_failed", file);
                if (errors > count)
                {
                    throw new IO.ReportFormatException(file, 0,
                        $"metrics.http_req_failed.passes ({errors} failed requests) is more than metrics.http_reqs.count ({count})");
                }
            }

            return new RequestMetrics
            {
                LatencyStatistics = statistics,
                Total = count,
                Errors = errors,
                Duration = rate > 0 && count / rate < TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromSeconds(count / rate) : null,
            };
        }
    }

    /// <summary>The values object of a metric in either format: legacy keeps them on the metric, the new format under "values".</summary>
    private static JsonElement? Values(JsonElement metrics, string name, string file)
    {
        if (!metrics.TryGetProperty(name, out var metric))
        {
            return null;
        }

        if (metric.ValueKind != JsonValueKind.Object)
        {
            throw new IO.ReportFormatException(file, 0, $"metrics.{name} is {metric.ValueKind}, expected an object");
        }

        return metric.TryGetProperty("values", out var values) && values.ValueKind == JsonValueKind.Object ? values : metric;
    }

    /// <summary>A finite, non-negative number.</summary>
    private static double Number(JsonElement values, string field, string metric, string file)
        => values.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d) && d >= 0
            ? d
            : throw new IO.ReportFormatException(file, 0,
                $"metrics.{metric}.{field} is {(values.TryGetProperty(field, out var raw) ? raw.GetRawText() : "missing")}, expected a number of at least 0");

    /// <summary>A whole, non-negative count.</summary>
    private static long Count(JsonElement values, string field, string metric, string file)
        => values.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n >= 0
            ? n
            : throw new IO.ReportFormatException(file, 0,
                $"metrics.{metric}.{field} is {(values.TryGetProperty(field, out var raw) ? raw.GetRawText() : "missing")}, expected a whole count of at least 0");
}
