using Microsoft.Data.Sqlite;

namespace ReleaseGates.Samples.ConsoleHost;

/// <summary>
/// The app's SQLite database, migrated at start-up from the SQL scripts in data/migrations the way DbUp does it: scripts run
/// once each, in name order, recorded by name in SchemaVersions. Right after migrating, the "release" writes a content-hash
/// manifest so that a script edited later is caught.
/// </summary>
internal static class SampleDatabase
{
    public static async Task<int> MigrateAsync(string connectionString, string scriptsFolder, bool skipLast, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS SchemaVersions (SchemaVersionsId INTEGER PRIMARY KEY, ScriptName TEXT NOT NULL, Applied TEXT NOT NULL)", ct);
        var applied = new HashSet<string>(StringComparer.Ordinal);
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT ScriptName FROM SchemaVersions";
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                applied.Add(reader.GetString(0));
            }
        }

        var scripts = Directory.GetFiles(scriptsFolder, "*.sql").Order(StringComparer.Ordinal).ToList();
        if (skipLast)
        {
            scripts.RemoveAt(scripts.Count - 1);
        }

        var ran = 0;
        foreach (var script in scripts.Where(s => !applied.Contains(Path.GetFileName(s))))
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
            await ExecuteAsync(connection, await File.ReadAllTextAsync(script, ct), ct, transaction);
            await using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO SchemaVersions (ScriptName, Applied) VALUES ($name, $at)";
            record.Parameters.AddWithValue("$name", Path.GetFileName(script));
            record.Parameters.AddWithValue("$at", DateTime.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            await record.ExecuteNonQueryAsync(ct);
            await transaction.CommitAsync(ct);
            ran++;
        }

        return ran;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken ct, SqliteTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }
}
