using System.Globalization;

namespace ReleaseGates.Samples.ConsoleHost;

/// <summary>The sample's command line.</summary>
internal sealed record SampleOptions(IReadOnlySet<string> Breaks, string Output, int Requests, bool FailOnWarnings, bool WaiveRollback, string? History, int WatchRounds)
{
    private static readonly string[] Breakable = ["errors", "latency", "health", "hsts", "migrations", "download", "cache", "checklist"];

    public static SampleOptions? Parse(string[] args)
    {
        var breaks = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var output = "release-report";
        var requests = 600;
        var failOnWarnings = false;
        var waiveRollback = false;
        string? history = null;
        var noHistory = false;
        var watchRounds = 0;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--break" when i + 1 < args.Length:
                    foreach (var part in args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (!Breakable.Contains(part, StringComparer.OrdinalIgnoreCase))
                        {
                            return Usage($"--break: unknown '{part}'; expected one or more of {string.Join(", ", Breakable)}.");
                        }

                        breaks.Add(part.ToLowerInvariant());
                    }

                    break;
                case "--output" when i + 1 < args.Length:
                    output = args[++i];
                    break;
                case "--requests" when i + 1 < args.Length:
                    if (!int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out requests) || requests is < 1 or > 20_000)
                    {
                        return Usage($"--requests: expected a whole number from 1 to 20000, got '{args[i]}'.");
                    }

                    break;
                case "--fail-on-warnings":
                    failOnWarnings = true;
                    break;
                case "--waive-rollback":
                    waiveRollback = true;
                    break;
                case "--history" when i + 1 < args.Length:
                    history = args[++i];
                    break;
                case "--watch" when i + 1 < args.Length:
                    if (!int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out watchRounds) || watchRounds is < 1 or > 20)
                    {
                        return Usage($"--watch: expected a number of rounds from 1 to 20, got '{args[i]}'.");
                    }

                    break;
                case "--no-history":
                    noHistory = true;
                    break;
                default:
                    return Usage($"Unknown or incomplete argument '{args[i]}'.");
            }
        }

        // Every run is recorded in a SQLite history next to its reports, so that a second run shows its baseline and what changed.
        return new SampleOptions(breaks, output, requests, failOnWarnings, waiveRollback, noHistory ? null : history ?? Path.Combine(output, "history.db"), watchRounds);
    }

    private static SampleOptions? Usage(string problem)
    {
        Console.Error.WriteLine(problem);
        Console.Error.WriteLine("Usage: ReleaseGates.Samples.ConsoleHost [--break errors,latency,health,hsts,migrations,download,cache,checklist] [--output <dir>] [--requests <n>] [--fail-on-warnings] [--waive-rollback] [--history <file> | --no-history] [--watch <rounds>]");
        return null;
    }
}
