using System.Data.Common;

namespace ReleaseGates;

/// <summary>Options of the migration-integrity gate (<c>AddMigrationIntegrity</c>). See <c>docs/gates/migrations.md</c>.</summary>
public sealed class MigrationIntegrityGateOptions : GateOptions
{
    /// <summary>Creates the options with the gate's defaults: category <see cref="GateCategories.Data"/>.</summary>
    public MigrationIntegrityGateOptions() => Category = GateCategories.Data;

    /// <summary>
    /// Creates a new, unopened connection to the database (e.g. <c>() =&gt; new NpgsqlConnection(cs)</c>). Required. The gate
    /// opens it, reads in a read-only transaction it rolls back, and disposes it. ReleaseGates references no driver.
    /// </summary>
    public Func<DbConnection>? ConnectionFactory { get; set; }

    /// <summary>The SQL dialect. Default: detected from the connection's type (Npgsql, Sqlite, SqlClient).</summary>
    public SqlDialect? Dialect { get; set; }

    /// <summary>The applied-migration history to read, or <see langword="null"/> to check only the schema and data invariants. Default: none.</summary>
    public MigrationJournal? Journal { get; set; }

    /// <summary>
    /// A folder of local migrations, named as the <see cref="Journal"/>'s tool names them (searched recursively), compared with
    /// the applied history. Default: none.
    /// </summary>
    public string? MigrationsDirectory { get; set; }

    /// <summary>
    /// The expected migrations by identifier, for when they do not live in a folder — e.g. EF Core's
    /// <c>context.Database.GetMigrations()</c>, DbUp's script names, or Flyway script file names. Default: none.
    /// </summary>
    public IList<string>? ExpectedMigrations { get; set; }

    /// <summary>
    /// A content-hash manifest written at release time by <see cref="MigrationManifest.WriteAsync"/>: every applied
    /// migration's local file must still hash to the recorded value. Gives EF Core and DbUp, which keep no checksum, the
    /// "edited after it was applied" check Flyway has. Default: none.
    /// </summary>
    public string? ManifestPath { get; set; }

    /// <summary>
    /// Tells whether the application's model has changes no migration captures ("forgot to add a migration"), e.g.
    /// <c>() =&gt; db.Database.HasPendingModelChanges()</c> with EF Core 8 or later. True is a <c>migration.model-drift</c>
    /// error. Default: not checked.
    /// </summary>
    public Func<bool>? HasPendingModelChanges { get; set; }

    /// <summary>Like Flyway's <c>outOfOrder</c>: a local migration older than the newest applied one is pending, not ignored. Default: false.</summary>
    public bool OutOfOrder { get; set; }

    /// <summary>
    /// Like Flyway's <c>ignoreMigrationPatterns</c>: <c>type:status</c> pairs whose findings are reported as information only.
    /// Type is <c>*</c>, <c>versioned</c> or <c>repeatable</c>; status is <c>missing</c>, <c>pending</c>, <c>ignored</c> or
    /// <c>future</c>. Default: <c>*:future</c> (a newer application may already have migrated the database).
    /// </summary>
    public IList<string> IgnoreMigrationPatterns { get; private set; } = ["*:future"];

    /// <summary>Versions at or below this one are not checked (Flyway's <c>baselineVersion</c>); a <c>BASELINE</c> row in the history does the same. Default: none.</summary>
    public string? BaselineVersion { get; set; }

    /// <summary>What the live catalog must hold.</summary>
    public SchemaExpectations Schema { get; private set; } = new();

    /// <summary>Data invariants that must hold.</summary>
    public IList<DataInvariant> Invariants { get; private set; } = [];

    /// <summary>How long one statement may run. Default: 30 seconds.</summary>
    public TimeSpan StatementTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many offending rows of a <see cref="DataInvariant.NoRows"/> invariant are shown. Default: 5.</summary>
    public int MaximumOffendingRows { get; set; } = 5;

    /// <summary>Column names whose values are never shown, in addition to names that look secret (password, token, secret, key, hash, salt, …).</summary>
    public ISet<string> RedactedColumns { get; private set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    protected internal override void Validate(ICollection<string> problems)
    {
        base.Validate(problems);
        if (ConnectionFactory is null)
        {
            problems.Add($"{nameof(ConnectionFactory)} is required: a function that creates a new connection, e.g. () => new NpgsqlConnection(connectionString).");
        }

        if (Journal is null && Schema.IsEmpty && Invariants.Count == 0)
        {
            problems.Add($"Nothing to check: set {nameof(Journal)}, {nameof(Schema)} expectations or {nameof(Invariants)}.");
        }

        if (Journal is null && (MigrationsDirectory is not null || ExpectedMigrations is not null || ManifestPath is not null))
        {
            problems.Add($"{nameof(MigrationsDirectory)}, {nameof(ExpectedMigrations)} and {nameof(ManifestPath)} are compared with the applied history: set {nameof(Journal)} too.");
        }

        if (ManifestPath is not null && MigrationsDirectory is null)
        {
            problems.Add($"{nameof(ManifestPath)} checks the files in {nameof(MigrationsDirectory)}: set it too.");
        }

        if (BaselineVersion is not null && !MigrationVersion.TryParse(BaselineVersion, out _))
        {
            problems.Add($"{nameof(BaselineVersion)} '{BaselineVersion}' is not a version such as 1, 1.2 or 2024_01.");
        }

        foreach (var pattern in IgnoreMigrationPatterns)
        {
            if (!MigrationValidator.TryParsePattern(pattern, out _))
            {
                problems.Add($"{nameof(IgnoreMigrationPatterns)} entry '{pattern}' is not type:status, with type *, versioned or repeatable and status *, missing, pending, ignored or future.");
            }
        }

        if (StatementTimeout <= TimeSpan.Zero || StatementTimeout > TimeSpan.FromHours(1))
        {
            problems.Add($"{nameof(StatementTimeout)} must be above zero and at most an hour, but was {StatementTimeout}.");
        }

        if (MaximumOffendingRows is < 0 or > 1000)
        {
            problems.Add($"{nameof(MaximumOffendingRows)} must be 0 to 1000, but was {MaximumOffendingRows}.");
        }

        Schema.Validate(problems);
        foreach (var invariant in Invariants.Where(i => i.Condition is not null))
        {
            foreach (var problem in invariant.Condition!.Validate(MetricUnit.None))
            {
                problems.Add($"Invariant '{invariant.Name}': {problem}");
            }
        }

        foreach (var duplicate in Invariants.GroupBy(i => i.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            problems.Add($"Two invariants are named '{duplicate.Key}'.");
        }
    }

    /// <inheritdoc />
    protected internal override GateOptions Clone()
    {
        var copy = (MigrationIntegrityGateOptions)base.Clone();
        copy.ExpectedMigrations = ExpectedMigrations is null ? null : [.. ExpectedMigrations];
        copy.IgnoreMigrationPatterns = [.. IgnoreMigrationPatterns];
        copy.Schema = Schema.Copy();
        copy.Invariants = [.. Invariants];
        copy.RedactedColumns = new HashSet<string>(RedactedColumns, StringComparer.OrdinalIgnoreCase);
        return copy;
    }
}
