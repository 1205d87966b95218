using System.Text.Json;

namespace ReleaseGates;

/// <summary>
/// A content-hash manifest of local migrations, for journals that record no checksum (EF Core, DbUp, Django). Write it
/// when you release (after the migrations ran); the migration-integrity gate later checks that every applied migration's
/// file still hashes to the recorded value, so editing an applied migration is caught. The hash is SHA-256 over the
/// file's text with line endings normalised, so a CRLF checkout does not count as an edit.
/// </summary>
public static class MigrationManifest
{
    /// <summary>Writes the manifest of the migrations in <paramref name="migrationsDirectory"/>.</summary>
    /// <param name="migrationsDirectory">The folder of local migrations (searched recursively).</param>
    /// <param name="journal">The journal whose naming identifies migrations.</param>
    /// <param name="manifestPath">The JSON file to write.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The number of migrations recorded.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static async Task<int> WriteAsync(string migrationsDirectory, MigrationJournal journal, string manifestPath,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(migrationsDirectory);
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentException.ThrowIfNullOrWhiteSpace(manifestPath);
        var migrations = LocalMigrations.FromDirectory(migrationsDirectory, journal.Kind, new List<Finding>());
        var stream = new FileStream(manifestPath, FileMode.Create, FileAccess.Write, FileShare.None, 4096, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            await using (writer.ConfigureAwait(false))
            {
                writer.WriteStartObject();
                writer.WriteNumber("schemaVersion", 1);
                writer.WriteString("journal", journal.Kind.ToString());
                writer.WriteStartArray("migrations");
                foreach (var m in migrations)
                {
                    writer.WriteStartObject();
                    writer.WriteString("id", m.Id);
                    writer.WriteString("script", m.Script);
                    writer.WriteString("sha256", m.ContentHash);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return migrations.Count;
    }

    /// <summary>Reads a manifest: identifier → SHA-256.</summary>
    /// <exception cref="InvalidDataException">The file is not a manifest; the message names the file and what was expected.</exception>
    internal static async Task<Dictionary<string, string>> ReadAsync(string manifestPath, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await IO.SafeFile.ReadAllBytesAsync(manifestPath, MaxBytes, cancellationToken).ConfigureAwait(false);
            using var document = IO.JsonFile.Parse(bytes, manifestPath);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("migrations",
                out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{manifestPath}: expected an object with a \"migrations\" array, as MigrationManifest.WriteAsync writes.");
            }

            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var entry in list.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object
                    || !entry.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String
                    || !entry.TryGetProperty("sha256", out var hash) || hash.ValueKind != JsonValueKind.String)
                {
                    throw new InvalidDataException($"{manifestPath}: migrations[{index}] needs string fields \"id\" and \"sha256\".");
                }

                var key = IO.JsonFile.String(id, $"migrations[{index}].id", manifestPath);

                // Two hashes for one migration cannot both be the truth: keeping either would hide an edit.
                if (!result.TryAdd(key, IO.JsonFile.String(hash, $"migrations[{index}].sha256", manifestPath)))
                {
                    throw new InvalidDataException($"{manifestPath}: migrations[{index}] repeats the id '{key}'; each migration is listed once.");
                }

                index++;
            }

            return result;
        }
        catch (IO.ReportFormatException ex)
        {
            throw new InvalidDataException(ex.Message, ex);
        }
    }

    /// <summary>The largest manifest read.</summary>
    internal const long MaxBytes = 16 << 20;
}
