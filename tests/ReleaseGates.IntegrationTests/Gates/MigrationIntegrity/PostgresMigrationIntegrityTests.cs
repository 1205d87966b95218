using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using ReleaseGates.IntegrationTests.Gates.MigrationIntegrity.EfCore;
using ReleaseGates.IntegrationTests.Support;
using ReleaseGates.Tests.Support;

namespace ReleaseGates.IntegrationTests.Gates.MigrationIntegrity;

/// <summary>The migration-integrity gate against a real PostgreSQL 15 server (see <see cref="PostgresServer"/>).</summary>
[Collection(PostgresDefinition.Name)]
public sealed class PostgresMigrationIntegrityTests(PostgresServer server)
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pending_ef_core_migrations_equal_ef_cores_own_GetPendingMigrations()
    {
        var cs = await server.CreateDatabaseAsync("efpending");
        await using var db = ShopContext.Postgres(cs);
        await db.GetService<IMigrator>().MigrateAsync("20260102000000_CreateTemplates", _ct);
        var efPending = (await db.Database.GetPendingMigrationsAsync(_ct)).ToList();

        var gate = await EvaluateAsync(cs, o => { o.Journal = MigrationJournal.EfCore; o.ExpectedMigrations = db.Database.GetMigrations().ToList(); });

        Assert.Equal(["20260103000000_SeedTemplates"], efPending);
        Assert.Equal(GateStatus.Failed, gate.Status);
        Assert.Equal(efPending, gate.Findings.Where(f => f.Code == "migration.pending").Select(f => f.Target));
    }

    [Fact]
    public async Task Passes_on_a_migrated_database_with_schema_and_invariants_read_from_pg_catalog()
    {
        var cs = await server.CreateDatabaseAsync("efok");
        await using (var db = ShopContext.Postgres(cs))
        {
            await db.Database.MigrateAsync(_ct);
        }

        var gate = await EvaluateAsync(cs, o =>
        {
            o.Journal = MigrationJournal.EfCore;
            o.MigrationsDirectory = Path.Combine(Repository.Root, "tests/ReleaseGates.IntegrationTests/Gates/MigrationIntegrity/EfCore/Migrations");
            o.Schema.MinimumTableCount = 3;
            o.Schema.RequireTables("users", "templates")
                .RequireColumn("users", "login_id", "text", nullable: false)
                .RequireColumn("users", "id", "int4", nullable: false)
                .RequireColumn("templates", "weight", "double precision")
                .RequireIndex("users", ["login_id"], unique: true);
            o.Invariants.Add(DataInvariant.NoRows("unique-login", "SELECT login_id FROM users GROUP BY login_id HAVING COUNT(*) > 1"));
            o.Invariants.Add(DataInvariant.Scalar("weights", "SELECT SUM(weight) FROM templates", "sum between 0.999 and 1.001"));
        });

        Assert.True(gate.Status == GateStatus.Passed, SqliteMigrationIntegrityTests.Describe(gate));
        Assert.StartsWith("PostgreSQL 127.0.0.1:", gate.Summary);
    }

    [Fact]
    public async Task Flyway_history_on_postgres_is_validated_with_flyways_checksums()
    {
        var cs = await server.CreateDatabaseAsync("flyway");
        await ExecuteAsync(cs,
            SqliteMigrationIntegrityTests.FlywayHistoryTable.Replace("INT NOT NULL PRIMARY KEY", "INTEGER NOT NULL PRIMARY KEY", StringComparison.Ordinal),
            "INSERT INTO flyway_schema_history VALUES (1, '1.0.0', 'initial', 'SQL', 'V1.0.0__initial.sql', -654675478, 'root', now(), 115, true)",
            "INSERT INTO flyway_schema_history VALUES (2, '1.0.2', 'errlogging', 'SQL', 'V1.0.2__errlogging.sql', -1615027974, 'root', now(), 31, true)");

        var scripts = Path.Combine(Repository.Root, "tests/ReleaseGates.Tests/Gates/MigrationIntegrity/Fixtures/flyway-skyweather");
        var strict = await EvaluateAsync(cs, o => { o.Journal = MigrationJournal.Flyway; o.MigrationsDirectory = scripts; });
        var outOfOrder = await EvaluateAsync(cs, o => { o.Journal = MigrationJournal.Flyway; o.MigrationsDirectory = scripts; o.OutOfOrder = true; });

        // 1.0.1 is older than the applied 1.0.2: Flyway calls it ignored, or pending with outOfOrder.
        Assert.Equal("migration.ignored", Assert.Single(strict.Findings).Code);
        Assert.Equal("migration.pending", Assert.Single(outOfOrder.Findings).Code);
        Assert.Equal(GateStatus.Failed, strict.Status);
    }

    [Fact]
    public async Task Reads_a_history_table_in_another_schema()
    {
        var cs = await server.CreateDatabaseAsync("schema");
        await ExecuteAsync(cs,
            "CREATE SCHEMA ops",
            SqliteMigrationIntegrityTests.FlywayHistoryTable.Replace("CREATE TABLE flyway_schema_history", "CREATE TABLE ops.flyway_schema_history", StringComparison.Ordinal),
            "INSERT INTO ops.flyway_schema_history VALUES (1, '1.0.0', 'initial', 'SQL', 'V1.0.0__initial.sql', -654675478, 'root', now(), 115, true)");

        var inPublic = await EvaluateAsync(cs, o => o.Journal = MigrationJournal.Flyway);
        var inOps = await EvaluateAsync(cs, o => o.Journal = MigrationJournal.Flyway.WithTable("flyway_schema_history", "ops"));

        // In the default schema there is no history: nothing applied, as flyway info would say of public.
        Assert.Equal(GateStatus.Failed, inPublic.Status);
        Assert.Contains(inPublic.Findings, f => f.Code == "migration.history-missing");
        Assert.Equal(GateStatus.Passed, inOps.Status);
        Assert.Equal(1, inOps.Measurements.Single(m => m.Name == "applied").Value);
    }

    [Fact]
    public async Task Runs_in_a_read_only_transaction_so_a_writing_invariant_is_an_error_and_changes_nothing()
    {
        var cs = await server.CreateDatabaseAsync("readonly");
        await using (var db = ShopContext.Postgres(cs))
        {
            await db.Database.MigrateAsync(_ct);
        }

        var gate = await EvaluateAsync(cs, o => o.Invariants.Add(DataInvariant.NoRows("sneaky", "DELETE FROM templates RETURNING id")));

        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.Contains("read-only transaction", gate.Summary, StringComparison.Ordinal);
        await using var check = ShopContext.Postgres(cs);
        Assert.Equal(3, await check.Templates.CountAsync(_ct));
    }

    [Fact]
    public async Task A_statement_that_runs_too_long_is_stopped_by_the_statement_timeout()
    {
        var cs = await server.CreateDatabaseAsync("timeout");
        var gate = await EvaluateAsync(cs, o =>
        {
            o.StatementTimeout = TimeSpan.FromMilliseconds(300);
            o.Invariants.Add(DataInvariant.NoRows("slow", "SELECT pg_sleep(60)"));
        });

        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.Contains("statement timeout", gate.Summary, StringComparison.Ordinal);
        // The server's own message says the statement timeout stopped it; the bound only shows it was not the minute-long sleep.
        Assert.True(gate.Duration < TimeSpan.FromSeconds(30), gate.Duration.ToString());
    }

    [Fact]
    public async Task Wrong_credentials_and_unreachable_servers_are_errors_that_never_show_the_password()
    {
        server.RequireServer();
        var wrong = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Password = "Wrong-Pa55word-xyz" }.ConnectionString;
        var unreachable = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Port = Ports.Free(), Timeout = 3 }.ConnectionString;

        var report = await ReleaseGate.CreateBuilder()
            .AddMigrationIntegrity("wrong-password", o => { o.ConnectionFactory = () => new NpgsqlConnection(wrong); o.Journal = MigrationJournal.EfCore; })
            .AddMigrationIntegrity("unreachable", o => { o.ConnectionFactory = () => new NpgsqlConnection(unreachable); o.Journal = MigrationJournal.EfCore; })
            .EvaluateAsync(_ct);

        var badPassword = report.FindGate("wrong-password")!;
        Assert.Equal(GateStatus.Error, badPassword.Status);
        Assert.Contains("password authentication failed", badPassword.Summary, StringComparison.Ordinal);
        Assert.Equal(GateStatus.Error, report.FindGate("unreachable")!.Status);
        Assert.StartsWith("Could not connect to PostgreSQL 127.0.0.1:", report.FindGate("unreachable")!.Summary);

        using var json = new MemoryStream();
        await report.WriteJsonAsync(json, _ct);
        var everything = Encoding.UTF8.GetString(json.ToArray()) + report.ToMarkdown() + report.ToJUnitXml();
        Assert.DoesNotContain("Wrong-Pa55word-xyz", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(server.AdminPassword, everything, StringComparison.Ordinal);
    }

    private async Task ExecuteAsync(string cs, params string[] statements)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync(_ct);
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync(_ct);
        }
    }

    private async Task<GateReport> EvaluateAsync(string cs, Action<MigrationIntegrityGateOptions> configure)
    {
        var report = await ReleaseGate.CreateBuilder()
            .AddMigrationIntegrity("db", o =>
            {
                o.ConnectionFactory = () => new NpgsqlConnection(cs);
                configure(o);
            })
            .EvaluateAsync(_ct);
        return report.Gates.Single();
    }
}
