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

    public static RequestMetrics Read(string file, string durationMetric)
    {
        JsonDocument document;
        try
        {
            using var stream = File.OpenRead(file);
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = false, MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            throw new IO.ReportFormatException(file, (int)(ex.LineNumber + 1 ?? 0), "malformed JSON: " + ex.Message, ex);
        }

        using (document)
        {
            if (!document.RootElement.TryGetProperty("metrics", out var metrics) || metrics.ValueKind != JsonValueKind.Object)
            {
                throw new IO.ReportFormatException(file, 0, "not a k6 summary: the property 'metrics' (an object) is missing");
            }

            var duration = Values(metrics, durationMetric, file)
                ?? throw new IO.ReportFormatException(file, 0, $"the metric '{durationMetric}' is missing from metrics");
            var statistics = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var property in duration.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Number && (TrendStats.Contains(property.Name) || LatencyGateOptions.PercentileMetric().IsMatch(property.Name)))
                {
                    statistics[property.Name] = property.Value.GetDouble();
                }
            }

            var reqs = Values(metrics, "http_reqs", file) ?? throw new IO.ReportFormatException(file, 0, "the metric 'http_reqs' is missing from metrics");
            var count = Number(reqs, "count", "http_reqs", file);
            var rate = Number(reqs, "rate", "http_reqs", file);
            long? errors = null;
            if (Values(metrics, "http_req_failed", file) is { } failed)
            {
                // passes = non-zero samples of the rate = failed requests (the name misleads).
                errors = (long)Number(failed, "passes", "http_req_failed", file);
            }

            return new RequestMetrics
            {
                LatencyStatistics = statistics,
                Total = (long)count,
                Errors = errors,
                Duration = rate > 0 ? TimeSpan.FromSeconds(count / rate) : null,
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

    private static double Number(JsonElement values, string field, string metric, string file)
        => values.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Number
            ? v.GetDouble()
            : throw new IO.ReportFormatException(file, 0, $"metrics.{metric}.{field} is missing or not a number");
}
