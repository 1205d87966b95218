namespace ReleaseGates;

/// <summary>A migration found locally (a script file, or an identifier the caller listed).</summary>
/// <param name="Id">The identifier the journal records: Flyway's version (or description for a repeatable), EF Core's MigrationId, DbUp's script name, Django's <c>app.name</c>.</param>
/// <param name="Version">The Flyway version, for versioned Flyway migrations.</param>
/// <param name="Description">The description (Flyway) or the identifier.</param>
/// <param name="Script">The file, relative to the migrations folder, or the identifier.</param>
internal sealed record LocalMigration(string Id, MigrationVersion? Version, string Description, string Script)
{
    /// <summary>Flyway's CRC32 checksum of the script, for SQL files.</summary>
    public int? Checksum { get; init; }

    /// <summary>The SHA-256 of the file's normalised text, for the manifest.</summary>
    public string? ContentHash { get; init; }

    /// <summary>A Flyway repeatable migration (<c>R__</c>).</summary>
    public bool IsRepeatable { get; init; }
}

/// <summary>One row of the applied history.</summary>
internal sealed record AppliedMigration(int Rank, string Id, MigrationVersion? Version, string Description, string Script, bool Success)
{
    /// <summary>The checksum the tool recorded, if it records one.</summary>
    public int? Checksum { get; init; }

    /// <summary>Flyway's row type (SQL, JDBC, BASELINE, DELETE, …), or <see langword="null"/>.</summary>
    public string? Type { get; init; }

    /// <summary>A Flyway repeatable migration (no version, type SQL or JDBC).</summary>
    public bool IsRepeatable { get; init; }
}
