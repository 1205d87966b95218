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
    public static RequestMetrics Read(string file, char delimiter, Func<string, bool> includeLabel)
    {
        using var reader = new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { BufferSize = 1 << 16 });
        var line = 1;
        var header = ReadRecord(reader, delimiter, ref line, file) ?? throw new IO.ReportFormatException(file, 1, "the file is empty; expected a header line such as 'timeStamp,elapsed,label,responseCode,...,success,...'");
        int Column(string name) => Array.FindIndex(header, h => string.Equals(h.Trim(), name, StringComparison.Ordinal));
        int timeStamp = Column("timeStamp"), elapsed = Column("elapsed"), label = Column("label"), success = Column("success");
        if (timeStamp < 0 || elapsed < 0 || success < 0)
        {
            throw new IO.ReportFormatException(file, 1, $"the header has no {string.Join(" or ", new[] { ("timeStamp", timeStamp), ("elapsed", elapsed), ("success", success) }.Where(c => c.Item2 < 0).Select(c => $"'{c.Item1}'"))} column; JTL files need print_field_names=true and CSV output");
        }

        var latency = new LatencyHistogram();

        // Constant memory whatever the file size: a day of 10-second intervals, the clock following the newest sample
        // (JTL rows are nearly in time order), so "the last 3 minutes" means the last 3 minutes of the run.
        var clock = new FollowingClock();
        var windows = new RequestWindows(TimeSpan.FromSeconds(10), 8640, clock);
        long total = 0, errors = 0, first = long.MaxValue, last = long.MinValue;
        while (true)
        {
            var recordLine = line;
            var record = ReadRecord(reader, delimiter, ref line, file);
            if (record is null)
            {
                break;
            }

            if (record.Length == 1 && record[0].Length == 0)
            {
                continue;
            }

            if (record.Length < header.Length)
            {
                throw new IO.ReportFormatException(file, recordLine, $"{record.Length} fields where the header has {header.Length}");
            }

            if (label >= 0 && !includeLabel(record[label]))
            {
                continue;
            }

            if (!long.TryParse(record[timeStamp], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
            {
                throw new IO.ReportFormatException(file, recordLine, $"timeStamp '{record[timeStamp]}' is not epoch milliseconds (set jmeter.save.saveservice.timestamp_format=ms)");
            }

            if (!long.TryParse(record[elapsed], NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
            {
                throw new IO.ReportFormatException(file, recordLine, $"elapsed '{record[elapsed]}' is not a whole number of milliseconds");
            }

            var ok = record[success].Trim();
            var isError = ok.Equals("false", StringComparison.OrdinalIgnoreCase) || (!ok.Equals("true", StringComparison.OrdinalIgnoreCase)
                ? throw new IO.ReportFormatException(file, recordLine, $"success '{record[success]}' is neither true nor false")
                : false);
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

    /// <summary>One CSV record (RFC 4180), or null at the end; quoted fields may span lines.</summary>
    private static string[]? ReadRecord(StreamReader reader, char delimiter, ref int line, string file)
    {
        if (reader.Peek() < 0)
        {
            return null;
        }

        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var startLine = line;
        while (true)
        {
            var c = reader.Read();
            if (c < 0)
            {
                if (quoted)
                {
                    throw new IO.ReportFormatException(file, startLine, "a quoted field is not closed before the end of the file (a truncated file?)");
                }

                fields.Add(field.ToString());
                return [.. fields];
            }

            var ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (ch == '\n')
                    {
                        line++;
                    }

                    field.Append(ch);
                }
            }
            else if (ch == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (ch == delimiter)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (ch == '\n')
            {
                line++;
                fields.Add(field.ToString().TrimEnd('\r'));
                return [.. fields];
            }
            else
            {
                field.Append(ch);
            }
        }
    }

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
