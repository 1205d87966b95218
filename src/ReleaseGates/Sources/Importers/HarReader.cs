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
    /// <summary>The largest capture loaded as one document (a HAR is read whole); larger captures are an error, not a slow death.</summary>
    internal const long MaxBytes = 256L << 20;

    private static readonly string[] TimingParts = ["blocked", "dns", "connect", "send", "wait", "receive"];

    public static async ValueTask<RequestMetrics> ReadAsync(string file, Func<string, bool> includeUrl, CancellationToken cancellationToken)
    {
        var bytes = await IO.SafeFile.ReadAllBytesAsync(file, MaxBytes, cancellationToken).ConfigureAwait(false);
        return Read(bytes, file, includeUrl);
    }

    internal static RequestMetrics Read(ReadOnlyMemory<byte> bytes, string file, Func<string, bool> includeUrl)
    {
        using var document = IO.JsonFile.Parse(bytes, file);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("log", out var log) || log.ValueKind != JsonValueKind.Object
            || !log.TryGetProperty("entries", out var entries) || entries.ValueKind != JsonValueKind.Array)
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
            var at = $"log.entries[{index}]";
            if (entry.ValueKind != JsonValueKind.Object)
            {
                throw new IO.ReportFormatException(file, 0, $"{at} is {entry.ValueKind}, expected an object");
            }

            var url = entry.TryGetProperty("request", out var request) && request.ValueKind == JsonValueKind.Object && request.TryGetProperty("url", out var u)
                ? IO.JsonFile.String(u, at + ".request.url", file)
                : throw new IO.ReportFormatException(file, 0, $"{at}.request.url is missing");
            if (!includeUrl(url))
            {
                continue;
            }

            var time = Milliseconds(entry, at, file);
            if (!entry.TryGetProperty("startedDateTime", out var startedText) || startedText.ValueKind != JsonValueKind.String
                || !DateTimeOffset.TryParse(startedText.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var started))
            {
                throw new IO.ReportFormatException(file, 0, $"{at}.startedDateTime is missing or not an ISO 8601 date");
            }

            if (time > (DateTimeOffset.MaxValue - started).TotalMilliseconds)
            {
                throw new IO.ReportFormatException(file, 0, $"{at}.time {time} ms ends after the year 9999");
            }

            int status;
            if (!entry.TryGetProperty("response",
                out var response) || response.ValueKind != JsonValueKind.Object || !response.TryGetProperty("status", out var s))
            {
                status = 0;
            }
            else if (s.ValueKind != JsonValueKind.Number || !s.TryGetInt32(out status) || status < 0 || status > 999)
            {
                throw new IO.ReportFormatException(file, 0, $"{at}.response.status is {s.GetRawText()}, expected an HTTP status code (0 for no response)");
            }

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

    /// <summary>
    /// The entry's time; when absent or −1, the sum of its non-negative timings (ssl is part of connect, so never added).
    /// An entry with no timing at all (every value −1 or missing) has no latency: that is an error, never 0 ms.
    /// </summary>
    private static double Milliseconds(JsonElement entry, string at, string file)
    {
        if (entry.TryGetProperty("time", out var time))
        {
            var t = Finite(time, at + ".time", file);
            if (t >= 0)
            {
                return t;
            }

            if (t != -1)
            {
                throw new IO.ReportFormatException(file, 0, $"{at}.time is {time.GetRawText()}, expected milliseconds of at least 0 (or -1 when not known)");
            }
        }

        if (!entry.TryGetProperty("timings", out var timings) || timings.ValueKind != JsonValueKind.Object)
        {
            throw new IO.ReportFormatException(file, 0, $"{at} has neither a 'time' nor 'timings'");
        }

        double sum = 0;
        var known = false;
        foreach (var part in TimingParts)
        {
            if (!timings.TryGetProperty(part, out var v))
            {
                continue;
            }

            var value = Finite(v, $"{at}.timings.{part}", file);
            if (value >= 0)
            {
                sum += value;
                known = true;
            }
            else if (value != -1)
            {
                throw new IO.ReportFormatException(file, 0,
                    $"{at}.timings.{part} is {v.GetRawText()}, expected milliseconds of at least 0 (or -1 when not applicable)");
            }
        }

        return known ? sum : throw new IO.ReportFormatException(file, 0,
            $"{at} has no timing: 'time' and every one of 'timings' are -1 or missing, so its latency is unknown");
    }

    private static double Finite(JsonElement value, string path, string file)
        => value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && double.IsFinite(d)
            ? d
            : throw new IO.ReportFormatException(file, 0, $"{path} is {value.GetRawText()}, expected a number of milliseconds");
}
