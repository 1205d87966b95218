using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReleaseGates.Cli;

/// <summary>
/// <c>release-gates history</c>: list, show, invalidate, pin, bless, trend and prune the recorded evaluations of the
/// history that <c>--history</c> or the configuration's <c>history</c> section names.
/// </summary>
internal static class HistoryCommand
{
    public static Command Create(Option<FileInfo> config, TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        var command = new Command("history", "Lists, shows, marks, trends and prunes the recorded evaluations.");
        command.Subcommands.Add(List(config, output, error, environment));
        command.Subcommands.Add(Show(config, output, error, environment));
        command.Subcommands.Add(Mark("invalidate", HistoryMarkKind.Invalidated, "Marks an evaluation as not evidence: it is never a baseline again (a reason is required).", config, output, error, environment));
        command.Subcommands.Add(Mark("pin", HistoryMarkKind.Pinned, "Pins an evaluation: the baseline of the 'pinned' rule until another is pinned.", config, output, error, environment));
        command.Subcommands.Add(Mark("bless", HistoryMarkKind.Blessed, "Blesses an evaluation: the baseline of the 'blessed' rule until another is blessed.", config, output, error, environment));
        command.Subcommands.Add(Trend(config, output, error, environment));
        command.Subcommands.Add(Prune(config, output, error, environment));
        return command;
    }

    private static Command List(Option<FileInfo> config, TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        var stores = new HistoryStores();
        var service = new Option<string?>("--service") { Description = "Only this service." };
        var env = new Option<string?>("--environment") { Description = "Only this environment." };
        var branch = new Option<string?>("--branch") { Description = "Only this branch." };
        var decision = new Option<string[]>("--decision") { Description = "Only these decisions: go, warn, nogo.", AllowMultipleArgumentsPerToken = true };
        var since = new Option<string?>("--since") { Description = "Only evaluations that started within this time, such as 7d, 12h, or at or after a date (2026-12-01)." };
        var limit = new Option<int>("--limit") { Description = "At most this many, the newest.", DefaultValueFactory = _ => 20 };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var command = new Command("list", "Lists recorded evaluations, newest first.") { service, env, branch, decision, since, limit, json };
        stores.AddTo(command, evaluation: false);
        command.Options.Add(config);
        command.SetAction((parse, ct) => WithHistoryAsync(parse, stores, config, error, environment, async history =>
        {
            var query = new HistoryQuery
            {
                Service = parse.GetValue(service), Environment = parse.GetValue(env), Branch = parse.GetValue(branch), Limit = parse.GetValue(limit),
            };
            foreach (var d in parse.GetValue(decision) ?? [])
            {
                query.Decisions.Add(ParseDecision(d));
            }

            if (parse.GetValue(since) is { } s)
            {
                query.Since = ParseSince(s);
            }

            var entries = await history.ListAsync(query, ct);
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(new JsonArray([.. entries.Select(EntryJson)]).ToJsonString(JsonOptions));
                return 0;
            }

            var rows = new List<string[]> { ListHeader };
            rows.AddRange(entries.Select(e => new[]
            {
                "#" + e.Id.ToString(CultureInfo.InvariantCulture), e.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                e.Subject.Service ?? "", e.Subject.Environment ?? "", e.Subject.Branch ?? "", e.Subject.Version ?? "", Decision(e.Decision),
                e.Score?.ToString("0.#", CultureInfo.InvariantCulture) ?? "n/a", string.Join(", ", e.Marks.Select(m => m.Kind.ToString().ToLowerInvariant())),
            }));
            await output.WriteAsync(Table(rows));
            await output.WriteLineAsync($"{entries.Count} evaluation(s) in {history.Description}");
            return 0;
        }, ct));
        return command;
    }

    private static Command Show(Option<FileInfo> config, TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        var stores = new HistoryStores();
        var id = new Argument<long>("id") { Description = "The evaluation's id (as list shows it, without #)." };
        var json = new Option<bool>("--json") { Description = "Print the recorded report as JSON instead of text." };
        var command = new Command("show", "Shows a recorded evaluation: its marks, machine and report.") { id, json };
        stores.AddTo(command, evaluation: false);
        command.Options.Add(config);
        command.SetAction((parse, ct) => WithHistoryAsync(parse, stores, config, error, environment, async history =>
        {
            var entry = await history.FindAsync(parse.GetValue(id), ct);
            var report = entry is null ? null : await history.ReadReportAsync(entry.Id, ct);
            if (entry is null || report is null)
            {
                await error.WriteLineAsync($"release-gates: there is no evaluation #{parse.GetValue(id)} in {history.Description}.");
                return ReleaseExitCodes.InvalidConfiguration;
            }

            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(report.ToJson());
                return 0;
            }

            await output.WriteLineAsync($"Evaluation #{entry.Id} recorded {entry.RecordedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC on {entry.Fingerprint}");
            foreach (var mark in entry.Marks)
            {
                await output.WriteLineAsync($"  {mark.Kind.ToString().ToLowerInvariant()} by {mark.MarkedBy} at {mark.MarkedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC{(mark.Reason.Length > 0 ? ": " + mark.Reason : "")}");
            }

            await output.WriteLineAsync();
            await output.WriteLineAsync(report.ToText());
            return 0;
        }, ct));
        return command;
    }

    private static Command Mark(string name, HistoryMarkKind kind, string description, Option<FileInfo> config, TextWriter output, TextWriter error,
        Func<string, string?> environment)
    {
        var stores = new HistoryStores();
        var id = new Argument<long>("id") { Description = "The evaluation's id (as list shows it, without #)." };
        var reason = new Option<string?>("--reason") { Description = kind == HistoryMarkKind.Invalidated ? "Why (required)." : "Why." };
        var by = new Option<string?>("--by") { Description = "Who marks it. Default: the user name (USER or USERNAME)." };
        var command = new Command(name, description) { id, reason, by };
        stores.AddTo(command, evaluation: false);
        command.Options.Add(config);
        command.SetAction((parse, ct) => WithHistoryAsync(parse, stores, config, error, environment, async history =>
        {
            var who = parse.GetValue(by) ?? environment("USER") ?? environment("USERNAME") ?? "unknown";
            var mark = await history.MarkAsync(parse.GetValue(id), kind, who, parse.GetValue(reason), ct);
            await output.WriteLineAsync($"Evaluation #{parse.GetValue(id)} {name.TrimEnd('e')}ed by {mark.MarkedBy} at {mark.MarkedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC in {history.Description}.");
            return 0;
        }, ct));
        return command;
    }

    private static Command Trend(Option<FileInfo> config, TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        var stores = new HistoryStores();
        var service = new Option<string>("--service") { Description = "The service.", Required = true };
        var env = new Option<string?>("--environment") { Description = "The environment (none for evaluations without one)." };
        var branch = new Option<string?>("--branch") { Description = "Only this branch." };
        var gate = new Option<string>("--gate") { Description = "The gate's name.", Required = true };
        var measurement = new Option<string?>("--measurement") { Description = "The measurement, such as p(95); the gate's status when left out." };
        var target = new Option<string?>("--target") { Description = "The measurement's target (an endpoint, a file)." };
        var count = new Option<int>("--count") { Description = "At most this many points, the newest.", DefaultValueFactory = _ => 20 };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var command = new Command("trend", "One measurement (or a gate's status) over the recorded evaluations, newest first.")
        {
            service, env, branch, gate, measurement, target, count, json,
        };
        stores.AddTo(command, evaluation: false);
        command.Options.Add(config);
        command.SetAction((parse, ct) => WithHistoryAsync(parse, stores, config, error, environment, async history =>
        {
            var points = await history.TrendAsync(new TrendQuery
            {
                Service = parse.GetValue(service)!, Environment = parse.GetValue(env), Branch = parse.GetValue(branch), Gate = parse.GetValue(gate)!,
                Measurement = parse.GetValue(measurement), Target = parse.GetValue(target), Count = parse.GetValue(count),
            }, ct);
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(new JsonArray([.. points.Select(p => (JsonNode)new JsonObject
                {
                    ["evaluation"] = p.EvaluationId, ["version"] = p.Version, ["startedAt"] = p.StartedAt.ToString("O", CultureInfo.InvariantCulture),
                    ["decision"] = p.Decision.ToString(), ["status"] = p.Status.ToString(), ["value"] = p.Value, ["unit"] = p.Unit.ToString(),
                })]).ToJsonString(JsonOptions));
                return 0;
            }

            var rows = new List<string[]> { TrendHeader };
            for (var i = 0; i < points.Count; i++)
            {
                var p = points[i];
                var previous = i + 1 < points.Count ? points[i + 1].Value : null;
                var change = p.Value is { } v && previous is { } w && w != 0 ? ((v - w) / Math.Abs(w)).ToString("+0.0%;-0.0%;0.0%", CultureInfo.InvariantCulture) : "";
                rows.Add(["#" + p.EvaluationId.ToString(CultureInfo.InvariantCulture), p.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                    p.Version ?? "", p.Value is { } value ? $"{value.ToString("0.###", CultureInfo.InvariantCulture)} {p.Unit.ToString().ToLowerInvariant()}" : "", p.Status.ToString(), change]);
            }

            await output.WriteAsync(Table(rows));
            return 0;
        }, ct));
        return command;
    }

    private static Command Prune(Option<FileInfo> config, TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        var stores = new HistoryStores();
        var keep = new Option<int>("--keep-last") { Description = "Keep the newest this many evaluations of each service, environment and branch.", DefaultValueFactory = _ => 100 };
        var newer = new Option<string?>("--keep-newer-than") { Description = "Also keep every evaluation younger than this, such as 90d." };
        var command = new Command("prune", "Deletes old evaluations; pinned and blessed ones are always kept.") { keep, newer };
        stores.AddTo(command, evaluation: false);
        command.Options.Add(config);
        command.SetAction((parse, ct) => WithHistoryAsync(parse, stores, config, error, environment, async history =>
        {
            var retention = new HistoryRetention { KeepLast = parse.GetValue(keep) };
            if (parse.GetValue(newer) is { } age)
            {
                retention.KeepNewerThan = ParseAge(age);
            }

            var deleted = await history.PruneAsync(retention, ct);
            await output.WriteLineAsync($"Deleted {deleted} evaluation(s) from {history.Description}.");
            return 0;
        }, ct));
        return command;
    }

    /// <summary>
    /// Opens the history, runs <paramref name="action"/>, closes it; a history problem or bad argument is exit 3 (4
    /// when the store failed) with its message.
    /// </summary>
    private static async Task<int> WithHistoryAsync(ParseResult parse, HistoryStores stores, Option<FileInfo> config, TextWriter error,
        Func<string, string?> environment, Func<IReleaseHistory, Task<int>> action, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!stores.TryRead(parse, parse.GetValue(config)!, environment, error, out var settings))
        {
            return ReleaseExitCodes.InvalidConfiguration;
        }

        if (settings is null)
        {
            await error.WriteLineAsync("release-gates: no history: give --history (a SQLite file, or env:NAME for PostgreSQL) or a history section in the configuration.");
            return ReleaseExitCodes.InvalidConfiguration;
        }

        if (settings.Store == HistoryStoreKind.Sqlite && !File.Exists(settings.Path))
        {
            await error.WriteLineAsync($"release-gates: there is no history at {settings.Path} yet: evaluate with it first.");
            return ReleaseExitCodes.InvalidConfiguration;
        }

        IReleaseHistory? history = null;
        try
        {
            history = HistoryStores.Open(settings);
            return await action(history);
        }
        catch (ReleaseHistoryException e)
        {
            await error.WriteLineAsync($"release-gates: {e.Message}");
            return ReleaseExitCodes.EvaluationError;
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            await error.WriteLineAsync($"release-gates: {e.Message}");
            return ReleaseExitCodes.InvalidConfiguration;
        }
        finally
        {
            await HistoryStores.CloseAsync(history);
        }
    }

    private static readonly string[] ListHeader = ["id", "started (UTC)", "service", "environment", "branch", "version", "decision", "score", "marks"];

    private static readonly string[] TrendHeader = ["id", "started (UTC)", "version", "value", "status", "change"];

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static JsonNode EntryJson(HistoryEntry e) => new JsonObject
    {
        ["id"] = e.Id,
        ["service"] = e.Subject.Service, ["environment"] = e.Subject.Environment, ["branch"] = e.Subject.Branch, ["version"] = e.Subject.Version,
        ["commit"] = e.Subject.Commit, ["startedAt"] = e.StartedAt.ToString("O", CultureInfo.InvariantCulture),
        ["recordedAt"] = e.RecordedAt.ToString("O", CultureInfo.InvariantCulture), ["decision"] = e.Decision.ToString(),
        ["baselineDecision"] = e.BaselineDecision.ToString(), ["score"] = e.Score, ["fingerprint"] = e.Fingerprint.ToString(),
        ["marks"] = new JsonArray([.. e.Marks.Select(m => (JsonNode)new JsonObject
        {
            ["kind"] = m.Kind.ToString(), ["at"] = m.MarkedAt.ToString("O", CultureInfo.InvariantCulture), ["by"] = m.MarkedBy, ["reason"] = m.Reason,
        })]),
    };

    private static string Decision(ReleaseDecision d) => d switch
    {
        ReleaseDecision.Go => "GO",
        ReleaseDecision.GoWithWarnings => "GO WITH WARNINGS",
        _ => "NO-GO",
    };

    private static ReleaseDecision ParseDecision(string text) => text.Trim().ToLowerInvariant() switch
    {
        "go" => ReleaseDecision.Go,
        "warn" or "gowithwarnings" => ReleaseDecision.GoWithWarnings,
        "nogo" or "no-go" => ReleaseDecision.NoGo,
        _ => throw new FormatException($"--decision: '{text}' is not a decision; expected go, warn or nogo."),
    };

    private static DateTimeOffset ParseSince(string text)
        => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : DateTimeOffset.UtcNow - ParseAge(text);

    private static TimeSpan ParseAge(string text)
    {
        var t = text.Trim();
        if (t.Length > 1 && double.TryParse(t[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0 && double.IsFinite(n))
        {
            switch (t[^1])
            {
                case 'd': return TimeSpan.FromDays(n);
                case 'h': return TimeSpan.FromHours(n);
                case 'm': return TimeSpan.FromMinutes(n);
            }
        }

        throw new FormatException($"'{text}' is not an age; expected a number and d, h or m, such as 30d.");
    }

    private static string Table(List<string[]> rows)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var sb = new StringBuilder();
        foreach (var row in rows)
        {
            sb.AppendLine(string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
        }

        return sb.ToString();
    }
}
