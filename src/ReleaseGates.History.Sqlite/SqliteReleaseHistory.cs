using Microsoft.Data.Sqlite;

namespace ReleaseGates;

/// <summary>
/// A report history in a SQLite file: no server, what the <c>release-gates</c> tool uses for a path such as
/// <c>.releasegates/history.db</c>. Two processes recording at once are serialised by SQLite's write lock (each waits up to
/// <see cref="SqliteHistoryOptions.BusyTimeout"/>); readers never wait for writers (write-ahead log).
/// </summary>
public sealed class SqliteReleaseHistory : IReleaseHistory
{
    private readonly SqlHistoryStore _store;

    /// <summary>Opens (on first use: creates) the history in a SQLite file, creating its folder if needed.</summary>
    /// <param name="path">The file, relative to the current directory or rooted.</param>
    /// <param name="options">Timeouts and the clock; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The path is empty.</exception>
    public SqliteReleaseHistory(string path, SqliteHistoryOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new SqliteHistoryOptions();
        Path = System.IO.Path.GetFullPath(path);
        if (System.IO.Path.GetDirectoryName(Path) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        }.ToString();
        var dialect = new HistorySqlDialect
        {
            IdentityKey = "INTEGER PRIMARY KEY AUTOINCREMENT",
            Double = "REAL",
            ListTables = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            Prepare = "PRAGMA journal_mode = WAL",
            RefusesForeignTables = true,
            CheckBeforeOpening = () => FileKind.Problem(Path),
            Explain = ex => ex is SqliteException sqlite ? Explain(sqlite) : null,
        };
        _store = new SqlHistoryStore(SqliteFactory.Instance.CreateDataSource(connectionString), dialect, "SQLite " + path,
            options.TimeProvider ?? TimeProvider.System);
    }

    /// <summary>The file's full path.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public string Description => _store.Description;

    /// <inheritdoc />
    public Task<HistoryEntry> RecordAsync(ReleaseReport report, EnvironmentFingerprint fingerprint, CancellationToken cancellationToken = default)
        => _store.RecordAsync(report, fingerprint, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<HistoryEntry>> ListAsync(HistoryQuery query, CancellationToken cancellationToken = default)
        => _store.ListAsync(query, cancellationToken);

    /// <inheritdoc />
    public Task<HistoryEntry?> FindAsync(long id, CancellationToken cancellationToken = default) => _store.FindAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<ReleaseReport?> ReadReportAsync(long id, CancellationToken cancellationToken = default) => _store.ReadReportAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<HistoryMark> MarkAsync(long id, HistoryMarkKind kind, string markedBy, string? reason, CancellationToken cancellationToken = default)
        => _store.MarkAsync(id, kind, markedBy, reason, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<TrendPoint>> TrendAsync(TrendQuery query, CancellationToken cancellationToken = default)
        => _store.TrendAsync(query, cancellationToken);

    /// <inheritdoc />
    public Task<int> PruneAsync(HistoryRetention retention, CancellationToken cancellationToken = default) => _store.PruneAsync(retention, cancellationToken);

    /// <summary>The store itself, for tests that make an older schema.</summary>
    internal SqlHistoryStore Store => _store;

    private static string? Explain(SqliteException ex) => ex.SqliteErrorCode switch
    {
        5 or 6 => $"the file stayed locked by another process (SQLite: {ex.Message})",
        8 => $"the file or its folder is read-only (SQLite: {ex.Message})",
        11 => $"the file is corrupted (SQLite: {ex.Message})",
        13 => $"the disk is full (SQLite: {ex.Message})",
        14 => $"the file cannot be opened: a missing folder, a folder in its place, or no permission (SQLite: {ex.Message})",
        26 => $"the file is not a SQLite database (SQLite: {ex.Message})",
        _ => null,
    };
}
