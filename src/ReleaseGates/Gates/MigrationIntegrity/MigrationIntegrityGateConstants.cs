namespace ReleaseGates;

/// <summary>The migration-integrity gate's finding codes, each listed on its docs page, and where that page is.</summary>
internal static class MigrationIntegrityGateConstants
{
    /// <summary>The gate's page, which documents every finding code below.</summary>
    public const string DocsPage = "docs/gates/migrations.md";

    public const string DataInvariantNoValue = "data.invariant-no-value";

    public const string DataInvariantViolated = "data.invariant-violated";

    public const string MigrationChecksumMismatch = "migration.checksum-mismatch";

    public const string MigrationContentChanged = "migration.content-changed";

    public const string MigrationDescriptionMismatch = "migration.description-mismatch";

    public const string MigrationDuplicateVersion = "migration.duplicate-version";

    public const string MigrationFailed = "migration.failed";

    public const string MigrationFuture = "migration.future";

    public const string MigrationHistoryMissing = "migration.history-missing";

    public const string MigrationIgnored = "migration.ignored";

    public const string MigrationMissing = "migration.missing";

    public const string MigrationModelDrift = "migration.model-drift";

    public const string MigrationNotInManifest = "migration.not-in-manifest";

    public const string MigrationOutOfOrder = "migration.out-of-order";

    public const string MigrationOutdatedRepeatable = "migration.outdated-repeatable";

    public const string MigrationPending = "migration.pending";

    public const string MigrationTypeMismatch = "migration.type-mismatch";

    public const string MigrationUnrecognisedFile = "migration.unrecognised-file";

    public const string MigrationUnverifiedContent = "migration.unverified-content";

    public const string MigrationVersionGap = "migration.version-gap";

    public const string SchemaColumnMissing = "schema.column-missing";

    public const string SchemaColumnNullability = "schema.column-nullability";

    public const string SchemaColumnType = "schema.column-type";

    public const string SchemaIndexMissing = "schema.index-missing";

    public const string SchemaIndexNotUnique = "schema.index-not-unique";

    public const string SchemaTableMissing = "schema.table-missing";
}
