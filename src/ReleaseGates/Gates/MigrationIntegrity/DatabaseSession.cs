using System.Data;
using System.Data.Common;
using System.Globalization;

namespace ReleaseGates;

/// <summary>A column as the live catalog reports it.</summary>
internal sealed record CatalogColumn(string Name, string Type, string? AlternativeType, bool Nullable);

/// <summary>An index (or unique constraint) as the live catalog reports it.</summary>
internal sealed record CatalogIndex(string Name, bool Unique, IReadOnlyList<string> Columns);

/// <summary>
/// One read-only visit to a database: PostgreSQL in a <c>READ ONLY</c> transaction with <c>statement_timeout</c>,
/// SQLite with <c>PRAGMA query_only</c>, SQL Server in a transaction; always rolled back. Messages never carry the password.
/// </summary>
internal sealed class DatabaseSession : IAsyncDisposable
{
    private readonly DbConnection connection;
    private readonly DbTransaction? transaction;
    private readonly int timeoutSeconds;
    private readonly IReadOnlyList<string> secrets;

    private DatabaseSession(DbConnection connection, DbTransaction? transaction, SqlDialect dialect, TimeSpan timeout, string target,
        IReadOnlyList<string> secrets)
    {
        this.connection = connection;
        this.transaction = transaction;
        Dialect = dialect;
        timeoutSeconds = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds));
        Target = target;
        this.secrets = secrets;
    }

    public SqlDialect Dialect { get; }

    /// <summary>Where the session is connected, without credentials: <c>PostgreSQL 127.0.0.1:5432/app</c>.</summary>
    public string Target { get; }

    /// <summary>Detects the dialect from the connection's type name, or <see langword="null"/> when it is not known.</summary>
    public static SqlDialect? DetectDialect(DbConnection connection)
    {
        var name = connection.GetType().FullName ?? string.Empty;
        return name switch
        {
            _ when name.StartsWith("Npgsql.", StringComparison.Ordinal) => SqlDialect.PostgreSql,
            _ when name.Contains("Sqlite", StringComparison.OrdinalIgnoreCase) => SqlDialect.Sqlite,
            _ when name.EndsWith("SqlClient.SqlConnection", StringComparison.Ordinal) => SqlDialect.SqlServer,
            _ => null,
        };
    }

    /// <summary>
    /// Makes a Microsoft.Data.Sqlite connection open its file read-only (<c>Mode=ReadOnly</c>) unless it names an in-memory
    /// database: a missing file is then an error instead of a new, empty database, and nothing can be written.
    /// System.Data.SQLite's <c>Read Only=True</c> is set the same way.
    /// </summary>
    private static void OpenSqliteReadOnly(DbConnection connection)
    {
        if (connection.State != ConnectionState.Closed)
        {
            return;
        }

        var builder = new DbConnectionStringBuilder { ConnectionString = connection.ConnectionString };
        var type = connection.GetType().FullName ?? "";
        if (type.StartsWith("Microsoft.Data.Sqlite.", StringComparison.Ordinal))
        {
            var mode = builder.TryGetValue("Mode", out var m) ? m?.ToString() : null;
            var source = builder.TryGetValue("Data Source", out var d) ? d?.ToString() : builder.TryGetValue("DataSource", out var d2) ? d2?.ToString() : null;
            if (string.Equals(mode, "Memory", StringComparison.OrdinalIgnoreCase) || source is null or "" or ":memory:")
            {
                return;
            }

            builder["Mode"] = "ReadOnly";
        }
        else if (type.StartsWith("System.Data.SQLite.", StringComparison.Ordinal))
        {
            builder["Read Only"] = "True";
            builder["FailIfMissing"] = "True";
        }
        else
        {
            return;
        }

        connection.ConnectionString = builder.ConnectionString;
    }

    /// <summary>Opens the connection and starts the read-only visit. Throws <see cref="DatabaseUnavailableException"/> with a message free of secrets.</summary>
    public static async Task<DatabaseSession> OpenAsync(Func<DbConnection> factory, SqlDialect? dialect, TimeSpan timeout, CancellationToken cancellationToken)
    {
        DbConnection connection;
        try
        {
            connection = factory() ?? throw new InvalidOperationException("The connection factory returned null.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new DatabaseUnavailableException($"The connection factory failed: {ex.GetType().Name}.");
        }

        var secrets = SecretsOf(connection.ConnectionString);
        var resolved = dialect ?? DetectDialect(connection);
        var target = Describe(connection, resolved);
        if (resolved is null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new DatabaseUnavailableException($"Cannot tell the SQL dialect of {connection.GetType().FullName}: set Dialect.");
        }

        if (resolved == SqlDialect.Sqlite)
        {
            OpenSqliteReadOnly(connection);
        }

        DbTransaction? transaction = null;
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            switch (resolved)
            {
                case SqlDialect.PostgreSql:
                    transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
                    await Execute(connection, transaction,
                        string.Create(CultureInfo.InvariantCulture,
                        $"SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = {(long)timeout.TotalMilliseconds}"),
                        cancellationToken).ConfigureAwait(false);
                    break;
                case SqlDialect.Sqlite:
                    // No transaction: Microsoft.Data.Sqlite begins IMMEDIATE ones, which take the write lock.
                    await Execute(connection, null, "PRAGMA query_only = 1", cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new DatabaseUnavailableException($"Could not connect to {target}: {Scrub(ex.Message, secrets)}");
        }

        return new DatabaseSession(connection, transaction, resolved.Value, timeout, target, secrets);
    }

    /// <summary>Removes every secret of the connection string from <paramref name="message"/>.</summary>
    public string Scrub(string message) => Scrub(message, secrets);

    /// <summary>Runs a query and hands each row to <paramref name="read"/>.</summary>
    public async Task<List<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>Runs a query and returns its reader (the caller disposes both).</summary>
    public async Task<(DbCommand Command, DbDataReader Reader)> ReaderAsync(string sql, CancellationToken cancellationToken)
    {
        var command = Command(sql, []);
        try
        {
            return (command, await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            await command.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs a query that returns one value.</summary>
    public async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(sql, []);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    /// <summary>Finds a table by name (case ignored), returning its exact name, or <see langword="null"/>.</summary>
    public async Task<string?> FindTableAsync(string table, string? schema, CancellationToken cancellationToken)
    {
        var names = Dialect switch
        {
            // SQLite has one schema per attached file; the history table lives in main.
            SqlDialect.Sqlite => await QueryAsync("SELECT name FROM sqlite_master WHERE type = 'table' AND lower(name) = lower(@t)",
                r => r.GetString(0), cancellationToken, ("@t", table)).ConfigureAwait(false),
            SqlDialect.PostgreSql => await QueryAsync(
                "SELECT table_name FROM information_schema.tables WHERE lower(table_name) = lower(@t) AND (table_schema = @s OR (@s = '' AND table_schema = ANY (current_schemas(false))))",
                r => r.GetString(0),
                cancellationToken,
                ("@t", table),
                ("@s", schema ?? string.Empty)).ConfigureAwait(false),
            _ => await QueryAsync(
                "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE lower(TABLE_NAME) = lower(@t) AND (TABLE_SCHEMA = @s OR (@s = '' AND TABLE_SCHEMA = SCHEMA_NAME()))",
                r => r.GetString(0),
                cancellationToken,
                ("@t", table),
                ("@s", schema ?? string.Empty)).ConfigureAwait(false),
        };
        return names.FirstOrDefault(n => n == table) ?? names.FirstOrDefault();
    }

    /// <summary>The base tables visible on the connection's search path (PostgreSQL), in the database (SQLite) or in all schemas (SQL Server).</summary>
    public Task<List<string>> TablesAsync(CancellationToken cancellationToken) => QueryAsync(
        Dialect switch
        {
            SqlDialect.PostgreSql =>
                "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema = ANY (current_schemas(false))",
            SqlDialect.Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
            _ => "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_TYPE = 'BASE TABLE'",
        },
        r => r.GetString(0),
        cancellationToken);

    public Task<List<CatalogColumn>> ColumnsAsync(string table, CancellationToken cancellationToken) => Dialect switch
    {
        SqlDialect.PostgreSql => QueryAsync(
            "SELECT column_name, data_type, udt_name, is_nullable FROM information_schema.columns WHERE lower(table_name) = lower(@t) AND table_schema = ANY (current_schemas(false)) ORDER BY ordinal_position",
            r => new CatalogColumn(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3) == "YES"),
            cancellationToken,
            ("@t", table)),
        SqlDialect.Sqlite => QueryAsync(
            "SELECT name, type, \"notnull\", pk FROM pragma_table_info(@t)",
            r => new CatalogColumn(r.GetString(0), r.GetString(1), null,
                Convert.ToInt64(r.GetValue(2),
                CultureInfo.InvariantCulture) == 0 && !(Convert.ToInt64(r.GetValue(3),
                CultureInfo.InvariantCulture) > 0 && r.GetString(1).Equals("INTEGER", StringComparison.OrdinalIgnoreCase))),
            cancellationToken,
            ("@t", table)),
        _ => QueryAsync(
            "SELECT COLUMN_NAME, DATA_TYPE, IS_NULLABLE FROM INFORMATION_SCHEMA.COLUMNS WHERE lower(TABLE_NAME) = lower(@t) ORDER BY ORDINAL_POSITION",
            r => new CatalogColumn(r.GetString(0), r.GetString(1), null, r.GetString(2) == "YES"),
            cancellationToken,
            ("@t", table)),
    };

    public async Task<List<CatalogIndex>> IndexesAsync(string table, CancellationToken cancellationToken)
    {
        switch (Dialect)
        {
            case SqlDialect.PostgreSql:
                return await QueryAsync(
                    """
                    SELECT i.relname, ix.indisunique,
                           array_to_string(ARRAY(SELECT a.attname FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                                                 JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord), ',')
                    FROM pg_index ix
                    JOIN pg_class t ON t.oid = ix.indrelid
                    JOIN pg_class i ON i.oid = ix.indexrelid
                    JOIN pg_namespace n ON n.oid = t.relnamespace
                    WHERE lower(t.relname) = lower(@t) AND n.nspname = ANY (current_schemas(false))
                    """,
                    r => new CatalogIndex(r.GetString(0), r.GetBoolean(1), r.GetString(2).Split(',', StringSplitOptions.RemoveEmptyEntries)),
                    cancellationToken,
                    ("@t", table)).ConfigureAwait(false);
            case SqlDialect.Sqlite:
                var list = await QueryAsync("SELECT name, \"unique\" FROM pragma_index_list(@t)",
                    r => (Name: r.GetString(0), Unique: Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture) != 0),
                    cancellationToken, ("@t", table)).ConfigureAwait(false);
                var indexes = new List<CatalogIndex>();
                foreach (var (name, unique) in list)
                {
                    var columns = await QueryAsync("SELECT name FROM pragma_index_info(@i) ORDER BY seqno",
                        r => r.IsDBNull(0) ? string.Empty : r.GetString(0), cancellationToken, ("@i", name)).ConfigureAwait(false);
                    indexes.Add(new CatalogIndex(name, unique, columns));
                }

                // An INTEGER PRIMARY KEY is the rowid and has no index of its own, but it is unique.
                var key = await QueryAsync("SELECT name FROM pragma_table_info(@t) WHERE pk > 0 ORDER BY pk", r => r.GetString(0),
                    cancellationToken, ("@t", table)).ConfigureAwait(false);
                if (key.Count > 0 && !indexes.Any(i => i.Columns.SequenceEqual(key, StringComparer.OrdinalIgnoreCase)))
                {
                    indexes.Add(new CatalogIndex("primary key", true, key));
                }

                return indexes;
            default:
                return await QueryAsync(
                    """
                    SELECT i.name, i.is_unique,
                           STUFF((SELECT ',' + c.name FROM sys.index_columns ic
                                  JOIN sys.columns c ON c.object_id = ic.object_id AND c.column_id = ic.column_id
                                  WHERE ic.object_id = i.object_id AND ic.index_id = i.index_id AND ic.is_included_column = 0
                                  ORDER BY ic.key_ordinal FOR XML PATH('')), 1, 1, '')
                    FROM sys.indexes i WHERE i.object_id = OBJECT_ID(@t) AND i.type > 0
                    """,
                    r => new CatalogIndex(r.GetString(0), r.GetBoolean(1), r.IsDBNull(2) ? [] : r.GetString(2).Split(',')),
                    cancellationToken,
                    ("@t", table)).ConfigureAwait(false);
        }
    }

    /// <summary>Quotes an identifier (<c>"name"</c>; doubled quotes inside).</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (transaction is not null)
            {
                await transaction.RollbackAsync().ConfigureAwait(false);
                await transaction.DisposeAsync().ConfigureAwait(false);
            }
            else if (Dialect == SqlDialect.Sqlite && connection.State == ConnectionState.Open)
            {
                // Pooled SQLite connections keep their pragmas: give the application its writable connection back.
                await Execute(connection, null, "PRAGMA query_only = 0", CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (DbException)
        {
            // A broken connection has nothing left to roll back.
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private DbCommand Command(string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.CommandTimeout = timeoutSeconds;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            command.Parameters.Add(p);
        }

        return command;
    }

    private static async Task Execute(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static List<string> SecretsOf(string? connectionString)
    {
        var secrets = new List<string>();
        if (string.IsNullOrEmpty(connectionString))
        {
            return secrets;
        }

        secrets.Add(connectionString);
        try
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
            foreach (string key in builder.Keys)
            {
                if (key.Contains("password", StringComparison.OrdinalIgnoreCase) || key.Equals("pwd",
                    StringComparison.OrdinalIgnoreCase) || key.Contains("secret",
                    StringComparison.OrdinalIgnoreCase) || key.Contains("token", StringComparison.OrdinalIgnoreCase))
                {
                    if (builder[key]?.ToString() is { Length: > 0 } value)
                    {
                        secrets.Add(value);
                    }
                }
            }
        }
        catch (ArgumentException)
        {
            // Not a key=value connection string: only the whole string is scrubbed.
        }

        return secrets;
    }

    private static string Scrub(string message, IReadOnlyList<string> secrets)
    {
        foreach (var secret in secrets.OrderByDescending(s => s.Length))
        {
            message = message.Replace(secret, "***", StringComparison.Ordinal);
        }

        return message;
    }

    private static string Describe(DbConnection connection, SqlDialect? dialect)
    {
        var kind = dialect switch
        {
            SqlDialect.PostgreSql => "PostgreSQL",
            SqlDialect.Sqlite => "SQLite",
            SqlDialect.SqlServer => "SQL Server",
            _ => connection.GetType().Name,
        };
        try
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = connection.ConnectionString };
            string? Get(params string[] keys) => keys.Select(k => builder.TryGetValue(k,
                out var v) ? v?.ToString() : null).FirstOrDefault(v => !string.IsNullOrEmpty(v));
            var host = Get("Host", "Server", "Data Source", "DataSource", "Address", "Addr", "Filename");
            var port = Get("Port");
            var database = Get("Database", "Initial Catalog");
            var where = host + (port is null ? string.Empty : ":" + port) + (database is null ? string.Empty : "/" + database);
            return where.Length == 0 ? kind : $"{kind} {where}";
        }
        catch (ArgumentException)
        {
            return kind;
        }
    }
}

/// <summary>The database could not be reached or read; the message is free of secrets.</summary>
internal sealed class DatabaseUnavailableException(string message) : Exception(message);
