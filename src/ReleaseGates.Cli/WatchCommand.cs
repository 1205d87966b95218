using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace ReleaseGates.Cli;

/// <summary><c>release-gates watch</c>: the gates evaluated round after round through a rollout, with the watch's limits.</summary>
internal static class WatchCommand
{
    public static Command Create(Option<FileInfo> config, TextWriter output, TextWriter error, Func<string, string?> environment, bool errorIsTerminal)
    {
        var shared = new EvaluateCommand.EvaluationOptions(config);
        var interval = Duration("--interval", "Time from one round's start to the next (500ms, 30s, 5m, 1h).", "1m", isWait: true);
        var duration = Duration("--duration", "How long to keep starting rounds, after the initial delay.", null, isWait: false);
        var count = new Option<int?>("--count") { Description = "At most this many rounds." };
        var initialDelay = Duration("--initial-delay", "Wait this long before the first round.", "0s", isWait: true);
        var failureLimit = Limit("--failure-limit", "NO-GO once more than this many rounds failed in total ('none' for no limit).", "0");
        var consecutiveFailures = Limit("--consecutive-failure-limit", "NO-GO once this many rounds in a row failed.", "none");
        var consecutiveErrors = new Option<int>("--consecutive-error-limit") { Description = "NO-GO once this many rounds in a row could not be evaluated.", DefaultValueFactory = _ => 4 };
        var inconclusiveLimit = Limit("--inconclusive-limit", "NO-GO once more than this many rounds were inconclusive ('none' for no limit).", "0");
        var consecutiveSuccesses = Limit("--consecutive-success-limit", "End early with GO after this many successful rounds in a row.", "none");
        var command = new Command("watch", "Evaluates the gates every interval through a rollout and stops at the first limit reached.");
        shared.AddTo(command);
        foreach (var option in new Option[] { interval, duration, count, initialDelay, failureLimit, consecutiveFailures, consecutiveErrors, inconclusiveLimit, consecutiveSuccesses })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellationToken) => EvaluateCommand.RunAsync(parse, shared, output, error, environment, errorIsTerminal, (evaluator, request, ct) =>
        {
            var options = new WatchOptions
            {
                Interval = parse.GetValue(interval)!.Value,
                Duration = parse.GetValue(duration),
                Count = parse.GetValue(count),
                InitialDelay = parse.GetValue(initialDelay)!.Value,
                FailureLimit = LimitValue(parse.GetValue(failureLimit)),
                ConsecutiveFailureLimit = LimitValue(parse.GetValue(consecutiveFailures)),
                ConsecutiveErrorLimit = parse.GetValue(consecutiveErrors),
                InconclusiveLimit = LimitValue(parse.GetValue(inconclusiveLimit)),
                ConsecutiveSuccessLimit = LimitValue(parse.GetValue(consecutiveSuccesses)),
                Request = request,
                RoundCompleted = new RoundLines(error),
            };
            return evaluator.WatchAsync(options, ct);
        }, cancellationToken));
        return command;
    }

    private static readonly (string Suffix, double Milliseconds)[] Units = [("ms", 1), ("min", 60_000), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)];

    /// <summary>
    /// A duration as <c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>2d</c> or <c>hh:mm:ss</c>: finite, not negative, and
    /// within what a <see cref="TimeSpan"/> holds (the watch's own checks then bound it to what a timer can wait).
    /// </summary>
    internal static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        // The configuration file's duration forms: the condition language's units (ms, s, min or m, h, d).
        foreach (var (suffix, ms) in Units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(text.AsSpan(0, text.Length - suffix.Length), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                var milliseconds = value * ms;
                if (!double.IsFinite(milliseconds) || milliseconds < 0 || milliseconds >= TimeSpan.MaxValue.TotalMilliseconds)
                {
                    return false;
                }

                duration = TimeSpan.FromTicks((long)Math.Round(milliseconds * TimeSpan.TicksPerMillisecond));
                return true;
            }
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
    }

    /// <summary>The longest single wait (a timer holds 2^32 − 2 ms, about 49.7 days), as the library checks it.</summary>
    private static readonly TimeSpan MaximumWait = TimeSpan.FromDays(49);

    private static Option<TimeSpan?> Duration(string name, string description, string? defaultText, bool isWait)
    {
        var option = new Option<TimeSpan?>(name)
        {
            Description = description,
            CustomParser = result => Parse(result, name, isWait),
        };
        if (defaultText is not null)
        {
            option.DefaultValueFactory = _ => TryParseDuration(defaultText, out var d) ? d : null;
        }

        return option;
    }

    private static TimeSpan? Parse(ArgumentResult result, string name, bool isWait)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (TryParseDuration(text, out var duration) && (!isWait || duration <= MaximumWait))
        {
            return duration;
        }

        result.AddError($"{name}: expected a duration such as 500ms, 30s, 5m, 1h or 00:05:00 (not negative; a wait of at most 49 days), got '{text}'.");
        return null;
    }

    /// <summary>
    /// A round limit: a whole number, or <c>none</c>. Kept as text until the action (a custom parser that returns null
    /// for <c>none</c> makes the parser convert the token itself, which fails), and checked here so that a bad value is
    /// a usage error.
    /// </summary>
    private static Option<string> Limit(string name, string description, string defaultText)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => defaultText };
        option.Validators.Add(result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : defaultText;
            if (text != "none" && !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                result.AddError($"{name}: expected a whole number or 'none', got '{text}'.");
            }
        });
        return option;
    }

    private static int? LimitValue(string? text) => text is null or "none" ? null : int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>One line per round on standard error, so a CI log shows when the watch turned.</summary>
    private sealed class RoundLines(TextWriter error) : IProgress<WatchRound>
    {
        private readonly Lock _lock = new();

        public void Report(WatchRound value)
        {
            var what = value.FellShort.Count == 0 ? "" : " (" + string.Join("; ", value.FellShort.Select(f => f.Split(':')[0])) + " fell short)";
            lock (_lock)
            {
                error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"release-gates: round {value.Number} at {value.StartedAt.UtcDateTime:HH:mm:ss}: {ReportDecision(value.Decision)}, counts as {value.Outcome.ToString().ToLowerInvariant()}{what}"));
            }
        }

        private static string ReportDecision(ReleaseDecision decision) => decision switch
        {
            ReleaseDecision.Go => "GO",
            ReleaseDecision.GoWithWarnings => "GO WITH WARNINGS",
            _ => "NO-GO",
        };
    }
}
