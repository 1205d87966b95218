using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ReleaseGates;

/// <summary>Checks the applied migration history, the live schema and data invariants of a database, read-only.</summary>
internal sealed partial class MigrationIntegrityGate(MigrationIntegrityGateOptions options) : IReleaseGate
{
    private const int MaxValueLength = 64;
    private const int MaxCountedRows = 10_000;

    public async ValueTask<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        var findings = new List<Finding>();
        var measurements = new List<Measurement>();
        var journal = options.Journal;

        List<LocalMigration>? locals = null;
        Dictionary<string, string>? manifest = null;
        try
        {
            if (journal is not null && options.MigrationsDirectory is { } directory)
            {
                locals = LocalMigrations.FromDirectory(directory, journal.Kind, findings);
            }
            else if (journal is not null && options.ExpectedMigrations is { } expected)
            {
                locals = LocalMigrations.FromList(expected, journal.Kind, findings);
            }

            if (options.ManifestPath is { } manifestPath)
            {
                if (!File.Exists(manifestPath))
                {
                    return GateResult.Error($"The migration manifest '{Path.GetFullPath(manifestPath)}' does not exist: write it with MigrationManifest.WriteAsync when you release.");
                }

                manifest = await MigrationManifest.ReadAsync(manifestPath, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or IO.ReportFormatException)
        {
            return GateResult.Error(ex.Message);
        }

        DatabaseSession session;
        try
        {
            session = await DatabaseSession.OpenAsync(options.ConnectionFactory!, options.Dialect, options.StatementTimeout,
                cancellationToken).ConfigureAwait(false);
        }
        catch (DatabaseUnavailableException ex)
        {
            return GateResult.Error(ex.Message);
        }

        await using (session.ConfigureAwait(false))
        {
            var step = "reading the migration history";
            try
            {
                if (journal is not null)
                {
                    var table = await session.FindTableAsync(journal.Table, journal.Schema, cancellationToken).ConfigureAwait(false);

                    // No history table means nothing was applied yet: every expected migration is pending, as EF Core's
                    // GetPendingMigrations and flyway info say. Failed, not Error: the database was read.
                    List<AppliedMigration> applied = [];
                    if (table is null)
                    {
                        findings.Add(new Finding(MigrationIntegrityGateConstants.MigrationHistoryMissing, FindingSeverity.Error,
                            $"The {journal.Kind} history table '{journal.Table}' does not exist in {session.Target}: no migration was applied (or Journal names the wrong table).") { Target = journal.Table });
                    }
                    else
                    {
                        applied = await ReadHistoryAsync(session, journal, table, cancellationToken).ConfigureAwait(false);
                    }

                    var validation = MigrationValidator.Validate(locals, applied, journal.Kind, options);
                    findings.AddRange(validation.Findings);
                    measurements.Add(new Measurement("applied", validation.Applied, MetricUnit.Count) { Target = journal.ToString() });
                    measurements.Add(new Measurement("failed", validation.Failed, MetricUnit.Count));
                    if (locals is not null)
                    {
                        measurements.Add(new Measurement("local", locals.Count,
                            MetricUnit.Count) { Target = options.MigrationsDirectory ?? "ExpectedMigrations" });
                        measurements.Add(new Measurement("pending", validation.Pending.Count,
                            MetricUnit.Count) { Target = validation.Pending.Count == 0 ? null : string.Join(", ", validation.Pending) });
                        measurements.Add(new Measurement("missing", validation.Missing, MetricUnit.Count));
                        measurements.Add(new Measurement("mismatched", validation.Mismatched, MetricUnit.Count));
                    }

                    if (manifest is not null && locals is not null)
                    {
                        CheckManifest(manifest, locals, applied, findings);
                    }
                    else if (locals is not null && journal.Kind is not MigrationJournalKind.Flyway && !applied.Any(a => a.Checksum is not null))
                    {
                        findings.Add(new Finding(MigrationIntegrityGateConstants.MigrationUnverifiedContent, FindingSeverity.Info,
                            $"{journal.Kind} records no checksum, so an edit to an applied migration cannot be seen: write a manifest with MigrationManifest.WriteAsync at release and set ManifestPath."));
                    }
                }

                if (options.HasPendingModelChanges is { } drift && drift())
                {
                    findings.Add(new Finding(MigrationIntegrityGateConstants.MigrationModelDrift, FindingSeverity.Error,
                        "The model has changes that no migration captures: add a migration (dotnet ef migrations add …) and release it."));
                }

                step = "reading the schema";
                if (!options.Schema.IsEmpty)
                {
                    await CheckSchemaAsync(session, measurements, findings, cancellationToken).ConfigureAwait(false);
                }

                foreach (var invariant in options.Invariants)
                {
                    step = $"running the invariant '{invariant.Name}'";
                    await CheckInvariantAsync(session, invariant, measurements, findings, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (DbException ex)
            {
                return new GateResult(GateStatus.Error, $"{session.Target}: failed while {step}: {session.Scrub(ex.Message)}", measurements, findings);
            }

            var problems = findings.Count(f => f.Severity != FindingSeverity.Info);
            var summary = new StringBuilder(session.Target);
            foreach (var m in measurements.Where(m => m.Condition is null && m.Unit == MetricUnit.Count))
            {
                summary.Append(CultureInfo.InvariantCulture, $", {m.Name} {m.Value}");
            }

            summary.Append(problems == 0 ? "; no problems" : $"; {problems} problem(s)");
            return GateResult.FromEvidence(summary.ToString(), measurements, findings);
        }
    }

    private static async Task<List<AppliedMigration>> ReadHistoryAsync(DatabaseSession session, MigrationJournal journal, string table,
        CancellationToken cancellationToken)
    {
        var from = journal.Schema is null ? DatabaseSession.Quote(table) : $"{DatabaseSession.Quote(journal.Schema)}.{DatabaseSession.Quote(table)}";
        switch (journal.Kind)
        {
            case MigrationJournalKind.Flyway:
                return await session.QueryAsync(
                    $"SELECT installed_rank, version, description, type, script, checksum, success FROM {from} ORDER BY installed_rank",
                    r =>
                    {
                        var versionText = r.IsDBNull(1) ? null : r.GetValue(1).ToString();
                        var version = MigrationVersion.ParseOrNull(versionText);
                        var type = r.GetValue(3).ToString();
                        var description = r.GetValue(2).ToString() ?? string.Empty;
                        return new AppliedMigration(ToInt(r.GetValue(0)), version?.Text ?? description, version, description,
                            r.GetValue(4).ToString() ?? string.Empty, ToBool(r.GetValue(6)))
                        {
                            Checksum = r.IsDBNull(5) ? null : ToInt(r.GetValue(5)),
                            Type = type,
                            IsRepeatable = versionText is null,
                        };
                    },
                    cancellationToken).ConfigureAwait(false);
            case MigrationJournalKind.EfCore:
                return Ranked(await session.QueryAsync($"SELECT \"MigrationId\" FROM {from} ORDER BY \"MigrationId\"", r => r.GetString(0),
                    cancellationToken).ConfigureAwait(false));
            case MigrationJournalKind.DbUp:
                return Ranked(await session.QueryAsync($"SELECT ScriptName FROM {from} ORDER BY Applied, ScriptName", r => r.GetString(0),
                    cancellationToken).ConfigureAwait(false));
            case MigrationJournalKind.Django:
                return Ranked(await session.QueryAsync($"SELECT app, name FROM {from} ORDER BY id",
                    r => $"{r.GetString(0)}.{r.GetString(1)}", cancellationToken).ConfigureAwait(false));
            default:
                var (command, reader) = await session.ReaderAsync(journal.Query!, cancellationToken).ConfigureAwait(false);
                await using (command.ConfigureAwait(false))
                await using (reader.ConfigureAwait(false))
                {
                    var success = Ordinal(reader, "success");
                    var checksum = Ordinal(reader, "checksum");
                    var rows = new List<AppliedMigration>();
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var id = reader.GetValue(0).ToString() ?? string.Empty;
                        rows.Add(new AppliedMigration(rows.Count + 1, id, null, id, id,
                            success < 0 || reader.IsDBNull(success) || ToBool(reader.GetValue(success)))
                        {
                            Checksum = checksum < 0 || reader.IsDBNull(checksum) ? null : ToInt(reader.GetValue(checksum)),
                        });
                    }

                    return rows;
                }
        }

        static List<AppliedMigration> Ranked(List<string> ids) => ids.Select((id, i) => new AppliedMigration(i + 1, id, null, id, id, Success: true)).ToList();
    }

    private static void CheckManifest(Dictionary<string, string> manifest, List<LocalMigration> locals, List<AppliedMigration> applied, List<Finding> findings)
    {
        var byId = locals.GroupBy(l => l.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var row in applied.Where(a => a.Success).DistinctBy(a => a.Id))
        {
            if (!byId.TryGetValue(row.Id, out var local) || local.ContentHash is null)
            {
                continue; // reported as missing already
            }

            if (!manifest.TryGetValue(row.Id, out var recorded))
            {
                findings.Add(new Finding(MigrationIntegrityGateConstants.MigrationNotInManifest, FindingSeverity.Warning,
                    $"{row.Id} is applied but the manifest has no hash for it: rewrite the manifest when you release.") { Target = local.Script });
            }
            else if (!string.Equals(recorded, local.ContentHash, StringComparison.OrdinalIgnoreCase))
            {
                findings.Add(new Finding(MigrationIntegrityGateConstants.MigrationContentChanged, FindingSeverity.Error,
                    $"{row.Id} was edited after it was applied: the manifest records sha256 {recorded[..Math.Min(12, recorded.Length)]}…, the file now hashes to {local.ContentHash[..12]}….") { Target = local.Script });
            }
        }
    }

    private async Task CheckSchemaAsync(DatabaseSession session, List<Measurement> measurements, List<Finding> findings, CancellationToken cancellationToken)
    {
        var schema = options.Schema;
        var tables = await session.TablesAsync(cancellationToken).ConfigureAwait(false);
        var tableSet = new HashSet<string>(tables, StringComparer.OrdinalIgnoreCase);
        measurements.Add(schema.MinimumTableCount is { } minimum
            ? Measurement.Evaluate("tables", tables.Count, MetricUnit.Count, GateCondition.AtLeast("tables", minimum, MetricUnit.Count))
            : new Measurement("tables", tables.Count, MetricUnit.Count));

        foreach (var table in schema.Tables.Where(t => !tableSet.Contains(t)))
        {
            findings.Add(new Finding(MigrationIntegrityGateConstants.SchemaTableMissing, FindingSeverity.Error,
                $"Table '{table}' does not exist.") { Target = table });
        }

        var columnCache = new Dictionary<string, List<CatalogColumn>>(StringComparer.OrdinalIgnoreCase);
        foreach (var expected in schema.Columns)
        {
            if (!columnCache.TryGetValue(expected.Table, out var columns))
            {
                columns = await session.ColumnsAsync(expected.Table, cancellationToken).ConfigureAwait(false);
                columnCache[expected.Table] = columns;
            }

            var target = $"{expected.Table}.{expected.Column}";
            var actual = columns.FirstOrDefault(c => c.Name.Equals(expected.Column, StringComparison.OrdinalIgnoreCase));
            if (actual is null)
            {
                findings.Add(new Finding(MigrationIntegrityGateConstants.SchemaColumnMissing, FindingSeverity.Error,
                    tableSet.Contains(expected.Table) ? $"Column '{target}' does not exist."
                    : $"Column '{target}' does not exist: there is no table '{expected.Table}'.") { Target = target });
                continue;
            }

            if (expected.Type is { } type && !SqlTypes.Match(type, actual.Type, actual.AlternativeType))
            {
                findings.Add(new Finding(MigrationIntegrityGateConstants.SchemaColumnType, FindingSeverity.Error,
                    $"Column '{target}' is {actual.Type}, expected {type}.") { Target = target });
            }

            if (expected.Nullable is { } nullable && nullable != actual.Nullable)
            {
                findings.Add(new Finding(MigrationIntegrityGateConstants.SchemaColumnNullability, FindingSeverity.Error,
                    $"Column '{target}' is {(actual.Nullable ? "NULL" : "NOT NULL")}, expected {(nullable ? "NULL" : "NOT NULL")}.") { Target = target });
            }
        }

        var indexCache = new Dictionary<string, List<CatalogIndex>>(StringComparer.OrdinalIgnoreCase);
        var indexCount = 0;
        foreach (var expected in schema.Indexes)
        {
            if (!indexCache.TryGetValue(expected.Table, out var indexes))
            {
                indexes = await session.IndexesAsync(expected.Table, cancellationToken).ConfigureAwait(false);
                indexCache[expected.Table] = indexes;
                indexCount += indexes.Count;
            }

            var matching = indexes.Where(i => i.Columns.SequenceEqual(expected.Columns, StringComparer.OrdinalIgnoreCase)).ToList();
            var target = $"{expected.Table}({string.Join(", ", expected.Columns)})";
            if (matching.Count == 0)
            {
                findings.Add(new Finding(MigrationIntegrityGateConstants.SchemaIndexMissing, FindingSeverity.Error,
                    $"No {expected} exists.") { Target = target });
            }
            else if (expected.Unique && !matching.Any(i => i.Unique))
            {
                findings.Add(new Finding(MigrationIntegrityGateConstants.SchemaIndexNotUnique, FindingSeverity.Error,
                    $"The index {matching[0].Name} on {target} is not unique, so duplicates are allowed.") { Target = target });
            }
        }

        if (schema.Indexes.Count > 0)
        {
            measurements.Add(new Measurement("indexes", indexCount, MetricUnit.Count) { Target = $"on {indexCache.Count} table(s)" });
        }
    }

    private async Task CheckInvariantAsync(DatabaseSession session, DataInvariant invariant, List<Measurement> measurements,
        List<Finding> findings, CancellationToken cancellationToken)
    {
        var name = $"invariant {invariant.Name}";
        if (invariant.Condition is { } condition)
        {
            var value = await session.ScalarAsync(invariant.Sql, cancellationToken).ConfigureAwait(false);
            if (value is null || !TryToDouble(value, out var number))
            {
                findings.Add(new Finding(MigrationIntegrityGateConstants.DataInvariantNoValue, FindingSeverity.Error,
                    $"The invariant '{invariant.Name}' returned {(value is null ? "NULL" : $"'{value}'")}, not a number to hold to {condition}.") { Target = invariant.Name });
                return;
            }

            measurements.Add(Measurement.Evaluate($"{name} {condition.Metric}", number, MetricUnit.None, condition));
            return;
        }

        var (command, reader) = await session.ReaderAsync(invariant.Sql, cancellationToken).ConfigureAwait(false);
        await using (command.ConfigureAwait(false))
        await using (reader.ConfigureAwait(false))
        {
            var shown = new List<string>();
            var count = 0;
            while (count < MaxCountedRows && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (count < options.MaximumOffendingRows)
                {
                    shown.Add(FormatRow(reader));
                }

                count++;
            }

            var more = count == MaxCountedRows && await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            measurements.Add(Measurement.Evaluate($"{name} rows", count, MetricUnit.Count,
                GateCondition.AtMost("rows", 0, MetricUnit.Count)) with { Target = more ? $"more than {MaxCountedRows} rows" : null });
            if (count > 0)
            {
                var rows = shown.Count == 0 ? string.Empty : ": " + string.Join("; ", shown) + (count > shown.Count ? "; …" : string.Empty);
                findings.Add(new Finding(MigrationIntegrityGateConstants.DataInvariantViolated, FindingSeverity.Error,
                    $"The invariant '{invariant.Name}' found {(more ? $"more than {MaxCountedRows}" : count.ToString(CultureInfo.InvariantCulture))} offending row(s){rows}") { Target = invariant.Name });
            }
        }
    }

    private string FormatRow(DbDataReader reader)
    {
        var parts = new List<string>(reader.FieldCount);
        for (var i = 0; i < reader.FieldCount; i++)
        {
            var column = reader.GetName(i);
            string shown;
            if (options.RedactedColumns.Contains(column) || SecretColumn().IsMatch(column))
            {
                shown = "***";
            }
            else if (reader.IsDBNull(i))
            {
                shown = "NULL";
            }
            else
            {
                var text = Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? string.Empty;
                shown = text.Length > MaxValueLength ? text[..MaxValueLength] + "…" : text;
            }

            parts.Add($"{column}={shown}");
        }

        return string.Join(", ", parts);
    }

    private static int Ordinal(DbDataReader reader, string name)
    {
        for (var i = 0; i < reader.FieldCount; i++)
        {
            if (reader.GetName(i).Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private static int ToInt(object value) => Convert.ToInt32(value, CultureInfo.InvariantCulture);

    private static bool ToBool(object value) => value switch
    {
        bool b => b,
        string s => s is "1" or "t" or "true" or "TRUE" or "True",
        _ => Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0,
    };

    private static bool TryToDouble(object value, out double number)
    {
        try
        {
            number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
            return !double.IsNaN(number);
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException)
        {
            number = 0;
            return false;
        }
    }

    [GeneratedRegex("pass(word|wd)?|pwd|secret|token|api_?key|private_?key|salt|hash|credential|ssn|card_?number|cvv|iban", RegexOptions.IgnoreCase)]
    private static partial Regex SecretColumn();
}

/// <summary>Compares a declared type with the catalog's, allowing the common aliases.</summary>
internal static class SqlTypes
{
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["int"] = "integer", ["int4"] = "integer", ["int2"] = "smallint", ["int8"] = "bigint",
        ["varchar"] = "character varying", ["char"] = "character", ["bpchar"] = "character", ["bool"] = "boolean",
        ["float8"] = "double precision", ["float4"] = "real", ["decimal"] = "numeric",
        ["timestamptz"] = "timestamp with time zone", ["timestamp"] = "timestamp without time zone", ["timetz"] = "time with time zone",
    };

    public static bool Match(string expected, string actual, string? alternative)
    {
        var e = Normalise(expected);
        return e == Normalise(actual) || (alternative is not null && e == Normalise(alternative));
    }

    private static string Normalise(string type)
    {
        var t = type.Trim();
        var paren = t.IndexOf('(', StringComparison.Ordinal);
        var bare = (paren < 0 ? t : t[..paren]).Trim();
        return Aliases.TryGetValue(bare, out var canonical) ? canonical : bare.ToLowerInvariant();
    }
}
