using System.Data;
using System.Data.Common;
using System.Globalization;

namespace ReleaseGates;

/// <summary>The history's schema: created on first use, upgraded step by step, a newer one refused.</summary>
internal sealed partial class SqlHistoryStore
{
    /// <summary>The schema version this code writes; each step in <see cref="Steps"/> brings a database one version up.</summary>
    public const int SchemaVersion = 2;

    /// <summary>
    /// The steps from an empty database, one per version: 1 the tables, 2 the indexes the baseline, list and trend
    /// queries use (chosen from the benchmark's queries, docs/performance.md).
    /// </summary>
    private IReadOnlyList<string[]> Steps =>
    [
        [
            "CREATE TABLE releasegates_schema (version INTEGER NOT NULL, written_by TEXT NOT NULL, applied_at BIGINT NOT NULL)",
            $"""
            CREATE TABLE releasegates_evaluation (
                id {_dialect.IdentityKey},
                service TEXT NOT NULL, environment TEXT NOT NULL, branch TEXT NOT NULL, version TEXT NOT NULL, commit_sha TEXT NOT NULL,
                started_at BIGINT NOT NULL, recorded_at BIGINT NOT NULL, decision TEXT NOT NULL, baseline_decision TEXT NOT NULL, score {_dialect.Double},
                os TEXT NOT NULL, cpu TEXT NOT NULL, cores INTEGER NOT NULL, memory BIGINT NOT NULL, runtime TEXT NOT NULL, runner TEXT NOT NULL,
                report TEXT NOT NULL)
            """,
            $"""
            CREATE TABLE releasegates_gate (
                evaluation_id BIGINT NOT NULL, position INTEGER NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL, score {_dialect.Double},
                PRIMARY KEY (evaluation_id, position))
            """,
            $"""
            CREATE TABLE releasegates_measurement (
                evaluation_id BIGINT NOT NULL, gate TEXT NOT NULL, name TEXT NOT NULL, target TEXT NOT NULL, value {_dialect.Double},
                unit TEXT NOT NULL, condition_text TEXT, status TEXT NOT NULL, baseline {_dialect.Double})
            """,
            $"""
            CREATE TABLE releasegates_mark (
                id {_dialect.IdentityKey}, evaluation_id BIGINT NOT NULL, kind TEXT NOT NULL, marked_at BIGINT NOT NULL,
                marked_by TEXT NOT NULL, reason TEXT NOT NULL)
            """,
        ],
        [
            "CREATE INDEX releasegates_evaluation_scope ON releasegates_evaluation (service, environment, id)",
            "CREATE INDEX releasegates_measurement_series ON releasegates_measurement (gate, name, target, evaluation_id)",
            "CREATE INDEX releasegates_measurement_evaluation ON releasegates_measurement (evaluation_id)",
            "CREATE INDEX releasegates_gate_series ON releasegates_gate (name, evaluation_id)",
            "CREATE INDEX releasegates_mark_evaluation ON releasegates_mark (evaluation_id, kind)",
        ],
    ];

    /// <summary>The schema version of the database; 0 for one without a history.</summary>
    public async Task<int> ReadSchemaVersionAsync(CancellationToken cancellationToken)
    {
        try
        {
            var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                return await VersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (DbException ex)
        {
            throw new ReleaseHistoryException($"{Description}: could not read the schema version: {_dialect.Explain(ex) ?? ex.Message}", ex);
        }
    }

    /// <summary>Creates or upgrades the schema to <paramref name="version"/> (tests make an older history with it).</summary>
    internal async Task MigrateAsync(DbConnection connection, int version, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            if (_dialect.SchemaLock is { } lockStatement)
            {
                await ExecuteAsync(connection, transaction, lockStatement, cancellationToken).ConfigureAwait(false);
            }

            var current = await VersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            if (current > SchemaVersion)
            {
                throw new ReleaseHistoryException(
                    $"{Description}: the history has schema version {current.ToString(CultureInfo.InvariantCulture)}, written by a newer ReleaseGates; this version reads up to {SchemaVersion.ToString(CultureInfo.InvariantCulture)}. Upgrade the tool (or the ReleaseGates.History packages) to use it; nothing was changed.");
            }

            var steps = Steps;
            for (var v = current + 1; v <= version; v++)
            {
                foreach (var statement in steps[v - 1])
                {
                    await ExecuteAsync(connection, transaction, statement, cancellationToken).ConfigureAwait(false);
                }

                await ExecuteAsync(connection, transaction, string.Create(CultureInfo.InvariantCulture,
                    $"INSERT INTO releasegates_schema (version, written_by, applied_at) VALUES ({v}, 'ReleaseGates {typeof(SqlHistoryStore).Assembly.GetName().Version}', {_time.GetUtcNow().ToUnixTimeMilliseconds()})"),
                    cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Brings the schema up to date once per store. Two first calls at once (two threads, two processes) are safe without a
    /// lock here: each migration runs in a transaction that holds the database's write lock and reads the version again.
    /// </summary>
    private async Task EnsureSchemaAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (_schemaReady)
        {
            return;
        }

        if (_dialect.Prepare is { } prepare)
        {
            using var command = connection.CreateCommand();
            command.CommandText = prepare;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await MigrateAsync(connection, SchemaVersion, cancellationToken).ConfigureAwait(false);
        _schemaReady = true;
    }

    /// <summary>
    /// The version recorded in <c>releasegates_schema</c>; 0 for a database without it, which is refused if it holds
    /// another application's tables.
    /// </summary>
    private async Task<int> VersionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.Transaction = transaction;
            list.CommandText = _dialect.ListTables;
            using var reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                tables.Add(reader.GetString(0));
            }
        }

        if (!tables.Contains("releasegates_schema", StringComparer.OrdinalIgnoreCase))
        {
            var foreign = tables.Where(t => !t.StartsWith("releasegates_", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).ToList();
            if (_dialect.RefusesForeignTables && foreign.Count > 0)
            {
                throw new ReleaseHistoryException(
                    $"{Description}: the database holds another application's tables ({string.Join(", ", foreign.Take(5))}{(foreign.Count > 5 ? ", …" : "")}) and no ReleaseGates history; give the history a file of its own. Nothing was changed.");
            }

            return 0;
        }

        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT MAX(version) FROM releasegates_schema";
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is null or DBNull ? 0 : Convert.ToInt32(value, CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
