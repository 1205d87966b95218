using System.Globalization;

namespace ReleaseGates;

/// <summary>
/// Reads lcov tracefiles (geninfo, coverlet, Istanbul, c8) line by line. DA and BRDA records are the truth (LF/LH/BRF/BRH
/// summaries are ignored); the same DA line twice in a record, or the same file in several TN sections, adds up.
/// </summary>
internal static class LcovReader
{
    public static CoverageData Read(TextReader text, string file, string module)
    {
        var data = new CoverageData();
        FileCoverage? current = null;
        var functions = new Dictionary<string, string>(StringComparer.Ordinal); // lcov 2.x FNL index -> FNA name
        var number = 0;
        var recordStart = 0;
        while (text.ReadLine() is { } raw)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var tag = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            switch (tag)
            {
                case "SF":
                    if (current is not null)
                    {
                        throw Unended(file, recordStart, number);
                    }

                    current = data.File(module, value);
                    recordStart = number;
                    functions.Clear();
                    break;
                case "end_of_record":
                    current = null;
                    break;
                case "TN" or "VER" or "LF" or "LH" or "BRF" or "BRH" or "FNF" or "FNH" or "MCF" or "MCH" or "MCDC" or "FN" or "FNL":
                    break;
                case "DA":
                {
                    var fields = Fields(value, 2, file, number, "DA:<line>,<hits>[,<checksum>]");
                    var lineNumber = Int(fields[0], file, number, "line number");
                    var hits = Hits(fields[1], file, number);
                    Require(current, file, number).AddLine(lineNumber, hits);
                    break;
                }

                case "BRDA":
                {
                    // BRDA:<line>,[e]<block>,<branch>,<taken>: the branch may contain commas (lcov 2.x); line is the first field, taken the last.
                    var first = value.IndexOf(',', StringComparison.Ordinal);
                    var last = value.LastIndexOf(',');
                    if (first < 0 || last <= first)
                    {
                        throw new IO.ReportFormatException(file, number, $"'{raw}' is not BRDA:<line>,<block>,<branch>,<taken>");
                    }

                    var lineNumber = Int(value[..first], file, number, "line number");
                    var takenText = value[(last + 1)..];
                    var taken = takenText == "-" ? 0 : Hits(takenText, file, number);
                    var target = Require(current, file, number);
                    target.Lines.TryGetValue(lineNumber, out var c);
                    c.BranchesTotal++;
                    c.BranchesCovered += taken > 0 ? 1 : 0;
                    target.Lines[lineNumber] = c;
                    break;
                }

                case "FNDA":
                {
                    var comma = value.IndexOf(',', StringComparison.Ordinal);
                    if (comma < 0)
                    {
                        throw new IO.ReportFormatException(file, number, $"'{raw}' is not FNDA:<hits>,<name>");
                    }

                    Require(current, file, number).AddMethod(value[(comma + 1)..], Hits(value[..comma], file, number) > 0);
                    break;
                }

                case "FNA":
                {
                    // lcov ≥ 2.2: FNA:<index>,<hits>,<name>
                    var fields = value.Split(',', 3);
                    if (fields.Length < 3)
                    {
                        throw new IO.ReportFormatException(file, number, $"'{raw}' is not FNA:<index>,<hits>,<name>");
                    }

                    Require(current, file, number).AddMethod(fields[2], Hits(fields[1], file, number) > 0);
                    break;
                }

                default:
                    throw new IO.ReportFormatException(file, number, $"unknown lcov record '{tag}'");
            }
        }

        // A file cut short (a full disk, an interrupted upload) ends inside a record: its lines so far are a fraction of
        // the truth, and gating on them would pass on what was left.
        if (current is not null)
        {
            throw Unended(file, recordStart, 0);
        }

        return data;
    }

    private static IO.ReportFormatException Unended(string file, int start, int next)
        => new(file, start, next > 0
            ? $"the record that starts here has no end_of_record before the next SF: at line {next}"
            : "the record that starts here has no end_of_record: the file ends inside it (cut short?)");

    private static FileCoverage Require(FileCoverage? current, string file, int number)
        => current ?? throw new IO.ReportFormatException(file, number, "a record outside a source-file section (no SF: before it)");

    private static string[] Fields(string value, int minimum, string file, int number, string expected)
    {
        var fields = value.Split(',');
        return fields.Length >= minimum ? fields : throw new IO.ReportFormatException(file, number, $"expected {expected}");
    }

    private static int Int(string text, string file, int number, string what)
        => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : throw new IO.ReportFormatException(file,
            number, $"the {what} '{text}' is not a whole number");

    private static long Hits(string text, string file, int number)
    {
        if (decimal.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0)
        {
            return value > long.MaxValue ? long.MaxValue : (long)value;
        }

        throw new IO.ReportFormatException(file, number, $"the count '{text}' is not a whole number of at least 0");
    }
}
