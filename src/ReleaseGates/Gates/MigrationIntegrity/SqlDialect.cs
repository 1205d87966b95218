namespace ReleaseGates;

/// <summary>The SQL dialect the migration-integrity gate speaks to the database's catalog and journal.</summary>
public enum SqlDialect
{
    /// <summary>PostgreSQL (Npgsql): <c>information_schema</c> and <c>pg_catalog</c>, read-only transactions, <c>statement_timeout</c>.</summary>
    PostgreSql,

    /// <summary>SQLite (Microsoft.Data.Sqlite, System.Data.SQLite): <c>sqlite_master</c> and pragmas, <c>PRAGMA query_only</c>.</summary>
    Sqlite,

    /// <summary>SQL Server (Microsoft.Data.SqlClient): <c>INFORMATION_SCHEMA</c> and <c>sys.indexes</c>; the transaction is rolled back.</summary>
    SqlServer,
}
