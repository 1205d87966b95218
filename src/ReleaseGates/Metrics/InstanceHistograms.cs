using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace ReleaseGates.Metrics;

/// <summary>
/// What one instance serves to a fleet (<see cref="HttpMetricsCollector.ExportHistograms"/>), and the strict reader of it.
/// A JSON document whose histograms are in <see cref="LatencyHistogram"/>'s versioned binary form (base64):
/// <code>
/// { "format": 1, "instance": { "id": "…", "name": "web-7", "started": 1796515200.123 },
///   "time": 1796515321.5, "interval": 10, "lookback": 300,
///   "series": [ { "method": null, "route": null, "requests": 1234, "errors": 5, "histogram": "…",
///                 "intervals": [ { "start": 1796515020, "requests": 40, "errors": 0, "histogram": "…" } ] } ] }
/// </code>
/// Times are Unix seconds; <c>interval</c> and <c>lookback</c> are seconds. The series without method and route is every
/// request of the instance; the others are one endpoint each. Intervals are aligned to the Unix epoch, so those of
/// different instances line up.
/// </summary>
internal sealed record InstanceHistograms(
    string Id,
    string Name,
    DateTimeOffset Started,
    DateTimeOffset Time,
    TimeSpan Interval,
    TimeSpan Lookback,
    IReadOnlyList<InstanceSeries> Series)
{
    /// <summary>The version of this form this library writes and the highest it reads.</summary>
    public const int Format = 1;

    /// <summary>The JSON of an instance's server-side series: every request, then each endpoint (optionally filtered).</summary>
    public static byte[] Write(HttpMetricsCollector collector, TimeSpan lookback, string? method, string? route, bool includeEndpoints)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer))
        {
            var now = collector.Time.GetUtcNow();
            var total = collector.GetTotal(HttpMetricSource.Server);
            var served = lookback <= TimeSpan.Zero ? TimeSpan.Zero : lookback > total.Windows.Capacity ? total.Windows.Capacity : lookback;
            json.WriteStartObject();
            json.WriteNumber("format", Format);
            json.WriteStartObject("instance");
            json.WriteString("id", collector.InstanceId);
            json.WriteString("name", collector.InstanceName);
            json.WriteNumber("started", Seconds(collector.Started));
            json.WriteEndObject();
            json.WriteNumber("time", Seconds(now));
            json.WriteNumber("interval", total.Windows.Interval.TotalSeconds);
            json.WriteNumber("lookback", served.TotalSeconds);
            json.WriteStartArray("series");
            if (method is null && route is null)
            {
                WriteSeries(json, null, null, total, served);
            }

            foreach (var endpoint in collector.Endpoints.Where(e => includeEndpoints && e.Source == HttpMetricSource.Server
                && (method is null || string.Equals(e.Method, method, StringComparison.OrdinalIgnoreCase))
                && (route is null || string.Equals(e.Route, route, StringComparison.Ordinal)))
                .OrderBy(e => e.Route, StringComparer.Ordinal).ThenBy(e => e.Method, StringComparer.Ordinal))
            {
                if (collector.GetEndpoint(endpoint) is { } statistics)
                {
                    WriteSeries(json, endpoint.Method, endpoint.Route, statistics, served);
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteSeries(Utf8JsonWriter json, string? method, string? route, HttpEndpointStatistics statistics, TimeSpan lookback)
    {
        // Errors before the histogram: a request's error is counted after its value, so errors never outnumber requests.
        var errors = statistics.Errors;
        var histogram = statistics.LatencyRecorder.GetCumulativeSnapshot();
        json.WriteStartObject();
        json.WriteString("method", method);
        json.WriteString("route", route);
        json.WriteNumber("requests", histogram.Count + histogram.InvalidCount);
        json.WriteNumber("errors", Math.Min(errors, histogram.Count + histogram.InvalidCount));
        json.WriteBase64String("histogram", histogram.ToByteArray());
        json.WriteStartArray("intervals");
        if (lookback > TimeSpan.Zero)
        {
            foreach (var (interval, latency) in statistics.Windows.Export(lookback))
            {
                if (interval.Total == 0)
                {
                    continue;
                }

                json.WriteStartObject();
                json.WriteNumber("start", interval.Start.ToUnixTimeSeconds());
                json.WriteNumber("requests", interval.Total);
                json.WriteNumber("errors", interval.Errors);
                if (latency is not null)
                {
                    json.WriteBase64String("histogram", latency.ToByteArray());
                }

                json.WriteEndObject();
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static double Seconds(DateTimeOffset time) => Math.Round(time.ToUnixTimeMilliseconds() / 1000.0, 3);

    /// <summary>
    /// Reads an instance's document; anything else (not JSON, another shape, a newer format, counts that contradict each
    /// other) is a <see cref="FormatException"/> naming <paramref name="source"/> and the field.
    /// </summary>
    public static InstanceHistograms Read(ReadOnlyMemory<byte> utf8, string source)
    {
        JsonDocument document;
        try
        {
            // Parsed in place, not copied: every value read is copied out before the document is disposed.
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{source} did not serve ReleaseGates histograms: the body is not JSON ({ex.Message}).", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.Number)
            {
                throw new FormatException($"{source} did not serve ReleaseGates histograms: the JSON has no \"format\" number (is the URL the "
                    + $"instance's MapReleaseGatesHistograms endpoint?).");
            }

            if (!format.TryGetInt32(out var version) || version < 1)
            {
                throw new FormatException($"{source} serves histograms of format {format.GetRawText()}, which is not a format version.");
            }

            if (version > Format)
            {
                throw new FormatException(
                    $"{source} serves histograms of format {version}; this ReleaseGates reads format {Format} and older. Update the ReleaseGates "
                        + $"package where the gate runs (instances may be newer than the gate, never the other way round).");
            }

            var fields = new Fields(source);
            var instance = fields.Object(root, "instance");
            var interval = TimeSpan.FromSeconds(fields.Number(root, "interval", 0.001));
            var lookback = TimeSpan.FromSeconds(fields.Number(root, "lookback", 0));
            var series = new List<InstanceSeries>();
            foreach (var item in fields.Array(root, "series"))
            {
                series.Add(ReadSeries(item, fields, series.Count));
            }

            return new InstanceHistograms(
                fields.String(instance, "id", "instance.") ?? throw fields.Missing("instance.id"),
                fields.String(instance, "name", "instance.") ?? "",
                DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(fields.Number(instance, "started", 0, "instance.") * 1000)),
                DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(fields.Number(root, "time", 0) * 1000)),
                interval,
                lookback,
                series);
        }
    }

    private static InstanceSeries ReadSeries(JsonElement item, Fields fields, int index)
    {
        var at = $"series[{index}].";
        var requests = fields.Count(item, "requests", at);
        var errors = fields.Count(item, "errors", at);
        if (errors > requests)
        {
            throw new FormatException($"{fields.Source} served {at}errors = {errors}, more than its {requests} requests.");
        }

        var histogram = fields.Histogram(item, "histogram", at) ?? throw fields.Missing(at + "histogram");
        var intervals = new List<InstanceInterval>();
        foreach (var entry in fields.Array(item, "intervals", at))
        {
            var where = $"{at}intervals[{intervals.Count}].";
            var total = fields.Count(entry, "requests", where);
            var failed = fields.Count(entry, "errors", where);
            if (failed > total)
            {
                throw new FormatException($"{fields.Source} served {where}errors = {failed}, more than its {total} requests.");
            }

            intervals.Add(new InstanceInterval(DateTimeOffset.FromUnixTimeSeconds(fields.Count(entry, "start", where)), total, failed,
                fields.Histogram(entry, "histogram", where), where + "histogram"));
        }

        return new InstanceSeries(fields.String(item, "method", at), fields.String(item, "route", at), requests, errors, histogram, intervals,
            fields.Source, at + "histogram");
    }

    /// <summary>Typed reads of the document's fields, each failure naming the instance and the field.</summary>
    private readonly struct Fields(string source)
    {
        public string Source => source;

        public FormatException Missing(string field) => new($"{source} served histograms without \"{field}\".");

        public JsonElement Object(JsonElement parent, string name)
            => parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value
                : throw new FormatException($"{source} served histograms whose \"{name}\" is not an object.");

        public JsonElement.ArrayEnumerator Array(JsonElement parent, string name, string at = "")
            => parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray()
                : throw new FormatException($"{source} served histograms whose \"{at}{name}\" is not an array.");

        public string? String(JsonElement parent, string name, string at)
            => !parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
                : value.ValueKind == JsonValueKind.String ? value.GetString()
                : throw new FormatException($"{source} served histograms whose \"{at}{name}\" is {value.ValueKind}, not a string.");

        public double Number(JsonElement parent, string name, double least, string at = "")
            => parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number)
                && double.IsFinite(number) && number >= least && number < 1e12 ? number
                : throw new FormatException($"{source} served histograms whose \"{at}{name}\" is not a number of at least "
                    + $"{least.ToString(CultureInfo.InvariantCulture)}.");

        public long Count(JsonElement parent, string name, string at)
            => parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var count) && count >= 0
                ? count
                : throw new FormatException($"{source} served histograms whose \"{at}{name}\" is not a whole number of at least 0.");

        /// <summary>
        /// A histogram's bytes, decoded from base64 but not yet read: a fleet reads only the series it selected, and merges
        /// them with <see cref="LatencyHistogram.AddSerialized"/>, which builds no histogram per instance.
        /// </summary>
        public byte[]? Histogram(JsonElement parent, string name, string at)
        {
            if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String || !value.TryGetBytesFromBase64(out var bytes))
            {
                throw new FormatException($"{source} served histograms whose \"{at}{name}\" is not base64.");
            }

            return bytes;
        }
    }
}

/// <summary>One series of an instance: every request, or one endpoint's; its histogram still in its binary form.</summary>
internal sealed record InstanceSeries(string? Method, string? Route, long Requests, long Errors, byte[] Histogram,
    IReadOnlyList<InstanceInterval> Intervals, string Source, string Field)
{
    /// <summary>Whether this is the series of every request.</summary>
    public bool IsTotal => Method is null && Route is null;

    /// <summary>The histogram's precision, from its header (the byte after the magic and the format version).</summary>
    public int SignificantDigits => Histogram.Length > 4 ? Histogram[4] : 3;

    /// <summary>The histogram, read strictly; a <see cref="FormatException"/> names the instance and the field.</summary>
    public LatencyHistogram DecodeLatency() => InstanceHistogramBytes.Decode(Histogram, Source, Field);

    /// <summary>Adds this series' histogram to <paramref name="merged"/> (made from it when null), naming the instance and field on failure.</summary>
    public LatencyHistogram AddTo(LatencyHistogram? merged) => InstanceHistogramBytes.AddTo(merged, Histogram, Source, Field);
}

/// <summary>One interval of a series: its start (Unix-epoch aligned), counts and latency in its binary form.</summary>
internal sealed record InstanceInterval(DateTimeOffset Start, long Requests, long Errors, byte[]? Histogram, string Field)
{
    /// <summary>The interval's histogram, or null when it has none.</summary>
    public LatencyHistogram? DecodeLatency(string source) => Histogram is null ? null : InstanceHistogramBytes.Decode(Histogram, source, Field);
}

/// <summary>Reading a served histogram, with errors that name where it came from.</summary>
internal static class InstanceHistogramBytes
{
    public static LatencyHistogram Decode(byte[] bytes, string source, string field)
    {
        try
        {
            return LatencyHistogram.FromByteArray(bytes);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"{source} served a histogram at \"{field}\" that this ReleaseGates cannot read: {ex.Message}", ex);
        }
    }

    public static LatencyHistogram AddTo(LatencyHistogram? merged, byte[] bytes, string source, string field)
    {
        if (merged is null)
        {
            return Decode(bytes, source, field);
        }

        try
        {
            merged.AddSerialized(bytes);
            return merged;
        }
        catch (FormatException ex)
        {
            throw new FormatException($"{source} served a histogram at \"{field}\" that this ReleaseGates cannot read: {ex.Message}", ex);
        }
    }
}
