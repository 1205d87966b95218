using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ReleaseGates.IntegrationTests.Gates.MigrationIntegrity.EfCore;
using ReleaseGates.Tests.Support;

namespace ReleaseGates.IntegrationTests.Gates.MigrationIntegrity;

/// <summary>
/// The migration-integrity gate from releasegates.json against a real SQLite file: the same verdict as the gate built in
/// C#, the connection string read from the environment and never repeated, and every mistake placed at its line.
/// </summary>
public sealed class MigrationIntegrityGateKindTests : IDisposable
{
    private static readonly string EfMigrationsFolder = Path.Combine(Repository.Root, "tests/ReleaseGates.IntegrationTests/Gates/MigrationIntegrity/EfCore/Migrations");
    private readonly string _folder = Directory.CreateTempSubdirectory("releasegates-migrations-file-").FullName;
    private readonly string _variable = "RG_TEST_DB_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public MigrationIntegrityGateKindTests() =>
        Environment.SetEnvironmentVariable(_variable, new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ConnectionString);

    private string DatabasePath => Path.Combine(_folder, "app.db");

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(_variable, null);
        Directory.Delete(_folder, recursive: true);
    }

    private string Write(string properties)
    {
        var path = Path.Combine(_folder, "releasegates.json");
        File.WriteAllText(path, $$"""
            {
              "gates": {
                "db": {
                  "type": "migrationIntegrity",
            {{properties}}
                }
              }
            }
            """);
        return path;
    }

    [Fact]
    public async Task Judges_a_migrated_database_from_the_file_as_the_same_gate_built_in_csharp_does()
    {
        await using (var db = ShopContext.Sqlite(Environment.GetEnvironmentVariable(_variable)!))
        {
            await db.Database.MigrateAsync(_ct);
        }

        Directory.CreateDirectory(Path.Combine(_folder, "migrations"));
        foreach (var file in Directory.EnumerateFiles(EfMigrationsFolder))
        {
            File.Copy(file, Path.Combine(_folder, "migrations", Path.GetFileName(file)));
        }

        var path = Write($$"""
                  "provider": "sqlite",
                  "connectionString": "${{{_variable}}}",
                  "journal": "efCore",
                  "migrationsDirectory": "migrations",
                  "schema": {
                    "minimumTableCount": 3,
                    "tables": ["users", "templates"],
                    "columns": [{ "table": "users", "column": "login_id", "type": "TEXT", "nullable": false }],
                    "indexes": [{ "table": "users", "columns": ["login_id"], "unique": true }]
                  },
                  "invariants": [
                    { "name": "unique-login", "sql": "SELECT login_id, COUNT(*) FROM users GROUP BY login_id HAVING COUNT(*) > 1" },
                    { "name": "weights-sum-to-one", "sql": "SELECT SUM(weight) FROM templates", "condition": "sum between 0.999 and 1.001" }
                  ]
            """);

        var fromFile = (await ReleaseGate.CreateBuilder().AddFromJsonFile(path).EvaluateAsync(_ct)).Gates.Single();
        var inCode = (await ReleaseGate.CreateBuilder().AddMigrationIntegrity("db", o =>
        {
            o.ConnectionFactory = () => new SqliteConnection(Environment.GetEnvironmentVariable(_variable));
            o.Journal = MigrationJournal.EfCore;
            o.MigrationsDirectory = Path.Combine(_folder, "migrations");
            o.Schema.MinimumTableCount = 3;
            o.Schema.RequireTables("users", "templates").RequireColumn("users", "login_id", "TEXT", nullable: false).RequireIndex("users", ["login_id"], unique: true);
            o.Invariants.Add(DataInvariant.NoRows("unique-login", "SELECT login_id, COUNT(*) FROM users GROUP BY login_id HAVING COUNT(*) > 1"));
            o.Invariants.Add(DataInvariant.Scalar("weights-sum-to-one", "SELECT SUM(weight) FROM templates", "sum between 0.999 and 1.001"));
        }).EvaluateAsync(_ct)).Gates.Single();

        Assert.True(fromFile.Status == GateStatus.Passed, SqliteMigrationIntegrityTests.Describe(fromFile));
        Assert.Equal(inCode.Measurements.Select(m => (m.Name, m.Value, m.Status)), fromFile.Measurements.Select(m => (m.Name, m.Value, m.Status)));
        Assert.Equal(inCode.Findings.Select(f => (f.Code, f.Target)), fromFile.Findings.Select(f => (f.Code, f.Target)));
    }

    [Fact]
    public async Task Fails_on_a_pending_migration_named_in_the_file()
    {
        await using (var db = ShopContext.Sqlite(Environment.GetEnvironmentVariable(_variable)!))
        {
            await db.Database.MigrateAsync(_ct);
        }

        var path = Write($$"""
                  "provider": "sqlite",
                  "connectionString": "${{{_variable}}}",
                  "journal": { "kind": "efCore", "table": "__EFMigrationsHistory" },
                  "expectedMigrations": ["20260101000000_CreateUsers", "20260102000000_CreateTemplates", "20260103000000_SeedTemplates", "20260104000000_AddOrders"]
            """);

        var gate = (await ReleaseGate.CreateBuilder().AddFromJsonFile(path).EvaluateAsync(_ct)).Gates.Single();

        Assert.Equal(GateStatus.Failed, gate.Status);
        Assert.Equal(["20260104000000_AddOrders"], gate.Findings.Where(f => f.Code == "migration.pending").Select(f => f.Target));
    }

    [Fact]
    public void Places_each_mistake_at_its_line_and_never_repeats_the_connection_string()
    {
        var path = Write($$"""
                  "provider": "oracle",
                  "connectionString": "${{{_variable}}}",
                  "journal": "liquibase",
                  "schema": { "tables": ["users"], "views": [] },
                  "invariants": [{ "name": "broken", "sql": "SELECT 1", "condition": "one is one" }, { "sql": "SELECT 1" }]
            """);

        var e = Assert.Throws<ReleaseGatesConfigurationException>(() => ReleaseGate.CreateBuilder().AddFromJsonFile(path));

        Assert.Collection(
            e.Problems,
            p => Assert.Equal($"{path}:5:19: gates.db.provider: unknown provider 'oracle'; expected one of sqlite, postgresql, sqlserver.", p),
            p => Assert.StartsWith($"{path}:7:18: gates.db.journal: unknown journal 'liquibase'; expected one of efCore, flyway, dbUp, django", p, StringComparison.Ordinal),
            p => Assert.StartsWith($"{path}:8:40: gates.db.schema.views: unknown property 'views'", p, StringComparison.Ordinal),
            p => Assert.StartsWith($"{path}:9:22: gates.db.invariants[0]: the condition 'one is one' is not a condition", p, StringComparison.Ordinal),
            p => Assert.StartsWith($"{path}:9:90: gates.db.invariants[1]: an invariant needs a name and its sql", p, StringComparison.Ordinal));
        Assert.DoesNotContain(e.Problems, p => p.Contains(DatabasePath, StringComparison.Ordinal));
    }

    [Fact]
    public void Requires_a_connection_string_and_a_provider()
    {
        var path = Write("""
                  "journal": "flyway"
            """);

        var e = Assert.Throws<ReleaseGatesConfigurationException>(() => ReleaseGate.CreateBuilder().AddFromJsonFile(path));

        Assert.Equal([$"{path}:3:11: gates.db: set \"connectionString\" (for example \"${{DATABASE_URL}}\") and \"provider\" (sqlite, postgresql, sqlserver)."], e.Problems);
    }
}
