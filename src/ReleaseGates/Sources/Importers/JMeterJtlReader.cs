using System.Globalization;
using System.Text;
using ReleaseGates.Metrics;

namespace ReleaseGates;

/// <summary>
/// Reads a JMeter JTL CSV results file, streaming, header-driven: RFC 4180 quoting (labels, messages and URLs may hold the
/// delimiter, quotes and line breaks), a configurable delimiter, non-numeric response codes
/// (<c>Non HTTP response code: java.net.SocketTimeoutException</c>). A sample is an error when <c>success</c> is false.
/// Timestamps are epoch milliseconds of the sample start; <c>elapsed</c> is milliseconds to the last byte.
/// </summary>
internal static class JMeterJtlReader
{
    public static RequestMetrics Read(string file, char delimiter, Func<string, bool>? includeLabel)
    {
        using var reader = new StreamReader(IO.SafeFile.OpenRead(file), Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16);
        var line = 0;
        var headerText = NextRecord(reader, ref line, file) ?? throw new IO.ReportFormatException(file, 1,
            "the file is empty; expected a header line such as 'timeStamp,elapsed,label,responseCode,...,success,...'");
        var header = new List<string>();
        var bounds = new List<(int Start, int Length)>();
        Split(headerText, delimiter, bounds);
        foreach (var (start, length) in bounds)
        {
            header.Add(Unquote(headerText.AsSpan(start, length)).Trim());
        }

        int timeStamp = header.IndexOf("timeStamp"), elapsed = header.IndexOf("elapsed"), label = header.IndexOf("label"), success = header.IndexOf("success");
        if (timeStamp < 0 || elapsed < 0 || success < 0)
        {
            throw new IO.ReportFormatException(file, 1,
                $"the header has no {string.Join(" or ", new[] { ("timeStamp", timeStamp), ("elapsed", elapsed), ("success", success) }.Where(c => c.Item2 < 0).Select(c => $"'{c.Item1}'"))} column; JTL files need print_field_names=true and CSV output");
        }

        var latency = new LatencyHistogram();

        // Constant memory whatever the file size: a day of 10-second intervals, the clock following the newest sample
        // (JTL rows are nearly in time order), so "the last 3 minutes" means the last 3 minutes of the run.
        var clock = new FollowingClock();
        var windows = new RequestWindows(TimeSpan.FromSeconds(10), 8640, clock);
        long total = 0, errors = 0, first = long.MaxValue, last = long.MinValue;
        while (true)
        {
            var recordLine = line + 1;
            var record = NextRecord(reader, ref line, file);
            if (record is null)
            {
                break;
            }

            if (record.Length == 0)
            {
                continue;
            }

            Split(record, delimiter, bounds);
            if (bounds.Count < header.Count)
            {
                throw new IO.ReportFormatException(file, recordLine, $"{bounds.Count} fields where the header has {header.Count}");
            }

            ReadOnlySpan<char> Field(int index) => record.AsSpan(bounds[index].Start, bounds[index].Length);
            if (label >= 0 && includeLabel is not null && !includeLabel(Unquote(Field(label))))
            {
                continue;
            }

            if (!long.TryParse(Field(timeStamp), NumberStyles.None, CultureInfo.InvariantCulture, out var start))
            {
                throw new IO.ReportFormatException(file, recordLine,
                    $"timeStamp '{Field(timeStamp)}' is not epoch milliseconds (set jmeter.save.saveservice.timestamp_format=ms)");
            }

            if (start > MaxEpochMilliseconds)
            {
                throw new IO.ReportFormatException(file, recordLine, $"timeStamp {start} is after the year 9999; expected epoch milliseconds");
            }

            if (!long.TryParse(Field(elapsed), NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
            {
                throw new IO.ReportFormatException(file, recordLine, $"elapsed '{Field(elapsed)}' is not a whole number of milliseconds");
            }

            // In nanoseconds the value must fit a long, and the sample must end before the year 9999: never dropped, never wrapped.
            if (ms > long.MaxValue / 1_000_000 || ms > MaxEpochMilliseconds - start)
            {
                throw new IO.ReportFormatException(file, recordLine,
                    $"elapsed {ms} ms is out of range (at most {Math.Min(long.MaxValue / 1_000_000, MaxEpochMilliseconds - start)} ms for this sample)");
            }

            var ok = Field(success).Trim();
            bool isError;
            if (ok.Equals("true", StringComparison.OrdinalIgnoreCase))
            {
                isError = false;
            }
            else if (ok.Equals("false", StringComparison.OrdinalIgnoreCase))
            {
                isError = true;
            }
            else
            {
                throw new IO.ReportFormatException(file, recordLine, $"success '{Field(success)}' is neither true nor false");
            }

            latency.Record(ms * 1_000_000);
            total++;
            errors += isError ? 1 : 0;
            first = Math.Min(first, start);
            last = Math.Max(last, start + ms);
            clock.MoveTo(DateTimeOffset.FromUnixTimeMilliseconds(start));
            windows.RecordAt(DateTimeOffset.FromUnixTimeMilliseconds(start), isError);
        }

        if (total > 0)
        {
            clock.MoveTo(DateTimeOffset.FromUnixTimeMilliseconds(last));
        }

        return new RequestMetrics
        {
            Latency = latency,
            Total = total,
            Errors = errors,
            Duration = total > 0 ? TimeSpan.FromMilliseconds(Math.Max(1, last - first)) : null,
            Windows = total > 0 ? windows : null,
        };
    }

    /// <summary>The latest instant <see cref="DateTimeOffset"/> holds, in epoch milliseconds (9999-12-31T23:59:59.999Z).</summary>
    private const long MaxEpochMilliseconds = 253_402_300_799_999;

    /// <summary>The longest record (one sample, its quoted fields' line breaks included): a stray quote must not swallow the file.</summary>
    internal const int MaxRecordChars = 1 << 20;

    /// <summary>
    /// The next record's text: one line, or several while a quoted field is open (RFC 4180). Null at the end. Linear in
    /// the record's length (the quote parity is kept per line), and bounded by <see cref="MaxRecordChars"/>.
    /// </summary>
    private static string? NextRecord(StreamReader reader, ref int line, string file)
    {
        var text = reader.ReadLine();
        if (text is null)
        {
            return null;
        }

        line++;
        if (text.AsSpan().Count('"') % 2 == 0)
        {
            return text;
        }

        var startLine = line;
        var record = new StringBuilder(text);
        var open = true;
        while (open)
        {
            var more = reader.ReadLine() ?? throw new IO.ReportFormatException(file, startLine,
                "a quoted field is not closed before the end of the file (a truncated file?)");
            line++;
            if (record.Length + 1 + more.Length > MaxRecordChars)
            {
                throw new IO.ReportFormatException(file, startLine,
                    $"a quoted field opened on this line is not closed within {MaxRecordChars:N0} characters (a stray quote?)");
            }

            record.Append('\n').Append(more);
            open = more.AsSpan().Count('"') % 2 == 0;
        }

        return record.ToString();
    }

    /// <summary>Finds the fields of a record without copying them; quoted fields keep their quotes (see <see cref="Unquote"/>).</summary>
    private static void Split(string record, char delimiter, List<(int Start, int Length)> bounds)
    {
        bounds.Clear();
        var quoted = false;
        var start = 0;
        for (var i = 0; i < record.Length; i++)
        {
            var c = record[i];
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == delimiter && !quoted)
            {
                bounds.Add((start, i - start));
                start = i + 1;
            }
        }

        bounds.Add((start, record.Length - start));
    }

    private static string Unquote(ReadOnlySpan<char> field)
        => field.Length >= 2 && field[0] == '"' && field[^1] == '"' ? field[1..^1].ToString().Replace("\"\"", "\"",
            StringComparison.Ordinal) : field.ToString();

    /// <summary>A clock that stands at the newest time it was moved to.</summary>
    private sealed class FollowingClock : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.UnixEpoch;

        public override DateTimeOffset GetUtcNow() => _now;

        public void MoveTo(DateTimeOffset time)
        {
            if (time > _now)
            {
                _now = time;
            }
        }
    }
}
