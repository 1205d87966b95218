using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ReleaseGates;

/// <summary>Finds local migrations the way each tool names them.</summary>
internal static partial class LocalMigrations
{
    /// <summary>Reads the migrations under <paramref name="directory"/> (recursively); files that do not follow the tool's naming are reported as information.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static List<LocalMigration> FromDirectory(string directory, MigrationJournalKind kind, ICollection<Finding> findings)
    {
        var root = Path.GetFullPath(directory);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"The migrations folder '{root}' does not exist.");
        }

        var (pattern, read) = kind switch
        {
            MigrationJournalKind.EfCore => ("*.cs", (Func<string, string, LocalMigration?>)EfCore),
            MigrationJournalKind.Django => ("*.py", Django),
            MigrationJournalKind.Flyway => ("*.sql", Flyway),
            _ => ("*.sql", (file, relative) => Plain(Path.GetFileName(file), relative)),
        };

        var result = new List<LocalMigration>();
        foreach (var file in Directory.EnumerateFiles(root, pattern, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            LocalMigration? migration;
            try
            {
                migration = read(file, relative);
            }
            catch (IOException ex)
            {
                throw new IOException($"Could not read the migration '{file}': {ex.Message}", ex);
            }

            if (migration is null)
            {
                if (!IsKnownNonMigration(kind, relative))
                {
                    findings.Add(new Finding(MigrationIntegrityGateConstants.MigrationUnrecognisedFile, FindingSeverity.Info,
                        $"'{relative}' does not follow {kind}'s naming and is not a migration.") { Target = relative });
                }

                continue;
            }

            IO.SafeFile.EnsureRegularFile(file);
            var text = File.ReadAllText(file, Encoding.UTF8);
            result.Add(migration with
            {
                Checksum = kind is MigrationJournalKind.EfCore or MigrationJournalKind.Django ? null : FlywayChecksum.Compute(text),
                ContentHash = ContentHash(text),
            });
        }

        return result;
    }

    /// <summary>Local migrations from identifiers the caller listed (no file contents, so no checksums).</summary>
    public static List<LocalMigration> FromList(IEnumerable<string> ids, MigrationJournalKind kind, ICollection<Finding> findings)
    {
        var result = new List<LocalMigration>();
        foreach (var id in ids)
        {
            if (string.IsNullOrWhiteSpace(id))
            {
                continue;
            }

            var migration = kind == MigrationJournalKind.Flyway ? ParseFlywayName(id.Trim(), id.Trim()) : Plain(id.Trim(), id.Trim());
            if (migration is null)
            {
                findings.Add(new Finding(MigrationIntegrityGateConstants.MigrationUnrecognisedFile, FindingSeverity.Info,
                    $"'{id}' does not follow Flyway's naming (V<version>__<description>.sql or R__<description>.sql).") { Target = id });
                continue;
            }

            result.Add(migration);
        }

        return result;
    }

    /// <summary>SHA-256 (lower-case hex) of the text with a byte-order mark dropped and line endings normalised to <c>\n</c>, so a checkout with CRLF hashes the same.</summary>
    public static string ContentHash(string text)
    {
        if (text.StartsWith('\uFEFF'))
        {
            text = text[1..];
        }

        var normalised = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(normalised));
#if NET9_0_OR_GREATER
        return Convert.ToHexStringLower(hash);
#else
        return string.Concat(hash.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
#endif
    }

    /// <summary>Parses Flyway's <c>V&lt;version&gt;__&lt;description&gt;.sql</c> or <c>R__&lt;description&gt;.sql</c>; other prefixes (U, B) and names are not versioned or repeatable migrations.</summary>
    public static LocalMigration? ParseFlywayName(string fileName, string relative)
    {
        if (!fileName.EndsWith(".sql", StringComparison.OrdinalIgnoreCase) || fileName.Length < 4)
        {
            return null;
        }

        var stem = fileName[..^4];
        var separator = stem.IndexOf("__", 1, StringComparison.Ordinal);
        if (separator < 0)
        {
            return null;
        }

        var description = stem[(separator + 2)..].Replace('_', ' ');
        switch (stem[0])
        {
            case 'R' when separator == 1:
                return new LocalMigration(description, null, description, relative) { IsRepeatable = true };
            case 'V' when MigrationVersion.TryParse(stem[1..separator], out var version):
                return new LocalMigration(version!.Text, version, description, relative);
            default:
                return null;
        }
    }

    private static LocalMigration? Flyway(string file, string relative) => ParseFlywayName(Path.GetFileName(file), relative);

    private static LocalMigration? EfCore(string file, string relative)
    {
        var name = Path.GetFileName(file);
        if (name.EndsWith(".Designer.cs", StringComparison.OrdinalIgnoreCase) || !EfCoreName().IsMatch(name))
        {
            return null;
        }

        var id = name[..^3];
        return new LocalMigration(id, null, id, relative);
    }

    private static LocalMigration? Django(string file, string relative)
    {
        var parts = relative.Split('/');
        if (parts.Length < 3 || parts[^2] != "migrations" || !DjangoName().IsMatch(parts[^1]))
        {
            return null;
        }

        var id = $"{parts[^3]}.{parts[^1][..^3]}";
        return new LocalMigration(id, null, id, relative);
    }

    private static LocalMigration Plain(string id, string relative) => new(id, null, id, relative);

    private static bool IsKnownNonMigration(MigrationJournalKind kind, string relative) => kind switch
    {
        MigrationJournalKind.EfCore => relative.EndsWith(".Designer.cs",
            StringComparison.OrdinalIgnoreCase) || relative.EndsWith("ModelSnapshot.cs", StringComparison.Ordinal),
        MigrationJournalKind.Django => relative.EndsWith("__init__.py", StringComparison.Ordinal) || !relative.Contains("/migrations/",
            StringComparison.Ordinal),
        _ => false,
    };

    [GeneratedRegex(@"^\d{14}_\w+\.cs$")]
    private static partial Regex EfCoreName();

    [GeneratedRegex(@"^\d{4}_\w+\.py$")]
    private static partial Regex DjangoName();
}
