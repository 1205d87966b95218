using System.CommandLine;
using System.Diagnostics.CodeAnalysis;

namespace ReleaseGates.Cli;

/// <summary>
/// Where the tool's history is: <c>--history</c> (a SQLite path, or <c>env:NAME</c> for a PostgreSQL connection string in
/// that variable) or else the configuration's <c>history</c> section; and the options that refine it.
/// </summary>
internal sealed class HistoryStores
{
    public Option<string?> History { get; } = new("--history")
    {
        Description = "The report history: a SQLite file such as .releasegates/history.db, or env:NAME for a PostgreSQL connection string in the variable NAME. Default: the configuration's history section.",
    };

    public Option<string?> BaselineRule { get; } = new("--baseline-rule")
    {
        Description = "How the baseline is chosen from the history: 'last passing', 'median of 5', 'mean of 3 including warnings', 'pinned', 'pinned 2.3.1', 'pinned #42', 'blessed', each optionally '... same branch'; 'none' for no baseline.",
    };

    public Option<string?> Runner { get; } = new("--runner") { Description = "A label for this runner, added to the machine's fingerprint (such as ci-large)." };

    public Option<bool> NoRecord { get; } = new("--no-record") { Description = "Read the baseline from the history but do not record this evaluation." };

    public void AddTo(Command command, bool evaluation)
    {
        command.Options.Add(History);
        if (evaluation)
        {
            command.Options.Add(BaselineRule);
            command.Options.Add(Runner);
            command.Options.Add(NoRecord);
        }
    }

    /// <summary>
    /// The history settings for this command: the configuration's section with the command line's overrides;
    /// <see langword="null"/> when neither names a history. Problems are written to <paramref name="error"/> and
    /// returned as <see langword="false"/>.
    /// </summary>
    public bool TryRead(ParseResult parse, FileInfo config, Func<string, string?> environment, TextWriter error, out ReleaseHistorySettings? settings)
    {
        settings = null;
        try
        {
            settings = config.Exists ? JsonConfigurationReleaseGatesBuilderExtensions.ReadHistorySettings(config.ToString()) : null;
        }
        catch (ReleaseGatesConfigurationException e)
        {
            error.WriteLine(e.Message);
            return false;
        }

        if (parse.GetValue(History) is { } given)
        {
            if (string.IsNullOrWhiteSpace(given))
            {
                error.WriteLine("--history: expected a SQLite file or env:NAME, got an empty value.");
                return false;
            }

            if (given.StartsWith("env:", StringComparison.Ordinal))
            {
                var name = given[4..];
                if (environment(name) is not { Length: > 0 } connection)
                {
                    error.WriteLine($"--history: the environment variable {name} (a PostgreSQL connection string) is not set.");
                    return false;
                }

                settings = Where(settings, HistoryStoreKind.PostgreSql, null, connection, name);
            }
            else
            {
                settings = Where(settings, HistoryStoreKind.Sqlite, Path.GetFullPath(given), null, null);
            }
        }

        if (settings is null)
        {
            if (parse.GetValue(BaselineRule) is not null || parse.GetValue(Runner) is not null || parse.GetValue(NoRecord))
            {
                error.WriteLine("--baseline-rule, --runner and --no-record need a history: --history or a history section in the configuration.");
                return false;
            }

            return true;
        }

        var rule = settings.Baseline;
        if (parse.GetValue(BaselineRule) is { } text)
        {
            if (string.Equals(text.Trim(), "none", StringComparison.OrdinalIgnoreCase))
            {
                rule = null;
            }
            else if (ReleaseGates.BaselineRule.TryParse(text, out var parsed, out var problem))
            {
                rule = parsed with { Fingerprint = settings.Baseline?.Fingerprint ?? FingerprintFields.Default };
            }
            else
            {
                error.WriteLine("--baseline-rule: " + problem);
                return false;
            }
        }

        settings = new ReleaseHistorySettings
        {
            Store = settings.Store, Path = settings.Path, ConnectionString = settings.ConnectionString, ConnectionStringVariable = settings.ConnectionStringVariable,
            Baseline = rule, Record = settings.Record && !parse.GetValue(NoRecord), RunnerLabel = parse.GetValue(Runner) ?? settings.RunnerLabel, Timeout = settings.Timeout,
        };
        return true;
    }

    /// <summary>The settings of the file (or the defaults) with another store.</summary>
    private static ReleaseHistorySettings Where(ReleaseHistorySettings? file, HistoryStoreKind store, string? path, string? connection, string? variable) => new()
    {
        Store = store,
        Path = path,
        ConnectionString = connection,
        ConnectionStringVariable = variable,
        Baseline = file is null ? ReleaseGates.BaselineRule.LastPassing : file.Baseline,
        Record = file?.Record ?? true,
        RunnerLabel = file?.RunnerLabel,
        Timeout = file?.Timeout ?? TimeSpan.FromSeconds(30),
    };

    /// <summary>Opens the store the settings name.</summary>
    public static IReleaseHistory Open(ReleaseHistorySettings settings) => settings.Store switch
    {
        HistoryStoreKind.PostgreSql => new PostgreSqlReleaseHistory(settings.ConnectionString!),
        _ => new SqliteReleaseHistory(settings.Path!),
    };

    /// <summary>Closes a store that holds connections.</summary>
    public static async ValueTask CloseAsync(IReleaseHistory? history)
    {
        if (history is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }
}
