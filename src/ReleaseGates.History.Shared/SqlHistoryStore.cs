using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;

namespace ReleaseGates;

/// <summary>
/// A report history in a SQL database through ADO.NET, shared by the SQLite and PostgreSQL stores (compiled into each):
/// one row per evaluation with its whole report, one per gate and per measurement for baselines and trends, and marks
/// in a table of their own. Records are only ever inserted; a prune is the only deletion. Every failure is a
/// <see cref="ReleaseHistoryException"/> naming the store without credentials.
/// </summary>
internal sealed partial class SqlHistoryStore
{
    private readonly DbDataSource _source;
    private readonly HistorySqlDialect _dialect;
    private readonly TimeProvider _time;
    private volatile bool _schemaReady;

    public SqlHistoryStore(DbDataSource source, HistorySqlDialect dialect, string description, TimeProvider time)
    {
        _source = source;
        _dialect = dialect;
        _time = time;
        Description = description;
    }

    public string Description { get; }

    public async Task<HistoryEntry> RecordAsync(ReleaseReport report, EnvironmentFingerprint fingerprint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(fingerprint);
        var json = CompactJson(report);
        var recordedAt = _time.GetUtcNow();
        return await RunAsync("record an evaluation", true, async (connection, transaction) =>
        {
            var subject = report.Subject;
            using var insert = Command(connection, transaction, """
                INSERT INTO releasegates_evaluation (service, environment, branch, version, commit_sha, started_at, recorded_at, decision, baseline_decision, score,
                    os, cpu, cores, memory, runtime, runner, report)
                VALUES (@service, @environment, @branch, @version, @commit, @started, @recorded, @decision, @baselineDecision, @score,
                    @os, @cpu, @cores, @memory, @runtime, @runner, @report)
                RETURNING id
                """,
                ("service", Text(subject.Service)), ("environment", Text(subject.Environment)), ("branch", Text(subject.Branch)),
                ("version", Text(subject.Version)), ("commit", Text(subject.Commit)), ("started", report.StartedAt.ToUnixTimeMilliseconds()),
                ("recorded", recordedAt.ToUnixTimeMilliseconds()), ("decision", report.Decision.ToString()),
                ("baselineDecision", (report.History?.BaselineDecision ?? report.Decision).ToString()), ("score", Finite(report.Score)),
                ("os", Text(fingerprint.OperatingSystem)), ("cpu", Text(fingerprint.CpuModel)), ("cores", fingerprint.CoreCount),
                ("memory", fingerprint.MemoryBytes), ("runtime", Text(fingerprint.RuntimeVersion)), ("runner", Text(fingerprint.RunnerLabel)),
                ("report", json));
            var id = Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            await InsertGatesAsync(connection, transaction, id, report, cancellationToken).ConfigureAwait(false);
            return new HistoryEntry
            {
                Id = id,
                Subject = subject,
                StartedAt = report.StartedAt,
                RecordedAt = DateTimeOffset.FromUnixTimeMilliseconds(recordedAt.ToUnixTimeMilliseconds()),
                Decision = report.Decision,
                BaselineDecision = report.History?.BaselineDecision ?? report.Decision,
                Score = report.Score,
                Fingerprint = fingerprint,
            };
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<HistoryEntry>> ListAsync(HistoryQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        return await RunAsync("list evaluations", false, async (connection, transaction) =>
        {
            var where = new StringBuilder("1 = 1");
            var parameters = new List<(string, object?)>();
            void Equal(string column, string? value)
            {
                if (value is not null)
                {
                    where.Append(CultureInfo.InvariantCulture, $" AND e.{column} = @{column}");
                    parameters.Add((column, Text(value)));
                }
            }

            Equal("service", query.Service);
            Equal("environment", query.Environment);
            Equal("branch", query.Branch);
            Equal("version", query.Version);
            if (query.Decisions.Count > 0)
            {
                var names = query.Decisions.Select((d, i) => (Name: "decision" + i.ToString(CultureInfo.InvariantCulture), Value: d.ToString())).ToList();
                where.Append(CultureInfo.InvariantCulture, $" AND e.{(query.ByBaselineDecision ? "baseline_decision" : "decision")} IN ({string.Join(", ", names.Select(n => "@" + n.Name))})");
                parameters.AddRange(names.Select(n => (n.Name, (object?)n.Value)));
            }

            if (query.Since is { } since)
            {
                where.Append(" AND e.started_at >= @since");
                parameters.Add(("since", since.ToUnixTimeMilliseconds()));
            }

            if (query.Until is { } until)
            {
                where.Append(" AND e.started_at < @until");
                parameters.Add(("until", until.ToUnixTimeMilliseconds()));
            }

            if (!query.IncludeInvalidated)
            {
                where.Append(" AND NOT EXISTS (SELECT 1 FROM releasegates_mark m WHERE m.evaluation_id = e.id AND m.kind = 'Invalidated')");
            }

            if (query.MarkedAs is { } kind)
            {
                where.Append(" AND EXISTS (SELECT 1 FROM releasegates_mark m WHERE m.evaluation_id = e.id AND m.kind = @marked)");
                parameters.Add(("marked", kind.ToString()));
            }

            parameters.Add(("limit", query.Limit));
            return await ReadEntriesAsync(connection, transaction, $"{where} ORDER BY e.id DESC LIMIT @limit", [.. parameters], cancellationToken)
                .ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<HistoryEntry?> FindAsync(long id, CancellationToken cancellationToken)
        => await RunAsync("read an evaluation", false, async (connection, transaction) =>
        {
            var entries = await ReadEntriesAsync(connection, transaction, "e.id = @id", [("id", id)], cancellationToken).ConfigureAwait(false);
            return entries.Count > 0 ? entries[0] : null;
        }, cancellationToken).ConfigureAwait(false);

    public async Task<ReleaseReport?> ReadReportAsync(long id, CancellationToken cancellationToken)
    {
        var json = await RunAsync("read a report", false, async (connection, transaction) =>
        {
            using var command = Command(connection, transaction, "SELECT report FROM releasegates_evaluation WHERE id = @id", ("id", id));
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }, cancellationToken).ConfigureAwait(false);
        try
        {
            return json is null ? null : ReleaseReport.FromJson(json);
        }
        catch (ReleaseReportFormatException ex)
        {
            throw new ReleaseHistoryException($"{Description}: the report of evaluation #{id} is not a report this version reads: {ex.Message}", ex);
        }
    }

    public async Task<HistoryMark> MarkAsync(long id, HistoryMarkKind kind, string markedBy, string? reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(markedBy);
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a mark: Invalidated, Pinned or Blessed.");
        }

        if (kind == HistoryMarkKind.Invalidated && string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException("An evaluation is invalidated with a reason, so that whoever wonders later knows why.", nameof(reason));
        }

        var at = DateTimeOffset.FromUnixTimeMilliseconds(_time.GetUtcNow().ToUnixTimeMilliseconds());
        return await RunAsync("mark an evaluation", true, async (connection, transaction) =>
        {
            using (var exists = Command(connection, transaction, "SELECT COUNT(*) FROM releasegates_evaluation WHERE id = @id", ("id", id)))
            {
                if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) == 0)
                {
                    throw new ReleaseHistoryException($"{Description}: there is no evaluation #{id.ToString(CultureInfo.InvariantCulture)} to mark {kind.ToString().ToLowerInvariant()}.");
                }
            }

            using var insert = Command(connection, transaction, """
                INSERT INTO releasegates_mark (evaluation_id, kind, marked_at, marked_by, reason) VALUES (@id, @kind, @at, @by, @reason)
                """,
                ("id", id), ("kind", kind.ToString()), ("at", at.ToUnixTimeMilliseconds()), ("by", Text(markedBy.Trim())), ("reason", Text(reason?.Trim())));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return new HistoryMark(kind, at, markedBy.Trim(), reason?.Trim() ?? "");
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<TrendPoint>> TrendAsync(TrendQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var gateSeries = query.Measurement is null;
        // One point per evaluation: a measurement held to two conditions (an absolute and a relative one) is two rows of
        // one value; the point takes the worst of their statuses (statuses are ordered worst first, as GateStatus is).
        // One point per evaluation: a measurement held to two conditions (an absolute and a relative one) is two rows of
        // one value; the point takes the worst of their statuses (statuses are ordered worst first, as GateStatus is).
        // Grouped by the series index's last column, newest first, so that the database walks the index backwards and
        // stops at the count (0.2 ms for 100 points of 10,000 on SQLite, against 40 ms when it grouped every row first).
        const string Worst = "MIN(CASE s.status WHEN 'Error' THEN 0 WHEN 'Failed' THEN 1 WHEN 'Warning' THEN 2 WHEN 'Skipped' THEN 3 ELSE 4 END)";
        var sql = (gateSeries
            ? $"""
              SELECT s.evaluation_id, MIN(e.version), MIN(e.started_at), MIN(e.decision), {Worst}, NULL, NULL
              FROM releasegates_gate s JOIN releasegates_evaluation e ON e.id = s.evaluation_id
              WHERE s.name = @gate
              """
            : $"""
              SELECT s.evaluation_id, MIN(e.version), MIN(e.started_at), MIN(e.decision), {Worst}, MIN(s.value), MIN(s.unit)
              FROM releasegates_measurement s JOIN releasegates_evaluation e ON e.id = s.evaluation_id
              WHERE s.gate = @gate AND s.name = @name AND s.target = @target
              """)
            + " AND e.service = @service AND e.environment = @environment"
            + (query.Branch is null ? "" : " AND e.branch = @branch")
            + " AND NOT EXISTS (SELECT 1 FROM releasegates_mark m WHERE m.evaluation_id = e.id AND m.kind = 'Invalidated')"
            + " GROUP BY s.evaluation_id ORDER BY s.evaluation_id DESC LIMIT @count";
        return await RunAsync("read a trend", false, async (connection, transaction) =>
        {
            using var command = Command(connection, transaction, sql, ("gate", Text(query.Gate)), ("name", Text(query.Measurement)),
                ("target", Text(query.Target)), ("service", Text(query.Service)), ("environment", Text(query.Environment)),
                ("branch", Text(query.Branch)), ("count", query.Count));
            var points = new List<TrendPoint>();
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                points.Add(new TrendPoint
                {
                    EvaluationId = reader.GetInt64(0),
                    Version = NullIfEmpty(reader.GetString(1)),
                    StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                    Decision = Parse<ReleaseDecision>(reader.GetString(3)),
                    Status = (GateStatus)Convert.ToInt32(reader.GetValue(4), CultureInfo.InvariantCulture),
                    Value = reader.IsDBNull(5) ? null : reader.GetDouble(5),
                    Unit = reader.IsDBNull(6) ? MetricUnit.None : Parse<MetricUnit>(reader.GetString(6)),
                });
            }

            return (IReadOnlyList<TrendPoint>)points;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> PruneAsync(HistoryRetention retention, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(retention);
        retention.Validate();
        var cutoff = retention.KeepNewerThan is { } age ? (_time.GetUtcNow() - age).ToUnixTimeMilliseconds() : long.MaxValue;
        return await RunAsync("prune", true, async (connection, transaction) =>
        {
            var ids = new List<long>();
            using (var select = Command(connection, transaction, """
                SELECT r.id FROM (
                    SELECT id, started_at, ROW_NUMBER() OVER (PARTITION BY service, environment, branch ORDER BY id DESC) AS newest
                    FROM releasegates_evaluation) r
                WHERE r.newest > @keep AND r.started_at < @cutoff
                  AND NOT EXISTS (SELECT 1 FROM releasegates_mark m WHERE m.evaluation_id = r.id AND m.kind IN ('Pinned', 'Blessed'))
                """, ("keep", (long)retention.KeepLast), ("cutoff", cutoff)))
            {
                using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    ids.Add(reader.GetInt64(0));
                }
            }

            foreach (var chunk in ids.Chunk(500))
            {
                var list = string.Join(", ", chunk.Select(i => i.ToString(CultureInfo.InvariantCulture)));
                foreach (var (table, column) in new[] { ("releasegates_measurement", "evaluation_id"), ("releasegates_gate", "evaluation_id"),
                    ("releasegates_mark", "evaluation_id"), ("releasegates_evaluation", "id") })
                {
                    using var delete = Command(connection, transaction, $"DELETE FROM {table} WHERE {column} IN ({list})");
                    await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            return ids.Count;
        }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task InsertGatesAsync(DbConnection connection, DbTransaction? transaction, long id, ReleaseReport report, CancellationToken cancellationToken)
    {
        var gateRows = report.Gates.Select((g, i) => new object?[] { id, i, Text(g.Name), g.Status.ToString(), Finite(g.Score) }).ToList();
        await InsertRowsAsync(connection, transaction, "releasegates_gate", ["evaluation_id", "position", "name", "status", "score"], gateRows,
            cancellationToken).ConfigureAwait(false);
        var measurementRows = report.Gates.SelectMany(g => g.Measurements.Select(m => new object?[]
        {
            id, Text(g.Name), Text(m.Name), Text(m.Target), Finite(m.Value), m.Unit.ToString(), m.Condition is null ? null : Text(m.Condition.ToString()),
            m.Status.ToString(), Finite(m.Baseline),
        })).ToList();
        await InsertRowsAsync(connection, transaction, "releasegates_measurement",
            ["evaluation_id", "gate", "name", "target", "value", "unit", "condition_text", "status", "baseline"], measurementRows, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Inserts rows a hundred to a statement: one round trip per hundred rows rather than per row.</summary>
    private static async Task InsertRowsAsync(DbConnection connection, DbTransaction? transaction, string table, string[] columns, List<object?[]> rows,
        CancellationToken cancellationToken)
    {
        foreach (var chunk in rows.Chunk(100))
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var sql = new StringBuilder($"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ");
            for (var r = 0; r < chunk.Length; r++)
            {
                sql.Append(r == 0 ? "(" : ", (");
                for (var c = 0; c < columns.Length; c++)
                {
                    var name = string.Create(CultureInfo.InvariantCulture, $"p{r}_{c}");
                    sql.Append(c == 0 ? "@" : ", @").Append(name);
                    AddParameter(command, name, chunk[r][c]);
                }

                sql.Append(')');
            }

            command.CommandText = sql.ToString();
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<List<HistoryEntry>> ReadEntriesAsync(DbConnection connection, DbTransaction? transaction, string condition,
        (string, object?)[] parameters, CancellationToken cancellationToken)
    {
        var entries = new List<HistoryEntry>();
        using (var command = Command(connection, transaction, $"""
            SELECT e.id, e.service, e.environment, e.branch, e.version, e.commit_sha, e.started_at, e.recorded_at, e.decision, e.score,
                e.os, e.cpu, e.cores, e.memory, e.runtime, e.runner, e.baseline_decision
            FROM releasegates_evaluation e WHERE {condition}
            """, parameters))
        {
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                entries.Add(new HistoryEntry
                {
                    Id = reader.GetInt64(0),
                    Subject = new ReleaseSubject
                    {
                        Service = NullIfEmpty(reader.GetString(1)),
                        Environment = NullIfEmpty(reader.GetString(2)),
                        Branch = NullIfEmpty(reader.GetString(3)),
                        Version = NullIfEmpty(reader.GetString(4)),
                        Commit = NullIfEmpty(reader.GetString(5)),
                    },
                    StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
                    RecordedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
                    Decision = Parse<ReleaseDecision>(reader.GetString(8)),
                    Score = reader.IsDBNull(9) ? null : reader.GetDouble(9),
                    Fingerprint = new EnvironmentFingerprint
                    {
                        OperatingSystem = reader.GetString(10),
                        CpuModel = reader.GetString(11),
                        CoreCount = Convert.ToInt32(reader.GetValue(12), CultureInfo.InvariantCulture),
                        MemoryBytes = reader.GetInt64(13),
                        RuntimeVersion = reader.GetString(14),
                        RunnerLabel = NullIfEmpty(reader.GetString(15)),
                    },
                    BaselineDecision = Parse<ReleaseDecision>(reader.GetString(16)),
                });
            }
        }

        if (entries.Count == 0)
        {
            return entries;
        }

        var marks = new Dictionary<long, List<HistoryMark>>();
        var ids = string.Join(", ", entries.Select(e => e.Id.ToString(CultureInfo.InvariantCulture)));
        using (var command = Command(connection, transaction,
            $"SELECT evaluation_id, kind, marked_at, marked_by, reason FROM releasegates_mark WHERE evaluation_id IN ({ids}) ORDER BY id"))
        {
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = reader.GetInt64(0);
                if (!marks.TryGetValue(id, out var list))
                {
                    marks[id] = list = [];
                }

                list.Add(new HistoryMark(Parse<HistoryMarkKind>(reader.GetString(1)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                    reader.GetString(3), reader.GetString(4)));
            }
        }

        return [.. entries.Select(e => marks.TryGetValue(e.Id, out var list) ? e with { Marks = list } : e)];
    }

    /// <summary>
    /// Opens a connection (creating or upgrading the schema on first use), runs <paramref name="work"/> in a transaction
    /// (a write one takes the database's write lock at once), commits, and turns every database failure into a
    /// <see cref="ReleaseHistoryException"/> that says what was being done.
    /// </summary>
    private async Task<T> RunAsync<T>(string what, bool write, Func<DbConnection, DbTransaction?, Task<T>> work, CancellationToken cancellationToken)
    {
        if (_dialect.CheckBeforeOpening?.Invoke() is { } problem)
        {
            throw new ReleaseHistoryException($"{Description}: could not {what}: the path {problem}. Nothing was opened.");
        }

        try
        {
            var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await EnsureSchemaAsync(connection, cancellationToken).ConfigureAwait(false);
                if (!write)
                {
                    // A read is one statement or two whose results need not agree to the instant (an entry and its marks):
                    // no transaction, so that on SQLite a reader never takes the write lock.
                    return await work(connection, null).ConfigureAwait(false);
                }

                var transaction = await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    var result = await work(connection, transaction).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return result;
                }
            }
        }
        catch (DbException ex)
        {
            throw new ReleaseHistoryException($"{Description}: could not {what}: {_dialect.Explain(ex) ?? ex.Message}", ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException or TimeoutException
            or ArgumentException and not ArgumentOutOfRangeException)
        {
            throw new ReleaseHistoryException($"{Description}: could not {what}: {ex.Message}", ex);
        }
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            AddParameter(command, name, value);
        }

        return command;
    }

    private static void AddParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value is null or NoNumber ? DBNull.Value : value;
        parameter.DbType = value switch
        {
            long => DbType.Int64,
            int => DbType.Int32,
            double or NoNumber => DbType.Double,
            _ => DbType.String,
        };
        command.Parameters.Add(parameter);
    }

    /// <summary>
    /// The report as JSON without indentation (about 40 % smaller than <see cref="ReleaseReport.ToJson"/>, read back the
    /// same way), characters outside ASCII kept as they are.
    /// </summary>
    private static string CompactJson(ReleaseReport report)
    {
        using var document = System.Text.Json.JsonDocument.Parse(report.ToJson());
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer,
            new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            document.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A text column's value: empty for none, and no NUL (which PostgreSQL text cannot hold), so that both stores keep the same.</summary>
    private static string Text(string? value) => value is null ? "" : value.Replace('\0', '\uFFFD');

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    /// <summary>A number column's value: a value that is not finite is kept as none (SQLite turns NaN into NULL anyway).</summary>
    private static object Finite(double? value) => value is { } v && double.IsFinite(v) ? v : NoNumber.Instance;

    /// <summary>A NULL in a number column: typed, because PostgreSQL will not put a NULL of text into one.</summary>
    private sealed class NoNumber
    {
        public static readonly NoNumber Instance = new();
    }

    private T Parse<T>(string text)
        where T : struct, Enum
        => Enum.TryParse<T>(text, ignoreCase: false, out var value) && Enum.IsDefined(value)
            ? value
            : throw new ReleaseHistoryException($"{Description}: the stored value '{text}' is not a {typeof(T).Name} this version knows; was the history written by a newer version?");
}
