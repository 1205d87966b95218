using System.Data.Common;

namespace ReleaseGates;

/// <summary>What differs between the databases a history is kept in: column types, how tables are listed, locks, error texts.</summary>
internal sealed class HistorySqlDialect
{
    /// <summary>An auto-numbered 64-bit primary key column's type and constraint.</summary>
    public required string IdentityKey { get; init; }

    /// <summary>The 64-bit floating-point type.</summary>
    public required string Double { get; init; }

    /// <summary>Lists the tables of the database (the current schema), one name per row.</summary>
    public required string ListTables { get; init; }

    /// <summary>Run once per store before the schema is checked, outside any transaction (SQLite's write-ahead log); <see langword="null"/> for none.</summary>
    public string? Prepare { get; init; }

    /// <summary>
    /// Run first in the transaction that creates or upgrades the schema, so that two processes starting at once do it once;
    /// <see langword="null"/> where the transaction itself locks the database (SQLite's <c>BEGIN IMMEDIATE</c>).
    /// </summary>
    public string? SchemaLock { get; init; }

    /// <summary>
    /// Whether a database holding other tables and no history is refused: a SQLite file is one application's, while a
    /// PostgreSQL database is commonly shared (the history's tables are prefixed <c>releasegates_</c>).
    /// </summary>
    public bool RefusesForeignTables { get; init; }

    /// <summary>Checked before every connection: why the store cannot be opened at all (a device where a file belongs), or <see langword="null"/>.</summary>
    public Func<string?>? CheckBeforeOpening { get; init; }

    /// <summary>What a database error means, in words, without credentials; <see langword="null"/> to use the error's own message.</summary>
    public required Func<DbException, string?> Explain { get; init; }
}
