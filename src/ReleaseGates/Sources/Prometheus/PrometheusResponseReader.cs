using System.Globalization;
using System.Net;
using System.Text.Json;

namespace ReleaseGates;

/// <summary>Reads the JSON envelope of the Prometheus HTTP API: <c>{"status":"success","data":{"resultType":…,"result":…}}</c> or an error.</summary>
internal static class PrometheusResponseReader
{
    public static PrometheusResult Read(string body, HttpStatusCode status, string server, string query)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            var excerpt = body.Length > 200 ? body[..200] + "…" : body;
            throw new InvalidDataException($"Prometheus at {server} answered '{query}' with HTTP {(int)status} and a body that is not the API's JSON: {excerpt}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("status", out var state))
            {
                throw new InvalidDataException($"Prometheus at {server} answered '{query}' with HTTP {(int)status} and JSON without a status.");
            }

            if (state.GetString() != "success")
            {
                var type = root.TryGetProperty("errorType", out var t) ? t.GetString() : "error";
                var message = root.TryGetProperty("error", out var e) ? e.GetString() : "(no message)";
                throw new InvalidDataException($"Prometheus at {server} rejected '{query}' (HTTP {(int)status}, {type}): {message}");
            }

            var data = root.GetProperty("data");
            var resultType = data.GetProperty("resultType").GetString() ?? "";
            var result = data.GetProperty("result");
            var series = resultType switch
            {
                "scalar" or "string" => [new PrometheusSeries(new Dictionary<string, string>(), [Sample(result)])],
                "vector" => result.EnumerateArray().Select(s => new PrometheusSeries(Labels(s), [Sample(s.GetProperty("value"))])).ToList(),
                "matrix" => result.EnumerateArray().Select(s => new PrometheusSeries(Labels(s), [.. s.GetProperty("values").EnumerateArray().Select(Sample)])).ToList(),
                _ => throw new InvalidDataException($"Prometheus at {server} answered '{query}' with an unknown result type '{resultType}'."),
            };
            var warnings = root.TryGetProperty("warnings", out var w) && w.ValueKind == JsonValueKind.Array
                ? w.EnumerateArray().Select(x => x.GetString() ?? "").ToList()
                : [];
            return new PrometheusResult(resultType, series, warnings);
        }
    }

    private static Dictionary<string, string> Labels(JsonElement series)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (series.TryGetProperty("metric", out var metric))
        {
            foreach (var label in metric.EnumerateObject())
            {
                labels[label.Name] = label.Value.GetString() ?? "";
            }
        }

        return labels;
    }

    /// <summary>A <c>[unix seconds, "value"]</c> pair; values are strings so that <c>NaN</c> and <c>+Inf</c> survive JSON.</summary>
    private static (DateTimeOffset, double) Sample(JsonElement pair)
    {
        var seconds = pair[0].GetDouble();
        var text = pair[1].GetString() ?? "NaN";
        var value = text switch
        {
            "+Inf" or "Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw new InvalidDataException($"The sample value '{text}' is not a number."),
        };
        return (DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000)), value);
    }
}
