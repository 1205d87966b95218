using System.Globalization;
using System.Text.Json;
using ReleaseGates.Metrics;

namespace ReleaseGates;

/// <summary>
/// Reads a HAR 1.2 file (browser or proxy capture): one request per <c>log.entries[]</c>, its latency the entry's
/// <c>time</c> (the sum of the non-negative timings; −1 means not applicable), an error when the response status is 0
/// (no response) or 5xx.
/// </summary>
internal static class HarReader
{
    public static RequestMetrics Read(string file, Func<string, bool> includeUrl)
    {
        JsonDocument document;
        try
        {
            using var stream = File.OpenRead(file);
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            throw new IO.ReportFormatException(file, (int)(ex.LineNumber + 1 ?? 0), "malformed JSON: " + ex.Message, ex);
        }

        using (document)
        {
            if (!document.RootElement.TryGetProperty("log", out var log) || !log.TryGetProperty("entries", out var entries) || entries.ValueKind != JsonValueKind.Array)
            {
                throw new IO.ReportFormatException(file, 0, "not a HAR file: 'log.entries' (an array) is missing");
            }

            var latency = new LatencyHistogram();
            long total = 0, errors = 0;
            DateTimeOffset? first = null, last = null;
            var index = -1;
            foreach (var entry in entries.EnumerateArray())
            {
                index++;
                var url = entry.TryGetProperty("request", out var request) && request.TryGetProperty("url", out var u) ? u.GetString() ?? "" : "";
                if (!includeUrl(url))
                {
                    continue;
                }

                var time = Milliseconds(entry, index, file);
                if (!entry.TryGetProperty("startedDateTime", out var startedText) || !DateTimeOffset.TryParse(startedText.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var started))
                {
                    throw new IO.ReportFormatException(file, 0, $"log.entries[{index}].startedDateTime is missing or not an ISO 8601 date");
                }

                var status = entry.TryGetProperty("response", out var response) && response.TryGetProperty("status", out var s) && s.TryGetInt32(out var code) ? code : 0;
                latency.RecordMilliseconds(time);
                total++;
                errors += status == 0 || status >= 500 ? 1 : 0;
                first = first is null || started < first ? started : first;
                var end = started.AddMilliseconds(time);
                last = last is null || end > last ? end : last;
            }

            return new RequestMetrics
            {
                Latency = latency,
                Total = total,
                Errors = errors,
                Duration = first is { } f && last is { } l && l > f ? l - f : null,
            };
        }
    }

    /// <summary>The entry's time; when absent, the sum of its non-negative timings (ssl is part of connect, so never added).</summary>
    private static double Milliseconds(JsonElement entry, int index, string file)
    {
        if (entry.TryGetProperty("time", out var time) && time.ValueKind == JsonValueKind.Number && time.GetDouble() >= 0)
        {
            return time.GetDouble();
        }

        if (!entry.TryGetProperty("timings", out var timings) || timings.ValueKind != JsonValueKind.Object)
        {
            throw new IO.ReportFormatException(file, 0, $"log.entries[{index}] has neither a 'time' nor 'timings'");
        }

        double sum = 0;
        foreach (var part in new[] { "blocked", "dns", "connect", "send", "wait", "receive" })
        {
            if (timings.TryGetProperty(part, out var v) && v.ValueKind == JsonValueKind.Number && v.GetDouble() > 0)
            {
                sum += v.GetDouble();
            }
        }

        return sum;
    }
}
