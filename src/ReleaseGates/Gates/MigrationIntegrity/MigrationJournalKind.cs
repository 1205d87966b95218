namespace ReleaseGates;

/// <summary>The kind of tool that wrote a migration history table.</summary>
public enum MigrationJournalKind
{
    /// <summary>EF Core's <c>__EFMigrationsHistory(MigrationId, ProductVersion)</c>; local migrations are <c>yyyyMMddHHmmss_Name.cs</c> files or <c>Database.GetMigrations()</c>.</summary>
    EfCore,

    /// <summary>Flyway's <c>flyway_schema_history</c>, with CRC32 checksums; local migrations are <c>V&lt;version&gt;__&lt;description&gt;.sql</c> and <c>R__&lt;description&gt;.sql</c> scripts.</summary>
    Flyway,

    /// <summary>DbUp's <c>SchemaVersions(ScriptName)</c>; local migrations are <c>*.sql</c> scripts, identified by file name.</summary>
    DbUp,

    /// <summary>Django's <c>django_migrations(app, name)</c>; local migrations are <c>&lt;app&gt;/migrations/NNNN_name.py</c> files, identified as <c>app.name</c>.</summary>
    Django,

    /// <summary>A query of your own: the first column is the migration's identifier; optional columns <c>success</c> and <c>checksum</c>.</summary>
    Custom,
}
