namespace ReleaseGates;

/// <summary>Where and how the applied migration history is read. Use the static members, optionally with <see cref="WithTable"/>.</summary>
public sealed class MigrationJournal
{
    private MigrationJournal(MigrationJournalKind kind, string table, string? schema, string? query)
    {
        Kind = kind;
        Table = table;
        Schema = schema;
        Query = query;
    }

    /// <summary>EF Core's <c>__EFMigrationsHistory</c>.</summary>
    public static MigrationJournal EfCore { get; } = new(MigrationJournalKind.EfCore, "__EFMigrationsHistory", null, null);

    /// <summary>Flyway's <c>flyway_schema_history</c>.</summary>
    public static MigrationJournal Flyway { get; } = new(MigrationJournalKind.Flyway, "flyway_schema_history", null, null);

    /// <summary>DbUp's <c>SchemaVersions</c>.</summary>
    public static MigrationJournal DbUp { get; } = new(MigrationJournalKind.DbUp, "SchemaVersions", null, null);

    /// <summary>Django's <c>django_migrations</c>.</summary>
    public static MigrationJournal Django { get; } = new(MigrationJournalKind.Django, "django_migrations", null, null);

    /// <summary>The kind of journal.</summary>
    public MigrationJournalKind Kind { get; }

    /// <summary>The history table's name.</summary>
    public string Table { get; }

    /// <summary>The history table's schema, or <see langword="null"/> for the connection's default.</summary>
    public string? Schema { get; }

    /// <summary>The query of a <see cref="MigrationJournalKind.Custom"/> journal.</summary>
    public string? Query { get; }

    /// <summary>
    /// A journal read by your own query. The first column is the migration identifier (compared with local migrations by
    /// name); a column named <c>success</c> (boolean or 0/1) marks failed runs; a column named <c>checksum</c> (integer)
    /// is compared with the Flyway checksum of the local script.
    /// </summary>
    /// <param name="query">A read-only query, e.g. <c>SELECT name FROM schema_log ORDER BY id</c>.</param>
    /// <param name="table">The table the query reads, checked for existence before the query runs.</param>
    /// <returns>The journal.</returns>
    public static MigrationJournal Custom(string query, string table)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        return new(MigrationJournalKind.Custom, table, null, query);
    }

    /// <summary>The same journal kind in another table (EF Core's <c>MigrationsHistoryTable</c>, Flyway's <c>table</c> and <c>defaultSchema</c>, DbUp's <c>JournalToSqlTable</c>).</summary>
    /// <param name="table">The table's name.</param>
    /// <param name="schema">The table's schema, or <see langword="null"/> for the default.</param>
    /// <returns>The journal.</returns>
    public MigrationJournal WithTable(string table, string? schema = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        return new(Kind, table, schema, Query);
    }

    /// <inheritdoc />
    public override string ToString() => Schema is null ? $"{Kind} ({Table})" : $"{Kind} ({Schema}.{Table})";
}
