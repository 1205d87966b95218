using System.Globalization;
using System.Net;
using System.Text.Json;

namespace ReleaseGates;

/// <summary>Reads the JSON envelope of the Prometheus HTTP API: <c>{"status":"success","data":{"resultType":…,"result":…}}</c> or an error.</summary>
internal static class PrometheusResponseReader
{
    /// <summary>
    /// The answer's data, or an <see cref="InvalidDataException"/> naming the server and the query for anything else: a
    /// body that is not JSON, an error status, or JSON of the wrong shape (a label value that is not a string, a sample
    /// that is not <c>[time, "value"]</c>). A body is quoted only in part, and never for 401 or 403 (a login page may
    /// echo the credential); <paramref name="mask"/> removes the connection's own credentials from whatever is quoted.
    /// </summary>
    public static PrometheusResult Read(string body, HttpStatusCode status, string server, string query, Func<string, string>? mask = null)
    {
        mask ??= static text => text;
        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new InvalidDataException(
                $"Prometheus at {server} refused '{query}' with HTTP {(int)status}: check the credentials (BearerToken, or Username and Password) and "
                    + $"their permissions.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            var excerpt = body.Length > 200 ? body[..200] + "…" : body;
            throw new InvalidDataException($"Prometheus at {server} answered '{query}' with HTTP {(int)status} and a body that is not the API's JSON: "
                + $"{mask(excerpt)}");
        }

        using (document)
        {
            try
            {
                return Read(document.RootElement, status, server, query, mask);
            }
            catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException or IndexOutOfRangeException or FormatException)
            {
                // JSON of another shape than the API's: what was expected, never the runtime's own wording alone.
                throw new InvalidDataException($"Prometheus at {server} answered '{query}' with JSON that is not the query API's: {mask(ex.Message)}", ex);
            }
        }
    }

    /// <summary>
    /// The active targets of <paramref name="job"/> in a <c>/api/v1/targets</c> answer: each one's scrape URL and health.
    /// Errors as <see cref="Read(string, HttpStatusCode, string, string, Func{string, string}?)"/>.
    /// </summary>
    public static IReadOnlyList<(Uri ScrapeUrl, string Health)> ReadTargets(string body, HttpStatusCode status, string server, string job,
        Func<string, string>? mask = null)
    {
        mask ??= static text => text;
        var what = $"the targets of job '{job}'";
        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new InvalidDataException(
                $"Prometheus at {server} refused {what} with HTTP {(int)status}: check the credentials (BearerToken, or Username and Password) and "
                    + $"their permissions.");
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("status", out var state) || state.GetString() != "success")
            {
                var message = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String
                    ? e.GetString() ?? "" : "(no message)";
                throw new InvalidDataException($"Prometheus at {server} refused {what} (HTTP {(int)status}): "
                    + $"{mask(message.Length > 500 ? message[..500] + "…" : message)}");
            }

            var targets = new List<(Uri, string)>();
            foreach (var target in root.GetProperty("data").GetProperty("activeTargets").EnumerateArray())
            {
                var labels = target.GetProperty("labels");
                var pool = target.TryGetProperty("scrapePool", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
                var targetJob = labels.TryGetProperty("job", out var j) && j.ValueKind == JsonValueKind.String ? j.GetString() : pool;
                if (targetJob != job)
                {
                    continue;
                }

                var url = target.GetProperty("scrapeUrl").GetString();
                if (!Uri.TryCreate(url, UriKind.Absolute, out var scrape) || scrape.Scheme is not ("http" or "https"))
                {
                    throw new InvalidDataException($"Prometheus at {server} lists a target of job '{job}' whose scrapeUrl '{mask(url ?? "")}' is not "
                        + $"an http or https URL.");
                }

                var health = target.TryGetProperty("health", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null;
                targets.Add((scrape, health ?? "unknown"));
            }

            return targets;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new InvalidDataException($"Prometheus at {server} answered {what} with something other than the targets API's JSON (HTTP "
                + $"{(int)status}).", ex);
        }
    }

    private static PrometheusResult Read(JsonElement root, HttpStatusCode status, string server, string query, Func<string, string> mask)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("status", out var state))
        {
            throw new InvalidDataException($"Prometheus at {server} answered '{query}' with HTTP {(int)status} and JSON without a status.");
        }

        if (state.ValueKind != JsonValueKind.String || state.GetString() != "success")
        {
            var type = root.TryGetProperty("errorType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : "error";
            var message = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() ?? "" : "(no message)";
            message = message.Length > 500 ? message[..500] + "…" : message;
            throw new InvalidDataException($"Prometheus at {server} rejected '{query}' (HTTP {(int)status}, {mask(type ?? "error")}): {mask(message)}");
        }

        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("resultType", out var kind) || kind.ValueKind != JsonValueKind.String
            || !data.TryGetProperty("result", out var result))
        {
            throw new InvalidDataException($"Prometheus at {server} answered '{query}' without data.resultType and data.result.");
        }

        var resultType = kind.GetString() ?? "";
        var series = resultType switch
        {
            "scalar" or "string" => [new PrometheusSeries(new Dictionary<string, string>(), [Sample(result, server, query)])],
            "vector" => Array(result, server, query).Select(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("histogram", out var h)
                ? new PrometheusSeries(Labels(s, server, query), []) { Histograms = [HistogramSample(h, server, query)] }
                : new PrometheusSeries(Labels(s, server, query), [Sample(Property(s, "value", server, query), server, query)])).ToList(),
            "matrix" => Array(result, server, query).Select(s => new PrometheusSeries(Labels(s, server, query),
                s.ValueKind == JsonValueKind.Object && !s.TryGetProperty("values", out _) && s.TryGetProperty("histograms", out _) ? []
                    : [.. Array(Property(s, "values", server, query), server, query).Select(p => Sample(p, server, query))])
            {
                Histograms = s.ValueKind == JsonValueKind.Object && s.TryGetProperty("histograms", out var hs)
                    ? [.. Array(hs, server, query).Select(p => HistogramSample(p, server, query))] : [],
            }).ToList(),
            _ => throw new InvalidDataException($"Prometheus at {server} answered '{query}' with an unknown result type '{mask(resultType)}'."),
        };
        var warnings = root.TryGetProperty("warnings", out var w) && w.ValueKind == JsonValueKind.Array
            ? w.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? mask(x.GetString() ?? "") : x.GetRawText()).ToList()
            : [];
        return new PrometheusResult(resultType, series, warnings);
    }

    private static JsonElement.ArrayEnumerator Array(JsonElement element, string server, string query)
        => element.ValueKind == JsonValueKind.Array
            ? element.EnumerateArray()
            : throw new InvalidDataException($"Prometheus at {server} answered '{query}' with {element.ValueKind} where an array of series or samples "
                + $"belongs.");

    private static JsonElement Property(JsonElement series, string name, string server, string query)
        => series.ValueKind == JsonValueKind.Object && series.TryGetProperty(name, out var value)
            ? value
            : throw new InvalidDataException($"Prometheus at {server} answered '{query}' with a series without \"{name}\".");

    private static Dictionary<string, string> Labels(JsonElement series, string server, string query)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (series.ValueKind == JsonValueKind.Object && series.TryGetProperty("metric", out var metric))
        {
            if (metric.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"Prometheus at {server} answered '{query}' with a series whose \"metric\" is {metric.ValueKind}, not "
                    + $"an object of labels.");
            }

            foreach (var label in metric.EnumerateObject())
            {
                // A label value is a string in the API; null or a number is a broken answer, never an empty label.
                labels[label.Name] = label.Value.ValueKind == JsonValueKind.String
                    ? label.Value.GetString()!
                    : throw new InvalidDataException($"Prometheus at {server} answered '{query}' with the label {label.Name} as "
                        + $"{label.Value.ValueKind}, where the API sends a string.");
            }
        }

        return labels;
    }

    /// <summary>A <c>[unix seconds, "value"]</c> pair; values are strings so that <c>NaN</c> and <c>+Inf</c> survive JSON.</summary>
    private static (DateTimeOffset, double) Sample(JsonElement pair, string server, string query)
    {
        if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2 || pair[0].ValueKind != JsonValueKind.Number
            || pair[1].ValueKind != JsonValueKind.String)
        {
            throw new InvalidDataException($"Prometheus at {server} answered '{query}' with a sample that is not [unix time, \"value\"]: "
                + $"{Excerpt(pair.GetRawText())}");
        }

        var time = Time(pair[0], server, query);
        var text = pair[1].GetString()!;
        var value = text switch
        {
            "+Inf" or "Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw new InvalidDataException($"Prometheus at {server} answered '{query}' with the sample value '{Excerpt(text)}', which is not a number."),
        };
        return (time, value);
    }

    /// <summary>A sample's Unix time in seconds.</summary>
    private static DateTimeOffset Time(JsonElement element, string server, string query)
    {
        var seconds = element.GetDouble();
        if (!double.IsFinite(seconds) || seconds is < -62135596800 or > 253402300799)
        {
            throw new InvalidDataException($"Prometheus at {server} answered '{query}' with the sample time {Excerpt(element.GetRawText())}, which is "
                + $"not a time.");
        }

        return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
    }

    /// <summary>
    /// A <c>[unix seconds, {"count": "…", "sum": "…", "buckets": [[boundary rule, "lower", "upper", "count"], …]}]</c> pair:
    /// a native histogram sample, as Prometheus 2.40 and later send one.
    /// </summary>
    private static (DateTimeOffset, NativeHistogram) HistogramSample(JsonElement pair, string server, string query)
    {
        if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2 || pair[0].ValueKind != JsonValueKind.Number
            || pair[1].ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"Prometheus at {server} answered '{query}' with a histogram sample that is not [unix time, {{count, sum, "
                + $"buckets}}]: {Excerpt(pair.GetRawText())}");
        }

        var time = Time(pair[0], server, query);
        var histogram = pair[1];
        double Number(JsonElement e, string what)
            => e.ValueKind != JsonValueKind.String
                ? throw new InvalidDataException($"Prometheus at {server} answered '{query}' with a histogram whose {what} is missing or not a string.")
                : e.GetString() is "+Inf" or "Inf" ? double.PositiveInfinity
                : double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n
                : throw new InvalidDataException($"Prometheus at {server} answered '{query}' with a histogram whose {what} "
                    + $"'{Excerpt(e.GetString() ?? "")}' is not a number.");
        var buckets = new List<NativeHistogramBucket>();
        if (histogram.TryGetProperty("buckets", out var list))
        {
            foreach (var bucket in Array(list, server, query))
            {
                if (bucket.ValueKind != JsonValueKind.Array || bucket.GetArrayLength() != 4 || bucket[0].ValueKind != JsonValueKind.Number
                    || !bucket[0].TryGetInt32(out var rule) || rule is < 0 or > 3)
                {
                    throw new InvalidDataException($"Prometheus at {server} answered '{query}' with a histogram bucket that is not [boundary rule "
                        + $"0-3, \"lower\", \"upper\", \"count\"]: {Excerpt(bucket.GetRawText())}");
                }

                buckets.Add(new NativeHistogramBucket(rule, Number(bucket[1], "bucket "
                    + "bound"), Number(bucket[2], "bucket bound"), Number(bucket[3], "bucket count")));
            }
        }

        return (time, new NativeHistogram(
            Number(histogram.TryGetProperty("count", out var c) ? c : default, "count"),
            Number(histogram.TryGetProperty("sum", out var s) ? s : default, "sum"),
            buckets));
    }

    private static string Excerpt(string text) => text.Length > 80 ? text[..80] + "…" : text;
}
