using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using ReleaseGates.IntegrationTests.Support;
using ReleaseGates.Tests.Support;

namespace ReleaseGates.Cli.Tests;

/// <summary>
/// A pipeline gates its migrations with the tool alone: a migrationIntegrity gate in releasegates.json, the connection
/// string from the environment, against a real SQLite file and the real PostgreSQL server; the password is never printed.
/// </summary>
[Collection(PostgresDefinition.Name)]
public sealed class MigrationsThroughTheToolTests(PostgresServer server) : IDisposable
{
    private const string Schema = """
        CREATE TABLE "__EFMigrationsHistory" ("MigrationId" varchar(150) PRIMARY KEY, "ProductVersion" varchar(32) NOT NULL);
        INSERT INTO "__EFMigrationsHistory" VALUES ('20260101000000_CreateUsers', '10.0.0'), ('20260102000000_CreateOrders', '10.0.0');
        CREATE TABLE users (id integer PRIMARY KEY, login_id varchar(100) NOT NULL);
        CREATE UNIQUE INDEX ix_users_login ON users (login_id);
        INSERT INTO users VALUES (1, 'ada'), (2, 'grace');
        """;

    private readonly Fixtures.TempFolder _folder = Fixtures.CreateTempFolder();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    private void Config(string provider, params string[] expected) => _folder.Write("releasegates.json", $$"""
        {
          "subject": { "service": "orders", "version": "3.1.0" },
          "gates": {
            "migrations": {
              "type": "migrationIntegrity",
              "provider": "{{provider}}",
              "connectionString": "${ORDERS_DB}",
              "journal": "efCore",
              "expectedMigrations": [{{string.Join(", ", expected.Select(e => $"\"{e}\""))}}],
              "schema": { "tables": ["users"], "indexes": [{ "table": "users", "columns": ["login_id"], "unique": true }] },
              "invariants": [
                { "name": "unique-login", "sql": "SELECT login_id FROM users GROUP BY login_id HAVING COUNT(*) > 1" },
                { "name": "users", "sql": "SELECT COUNT(*) FROM users", "condition": "count >= 1" }
              ]
            }
          }
        }
        """);

    private static async Task CreateAsync(DbConnection connection, CancellationToken ct)
    {
        await using (connection)
        {
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = Schema;
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private Task<(int ExitCode, string Output, string Error)> EvaluateAsync(string connectionString) =>
        ReleaseGatesTool.RunAsync(_folder.Path, new Dictionary<string, string?> { ["ORDERS_DB"] = connectionString }, "evaluate", "--out", "reports");

    [Fact]
    public async Task Sqlite_migrations_pass_when_applied_and_fail_with_the_pending_one_named()
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder.Path, "orders.db"), Pooling = false }.ConnectionString;
        await CreateAsync(new SqliteConnection(connectionString), _ct);

        Config("sqlite", "20260101000000_CreateUsers", "20260102000000_CreateOrders");
        var (go, output, error) = await EvaluateAsync(connectionString);
        Assert.True(go == ReleaseExitCodes.Go, output + error);

        Config("sqlite", "20260101000000_CreateUsers", "20260102000000_CreateOrders", "20260103000000_AddRefunds");
        var (noGo, failed, _) = await EvaluateAsync(connectionString);
        Assert.Equal(ReleaseExitCodes.NoGo, noGo);
        Assert.Contains("20260103000000_AddRefunds", failed, StringComparison.Ordinal);
        var report = ReleaseReport.FromJson(File.ReadAllText(Path.Combine(_folder.Path, "reports", "report.json")));
        Assert.Equal(1, report.Gates.Single().Measurements.Single(m => m.Name == "pending").Value);
    }

    [Fact]
    public async Task Postgresql_migrations_pass_and_the_password_never_reaches_the_output_or_the_reports()
    {
        var connectionString = await server.CreateDatabaseAsync("toolmig");
        await CreateAsync(new NpgsqlConnection(connectionString), _ct);
        Config("postgresql", "20260101000000_CreateUsers", "20260102000000_CreateOrders");

        var (go, output, error) = await EvaluateAsync(connectionString);
        Assert.True(go == ReleaseExitCodes.Go, output + error);
        Assert.Contains("PostgreSQL 127.0.0.1:", output, StringComparison.Ordinal);

        // A wrong password: the gate cannot evaluate (never a pass), and neither password is printed or written.
        var wrong = new NpgsqlConnectionStringBuilder(connectionString) { Password = "wrong-Secret-93b1" }.ConnectionString;
        var (exit, refused, refusedError) = await EvaluateAsync(wrong);
        Assert.NotEqual(ReleaseExitCodes.Go, exit);
        var written = string.Concat(Directory.EnumerateFiles(Path.Combine(_folder.Path, "reports")).Select(File.ReadAllText));
        foreach (var text in new[] { output, error, refused, refusedError, written })
        {
            Assert.DoesNotContain(server.AdminPassword, text, StringComparison.Ordinal);
            Assert.DoesNotContain("wrong-Secret-93b1", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Validate_refuses_a_provider_the_tool_does_not_include_naming_the_field()
    {
        Config("sqlserver", "20260101000000_CreateUsers");

        var (exit, _, error) = await ReleaseGatesTool.RunAsync(
            _folder.Path, new Dictionary<string, string?> { ["ORDERS_DB"] = "Server=db;Password=Sql-Secret-55aa" }, "validate");

        Assert.Equal(ReleaseExitCodes.InvalidConfiguration, exit);
        Assert.Contains("releasegates.json:6:19: gates.migrations.provider: the sqlserver provider (Microsoft.Data.SqlClient) is not available", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Sql-Secret-55aa", error, StringComparison.Ordinal);
    }
}
