using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using ReleaseGates.IntegrationTests.Gates.MigrationIntegrity.EfCore;
using ReleaseGates.Tests.Support;

namespace ReleaseGates.IntegrationTests.Gates.MigrationIntegrity;

/// <summary>The migration-integrity gate against real SQLite files: EF Core's own history, Flyway, DbUp and Django journals.</summary>
public sealed class SqliteMigrationIntegrityTests : IDisposable
{
    private static readonly string FlywayFixtures = Path.Combine(Repository.Root, "tests/ReleaseGates.Tests/Gates/MigrationIntegrity/Fixtures/flyway-skyweather");
    private static readonly string EfMigrationsFolder = Path.Combine(Repository.Root, "tests/ReleaseGates.IntegrationTests/Gates/MigrationIntegrity/EfCore/Migrations");
    private readonly string _folder = Directory.CreateTempSubdirectory("releasegates-sqlite-").FullName;
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private string DatabasePath => Path.Combine(_folder, "app.db");

    private string ConnectionString => new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ConnectionString;

    [Fact]
    public async Task Pending_ef_core_migrations_equal_ef_cores_own_GetPendingMigrations()
    {
        await using var db = ShopContext.Sqlite(ConnectionString);
        await db.GetService<IMigrator>().MigrateAsync("20260101000000_CreateUsers", _ct);
        var efPending = (await db.Database.GetPendingMigrationsAsync(_ct)).ToList();
        Assert.Equal(["20260102000000_CreateTemplates", "20260103000000_SeedTemplates"], efPending);

        var fromList = await EvaluateAsync(o => { o.Journal = MigrationJournal.EfCore; o.ExpectedMigrations = db.Database.GetMigrations().ToList(); });
        var fromFolder = await EvaluateAsync(o => { o.Journal = MigrationJournal.EfCore; o.MigrationsDirectory = EfMigrationsFolder; });

        foreach (var gate in new[] { fromList, fromFolder })
        {
            Assert.Equal(GateStatus.Failed, gate.Status);
            Assert.Equal(efPending, gate.Findings.Where(f => f.Code == "migration.pending").Select(f => Path.GetFileNameWithoutExtension(f.Target!)));
            Assert.Equal(2, gate.Measurements.Single(m => m.Name == "pending").Value);
            Assert.Equal(1, gate.Measurements.Single(m => m.Name == "applied").Value);
        }
    }

    [Fact]
    public async Task Passes_when_every_migration_is_applied_and_schema_and_invariants_hold()
    {
        await using (var db = ShopContext.Sqlite(ConnectionString))
        {
            await db.Database.MigrateAsync(_ct);
            Assert.Empty(await db.Database.GetPendingMigrationsAsync(_ct));
        }

        var gate = await EvaluateAsync(o =>
        {
            o.Journal = MigrationJournal.EfCore;
            o.MigrationsDirectory = EfMigrationsFolder;
            o.Schema.MinimumTableCount = 3;
            o.Schema.RequireTables("users", "templates")
                .RequireColumn("users", "login_id", "TEXT", nullable: false)
                .RequireColumn("users", "password_hash", nullable: true)
                .RequireIndex("users", ["login_id"], unique: true)
                .RequireIndex("users", ["id"], unique: true);
            o.Invariants.Add(DataInvariant.NoRows("unique-login", "SELECT login_id, COUNT(*) FROM users GROUP BY login_id HAVING COUNT(*) > 1"));
            o.Invariants.Add(DataInvariant.Scalar("weights-sum-to-one", "SELECT SUM(weight) FROM templates", "sum between 0.999 and 1.001"));
        });

        Assert.True(gate.Status == GateStatus.Passed, Describe(gate));
        Assert.Equal(4, gate.Measurements.Single(m => m.Name == "tables").Value); // users, templates, __EFMigrationsHistory, __EFMigrationsLock
        Assert.Equal(1.0, gate.Measurements.Single(m => m.Name == "invariant weights-sum-to-one sum").Value, 9);
        Assert.Contains(gate.Findings, f => f.Code == "migration.unverified-content" && f.Severity == FindingSeverity.Info);
    }

    [Fact]
    public async Task Model_changes_without_a_migration_are_drift()
    {
        await using var db = ShopContext.Sqlite(ConnectionString);
        await db.Database.MigrateAsync(_ct);

        // The hand-written migrations carry no model snapshot, so EF Core itself says the model has pending changes.
        Assert.True(db.Database.HasPendingModelChanges());
        var gate = await EvaluateAsync(o => { o.Journal = MigrationJournal.EfCore; o.HasPendingModelChanges = db.Database.HasPendingModelChanges; });

        Assert.Equal(GateStatus.Failed, gate.Status);
        Assert.Equal("migration.model-drift", Assert.Single(gate.Findings, f => f.Severity == FindingSeverity.Error).Code);
    }

    [Fact]
    public async Task Fails_on_schema_drift_and_names_each_difference()
    {
        await using (var db = ShopContext.Sqlite(ConnectionString))
        {
            await db.Database.MigrateAsync(_ct);
        }

        var gate = await EvaluateAsync(o =>
        {
            o.Schema.MinimumTableCount = 55;
            o.Schema.RequireTables("users", "collections")
                .RequireColumn("users", "login_id", "INTEGER")
                .RequireColumn("users", "email", nullable: true)
                .RequireColumn("users", "display_name")
                .RequireIndex("users", ["email"], unique: true)
                .RequireIndex("templates", ["name"]);
        });

        Assert.Equal(GateStatus.Failed, gate.Status);
        Assert.Equal(GateStatus.Failed, gate.Measurements.Single(m => m.Name == "tables").Status);
        Assert.Equal(
            ["schema.column-missing", "schema.column-nullability", "schema.column-type", "schema.index-missing", "schema.index-missing", "schema.table-missing"],
            gate.Findings.Select(f => f.Code).Order());
        Assert.Contains(gate.Findings, f => f.Target == "collections");
        Assert.Contains(gate.Findings, f => f.Message == "Column 'users.login_id' is TEXT, expected INTEGER.");
    }

    [Fact]
    public async Task Shows_offending_rows_with_secret_looking_columns_redacted()
    {
        await using (var db = ShopContext.Sqlite(ConnectionString))
        {
            await db.Database.MigrateAsync(_ct);
            db.Users.AddRange(
                new User { Id = 1, LoginId = "ada", Email = "ada@example.org", PasswordHash = "pbkdf2$AAAA" },
                new User { Id = 2, LoginId = "bob", Email = "bob-at-example", PasswordHash = "pbkdf2$BBBB" },
                new User { Id = 3, LoginId = "cy", Email = "nobody", PasswordHash = "pbkdf2$CCCC" });
            await db.SaveChangesAsync(_ct);
        }

        var gate = await EvaluateAsync(o =>
        {
            o.Invariants.Add(DataInvariant.NoRows("emails-well-formed", "SELECT login_id, email, password_hash FROM users WHERE email NOT LIKE '%_@_%._%' ORDER BY id"));
            o.MaximumOffendingRows = 1;
        });

        Assert.Equal(GateStatus.Failed, gate.Status);
        var finding = Assert.Single(gate.Findings);
        Assert.Equal("data.invariant-violated", finding.Code);
        Assert.Equal("The invariant 'emails-well-formed' found 2 offending row(s): login_id=bob, email=bob-at-example, password_hash=***; …", finding.Message);
        Assert.Equal(2, gate.Measurements.Single().Value);
    }

    [Fact]
    public async Task Never_writes_an_invariant_that_tries_to_is_an_error_and_the_data_stays()
    {
        await using (var db = ShopContext.Sqlite(ConnectionString))
        {
            await db.Database.MigrateAsync(_ct);
        }

        var gate = await EvaluateAsync(o => o.Invariants.Add(DataInvariant.NoRows("sneaky", "DELETE FROM templates RETURNING id")));

        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.Contains("readonly", gate.Summary, StringComparison.OrdinalIgnoreCase);
        await using var check = ShopContext.Sqlite(ConnectionString);
        Assert.Equal(3, await check.Templates.CountAsync(_ct));

        // The pooled connection the application gets next is writable again.
        await using var pooled = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath }.ConnectionString);
        await pooled.OpenAsync(_ct);
        await using var insert = pooled.CreateCommand();
        insert.CommandText = "INSERT INTO templates (id, name, weight) VALUES (9, 'x', 0)";
        Assert.Equal(1, await insert.ExecuteNonQueryAsync(_ct));
    }

    [Fact]
    public async Task Flyway_history_with_flyways_own_checksums_passes_and_an_edited_script_fails()
    {
        var scripts = CopyFlywayScripts();
        await ExecuteAsync(FlywayHistoryTable);
        await ExecuteAsync(
            "INSERT INTO flyway_schema_history VALUES (1, '1.0.0', 'initial', 'SQL', 'V1.0.0__initial.sql', -654675478, 'root', '2021-03-25 03:39:30', 115, 1)",
            "INSERT INTO flyway_schema_history VALUES (2, '1.0.1', 'fix timestamp', 'SQL', 'V1.0.1__fix_timestamp.sql', 1860348842, 'root', '2021-04-01 10:00:00', 20, 1)",
            "INSERT INTO flyway_schema_history VALUES (3, '1.0.2', 'errlogging', 'SQL', 'V1.0.2__errlogging.sql', -1615027974, 'root', '2021-04-02 10:00:00', 31, 1)");

        var clean = await EvaluateAsync(o => { o.Journal = MigrationJournal.Flyway; o.MigrationsDirectory = scripts; });
        Assert.True(clean.Status == GateStatus.Passed, Describe(clean));
        Assert.Equal(3, clean.Measurements.Single(m => m.Name == "applied").Value);

        await File.AppendAllTextAsync(Path.Combine(scripts, "V1.0.1__fix_timestamp.sql"), "-- edited after release\n", _ct);
        var edited = await EvaluateAsync(o => { o.Journal = MigrationJournal.Flyway; o.MigrationsDirectory = scripts; });
        Assert.Equal(GateStatus.Failed, edited.Status);
        var mismatch = Assert.Single(edited.Findings, f => f.Severity == FindingSeverity.Error);
        Assert.Equal("migration.checksum-mismatch", mismatch.Code);
        Assert.StartsWith("Migration checksum mismatch for migration version 1.0.1: applied to database 1860348842, resolved locally ", mismatch.Message);
    }

    [Fact]
    public async Task Flyway_failed_and_pending_migrations_fail_the_gate()
    {
        var scripts = CopyFlywayScripts();
        await ExecuteAsync(FlywayHistoryTable);
        await ExecuteAsync(
            "INSERT INTO flyway_schema_history VALUES (1, '1.0.0', 'initial', 'SQL', 'V1.0.0__initial.sql', -654675478, 'root', '2021-03-25 03:39:30', 115, 1)",
            "INSERT INTO flyway_schema_history VALUES (2, '1.0.1', 'fix timestamp', 'SQL', 'V1.0.1__fix_timestamp.sql', 1860348842, 'root', '2021-04-01 10:00:00', 20, 0)");

        var gate = await EvaluateAsync(o => { o.Journal = MigrationJournal.Flyway; o.MigrationsDirectory = scripts; });

        Assert.Equal(GateStatus.Failed, gate.Status);
        Assert.Equal(["migration.failed", "migration.pending"], gate.Findings.Select(f => f.Code));
        Assert.Equal("Detected failed migration to version 1.0.1 (fix timestamp).", gate.Findings[0].Message);
        Assert.Equal("Detected resolved migration not applied to database: 1.0.2.", gate.Findings[1].Message);
    }

    [Fact]
    public async Task DbUp_journal_with_a_release_manifest_catches_a_script_edited_after_it_ran()
    {
        var scripts = Directory.CreateDirectory(Path.Combine(_folder, "scripts")).FullName;
        await File.WriteAllTextAsync(Path.Combine(scripts, "0001_create_users.sql"), "CREATE TABLE users (id INTEGER PRIMARY KEY, login_id TEXT NOT NULL);\r\n", _ct);
        await File.WriteAllTextAsync(Path.Combine(scripts, "0002_add_email.sql"), "ALTER TABLE users ADD COLUMN email TEXT;\n", _ct);
        await ExecuteAsync(
            "CREATE TABLE SchemaVersions (SchemaVersionsId INTEGER PRIMARY KEY, ScriptName TEXT NOT NULL, Applied TEXT NOT NULL)",
            "INSERT INTO SchemaVersions (ScriptName, Applied) VALUES ('0001_create_users.sql', '2026-11-01 10:00:00'), ('0002_add_email.sql', '2026-11-01 10:00:01')");
        var manifest = Path.Combine(_folder, "migrations.manifest.json");
        Assert.Equal(2, await MigrationManifest.WriteAsync(scripts, MigrationJournal.DbUp, manifest, _ct));

        void Configure(MigrationIntegrityGateOptions o)
        {
            o.Journal = MigrationJournal.DbUp;
            o.MigrationsDirectory = scripts;
            o.ManifestPath = manifest;
        }

        Assert.Equal(GateStatus.Passed, (await EvaluateAsync(Configure)).Status);

        // Line endings alone are not an edit; a changed statement is.
        await File.WriteAllTextAsync(Path.Combine(scripts, "0001_create_users.sql"), "CREATE TABLE users (id INTEGER PRIMARY KEY, login_id TEXT NOT NULL);\n", _ct);
        Assert.Equal(GateStatus.Passed, (await EvaluateAsync(Configure)).Status);
        await File.WriteAllTextAsync(Path.Combine(scripts, "0002_add_email.sql"), "ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';\n", _ct);
        var edited = await EvaluateAsync(Configure);
        Assert.Equal(GateStatus.Failed, edited.Status);
        var finding = Assert.Single(edited.Findings);
        Assert.Equal("migration.content-changed", finding.Code);
        Assert.Equal("0002_add_email.sql", finding.Target);
    }

    [Fact]
    public async Task Django_journal_lists_unapplied_migrations_per_app()
    {
        var project = Path.Combine(_folder, "django");
        foreach (var file in new[] { "shop/migrations/__init__.py", "shop/migrations/0001_initial.py", "shop/migrations/0002_user_email.py", "auth/migrations/0001_initial.py", "shop/models.py" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(project, file))!);
            await File.WriteAllTextAsync(Path.Combine(project, file), "# migration\n", _ct);
        }

        await ExecuteAsync(
            "CREATE TABLE django_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, app VARCHAR(255) NOT NULL, name VARCHAR(255) NOT NULL, applied DATETIME NOT NULL)",
            "INSERT INTO django_migrations (app, name, applied) VALUES ('auth', '0001_initial', '2026-11-01'), ('shop', '0001_initial', '2026-11-01')");

        var gate = await EvaluateAsync(o => { o.Journal = MigrationJournal.Django; o.MigrationsDirectory = project; });

        Assert.Equal(GateStatus.Failed, gate.Status);
        var pending = Assert.Single(gate.Findings, f => f.Severity == FindingSeverity.Error);
        Assert.Equal("Detected resolved migration not applied to database: shop.0002_user_email.", pending.Message);
    }

    [Fact]
    public async Task A_custom_journal_query_reads_identifiers_success_and_checksums()
    {
        var scripts = Directory.CreateDirectory(Path.Combine(_folder, "custom")).FullName;
        await File.WriteAllTextAsync(Path.Combine(scripts, "001-users.sql"), "CREATE TABLE users (id INTEGER);\n", _ct);
        await File.WriteAllTextAsync(Path.Combine(scripts, "002-orders.sql"), "CREATE TABLE orders (id INTEGER);\n", _ct);
        await File.WriteAllTextAsync(Path.Combine(scripts, "003-index.sql"), "CREATE INDEX ix ON orders (id);\n", _ct);
        await ExecuteAsync(
            "CREATE TABLE schema_log (seq INTEGER PRIMARY KEY, file TEXT, ok INTEGER, crc INTEGER)",
            // 001 ran with the checksum of a different text; 002 failed; 003 never ran.
            "INSERT INTO schema_log (file, ok, crc) VALUES ('001-users.sql', 1, 12345), ('002-orders.sql', 0, NULL)");

        var gate = await EvaluateAsync(o =>
        {
            o.Journal = MigrationJournal.Custom("SELECT file, ok AS success, crc AS checksum FROM schema_log ORDER BY seq", "schema_log");
            o.MigrationsDirectory = scripts;
        });

        Assert.Equal(GateStatus.Failed, gate.Status);
        Assert.Equal(["migration.failed", "migration.pending", "migration.checksum-mismatch"], gate.Findings.Where(f => f.Severity == FindingSeverity.Error).Select(f => f.Code));
        Assert.Equal("Detected resolved migration not applied to database: 003-index.sql.", gate.Findings.Single(f => f.Code == "migration.pending").Message);
    }

    [Fact]
    public async Task A_database_never_migrated_has_every_migration_pending_as_ef_core_says()
    {
        await ExecuteAsync("CREATE TABLE t (id INTEGER)");
        await using (var db = ShopContext.Sqlite(ConnectionString))
        {
            var efPending = (await db.Database.GetPendingMigrationsAsync(_ct)).ToList();
            var gate = await EvaluateAsync(o => { o.Journal = MigrationJournal.EfCore; o.MigrationsDirectory = EfMigrationsFolder; });

            Assert.Equal(GateStatus.Failed, gate.Status);
            Assert.Equal(efPending, gate.Findings.Where(f => f.Code == "migration.pending").Select(f => Path.GetFileNameWithoutExtension(f.Target!)));
            Assert.Equal(3, gate.Measurements.Single(m => m.Name == "pending").Value);
            Assert.Equal(0, gate.Measurements.Single(m => m.Name == "applied").Value);
            Assert.Contains(gate.Findings, f => f.Code == "migration.history-missing" && f.Message.Contains("'__EFMigrationsHistory' does not exist", StringComparison.Ordinal));
        }

        var noFolder = await EvaluateAsync(o => { o.Journal = MigrationJournal.Flyway; o.MigrationsDirectory = Path.Combine(_folder, "nope"); });
        Assert.Equal(GateStatus.Error, noFolder.Status);
        Assert.Equal($"The migrations folder '{Path.Combine(_folder, "nope")}' does not exist.", noFolder.Summary);
    }

    [Fact]
    public async Task A_missing_database_file_is_an_error_and_is_never_created()
    {
        var missing = Path.Combine(_folder, "never-created.db");
        var report = await ReleaseGate.CreateBuilder()
            .AddMigrationIntegrity("db", o =>
            {
                o.ConnectionFactory = () => new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = missing, Pooling = false }.ConnectionString);
                o.Journal = MigrationJournal.EfCore;
            })
            .EvaluateAsync(_ct);

        Assert.Equal(GateStatus.Error, report.Gates[0].Status);
        Assert.Contains("Could not connect to SQLite", report.Gates[0].Summary, StringComparison.Ordinal);
        Assert.False(File.Exists(missing));
    }

    [Fact]
    public async Task An_invariant_that_returns_null_fails_with_the_reason()
    {
        await using (var db = ShopContext.Sqlite(ConnectionString))
        {
            await db.Database.MigrateAsync(_ct);
            await db.Templates.ExecuteDeleteAsync(_ct);
        }

        var gate = await EvaluateAsync(o => o.Invariants.Add(DataInvariant.Scalar("weights", "SELECT SUM(weight) FROM templates", "sum between 0.999 and 1.001")));

        Assert.Equal(GateStatus.Failed, gate.Status);
        Assert.Equal("The invariant 'weights' returned NULL, not a number to hold to sum between 0.999 and 1.001.", Assert.Single(gate.Findings).Message);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    internal const string FlywayHistoryTable = """
        CREATE TABLE flyway_schema_history (
            installed_rank INT NOT NULL PRIMARY KEY, version VARCHAR(50), description VARCHAR(200) NOT NULL, type VARCHAR(20) NOT NULL,
            script VARCHAR(1000) NOT NULL, checksum INT, installed_by VARCHAR(100) NOT NULL, installed_on TIMESTAMP NOT NULL,
            execution_time INT NOT NULL, success BOOLEAN NOT NULL)
        """;

    internal static string Describe(GateReport gate) => $"{gate.Status}: {gate.Summary}\n" + string.Join("\n", gate.Findings.Select(f => $"{f.Severity} {f.Code}: {f.Message}"));

    private string CopyFlywayScripts()
    {
        var target = Directory.CreateDirectory(Path.Combine(_folder, "flyway")).FullName;
        foreach (var file in Directory.GetFiles(FlywayFixtures))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }

    private async Task ExecuteAsync(params string[] statements)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(_ct);
        foreach (var sql in statements)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(_ct);
        }
    }

    private async Task<GateReport> EvaluateAsync(Action<MigrationIntegrityGateOptions> configure)
    {
        var report = await ReleaseGate.CreateBuilder()
            .AddMigrationIntegrity("db", o =>
            {
                o.ConnectionFactory = () => new SqliteConnection(ConnectionString);
                configure(o);
            })
            .EvaluateAsync(_ct);
        return report.Gates.Single();
    }
}
