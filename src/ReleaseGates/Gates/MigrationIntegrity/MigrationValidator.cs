namespace ReleaseGates;

/// <summary>The outcome of comparing local migrations with the applied history.</summary>
internal sealed class MigrationValidation
{
    public List<Finding> Findings { get; } = [];

    public List<string> Pending { get; } = [];

    public int Applied { get; set; }

    public int Failed { get; set; }

    public int Mismatched { get; set; }

    public int Missing { get; set; }
}

/// <summary>
/// Classifies migrations the way Flyway's <c>validate</c> does: failed, applied but not resolved locally (missing, or future
/// when newer than every local one), pending, ignored (older than the newest applied while <c>outOfOrder</c> is off),
/// checksum / description / type mismatch, outdated repeatable. Versions at or below the baseline are not checked.
/// Journals without versions (EF Core, DbUp, Django, custom) compare identifiers.
/// </summary>
internal static class MigrationValidator
{
    private static readonly string[] SyntheticTypes = ["BASELINE", "SCHEMA", "DELETE", "UNDO_SQL", "UNDO_JDBC", "UNDO_SCRIPT"];
    private static readonly string[] SqlTypes = ["SQL", "SCRIPT"];

    public static bool TryParsePattern(string? pattern, out (string Type, string Status) parsed)
    {
        parsed = default;
        var parts = pattern?.Trim().ToUpperInvariant().Split(':');
        if (parts is not { Length: 2 } || parts[0] is not ("*" or "VERSIONED" or "REPEATABLE")
            || parts[1] is not ("*" or "MISSING" or "PENDING" or "IGNORED" or "FUTURE"))
        {
            return false;
        }

        parsed = (parts[0], parts[1]);
        return true;
    }

    /// <summary>Compares <paramref name="locals"/> (null when none were given: only the history is checked) with the applied rows.</summary>
    public static MigrationValidation Validate(IReadOnlyList<LocalMigration>? locals, IReadOnlyList<AppliedMigration> applied,
        MigrationJournalKind kind, MigrationIntegrityGateOptions options)
    {
        var result = new MigrationValidation();
        var ignore = options.IgnoreMigrationPatterns.Select(p => TryParsePattern(p, out var x) ? x : default).Where(x => x != default).ToList();
        void Report(string code, string status, bool repeatable, string message, string target)
        {
            var rule = ignore.FirstOrDefault(p => (p.Type == "*" || p.Type == (repeatable ? "REPEATABLE" : "VERSIONED"))
                && (p.Status == "*" || string.Equals(p.Status, status, StringComparison.OrdinalIgnoreCase)));
            result.Findings.Add(rule == default
                ? new Finding(code, FindingSeverity.Error, message) { Target = target }
                : new Finding(code, FindingSeverity.Info,
                    $"{message} (ignored: {rule.Type.ToLowerInvariant()}:{rule.Status.ToLowerInvariant()})") { Target = target });
        }

        if (kind == MigrationJournalKind.Flyway)
        {
            ValidateFlyway(locals, applied, options, result, Report);
        }
        else
        {
            ValidateByIdentifier(locals, applied, result, Report);
        }

        return result;
    }

    private static void ValidateFlyway(IReadOnlyList<LocalMigration>? locals, IReadOnlyList<AppliedMigration> applied,
        MigrationIntegrityGateOptions options, MigrationValidation result, Action<string, string, bool, string, string> report)
    {
        var history = FlywayHistory.Read(applied, options);
        result.Applied = history.Versioned.Values.Count(r => r.Success) + history.Repeatable.Values.Count(r => r.Success);

        var localVersioned = new Dictionary<MigrationVersion, LocalMigration>();
        foreach (var local in (locals ?? []).Where(l => !l.IsRepeatable))
        {
            if (!localVersioned.TryAdd(local.Version!, local))
            {
                result.Findings.Add(new Finding(MigrationIntegrityGateConstants.MigrationDuplicateVersion, FindingSeverity.Error,
                    $"Found more than one migration with version {local.Version}: {localVersioned[local.Version!].Script} and {local.Script}.") { Target = local.Script });
            }
        }

        CheckAppliedVersions(history, locals is null ? null : localVersioned, result, report);
        if (locals is null)
        {
            return;
        }

        var localRepeatable = locals.Where(l => l.IsRepeatable).GroupBy(l => l.Description, StringComparer.Ordinal).ToDictionary(g => g.Key,
            g => g.First(), StringComparer.Ordinal);
        CheckUnappliedVersions(history, localVersioned, options, result, report);
        CheckRepeatables(history.Repeatable, localRepeatable, result, report);
        ReportGaps(localVersioned.Keys, result);
    }

    /// <summary>Flyway's history table read as its state: the effective baseline and the latest row per version and per repeatable.</summary>
    private sealed record FlywayHistory(MigrationVersion? Baseline, Dictionary<MigrationVersion, AppliedMigration> Versioned,
        Dictionary<string, AppliedMigration> Repeatable)
    {
        public static FlywayHistory Read(IReadOnlyList<AppliedMigration> applied, MigrationIntegrityGateOptions options)
        {
            var baseline = MigrationVersion.ParseOrNull(options.BaselineVersion);
            foreach (var row in applied.Where(r => string.Equals(r.Type, "BASELINE", StringComparison.OrdinalIgnoreCase) && r.Version is not null))
            {
                baseline = baseline is null || row.Version!.CompareTo(baseline) > 0 ? row.Version : baseline;
            }

            var deleted = applied.Where(r => string.Equals(r.Type, "DELETE",
                StringComparison.OrdinalIgnoreCase) && r.Version is not null).Select(r => r.Version!).ToHashSet();
            var rows = applied.Where(r => !SyntheticTypes.Contains(r.Type ?? "SQL", StringComparer.OrdinalIgnoreCase)).ToList();

            // The latest row per version or repeatable description decides its state.
            var versioned = rows.Where(r => !r.IsRepeatable && r.Version is not null && !deleted.Contains(r.Version))
                .GroupBy(r => r.Version!).ToDictionary(g => g.Key, g => g.MaxBy(r => r.Rank)!);
            var repeatable = rows.Where(r => r.IsRepeatable).GroupBy(r => r.Description, StringComparer.Ordinal).ToDictionary(g => g.Key,
                g => g.MaxBy(r => r.Rank)!, StringComparer.Ordinal);
            return new FlywayHistory(baseline, versioned, repeatable);
        }

        public bool AboveBaseline(MigrationVersion version) => Baseline is null || version.CompareTo(Baseline) > 0;

        public MigrationVersion? LatestApplied => Versioned.Values.Where(r => r.Success).Select(r => r.Version!).Max();
    }

    /// <summary>Every applied version: failed, out of order, missing locally, or different from the local script (type, checksum, description).</summary>
    private static void CheckAppliedVersions(FlywayHistory history, Dictionary<MigrationVersion, LocalMigration>? localVersioned,
        MigrationValidation result, Action<string, string, bool, string, string> report)
    {
        var latestLocal = localVersioned?.Keys.Max();
        MigrationVersion? highestSoFar = null;
        foreach (var row in history.Versioned.Values.OrderBy(r => r.Rank))
        {
            var version = row.Version!;
            if (!history.AboveBaseline(version))
            {
                continue;
            }

            if (!row.Success)
            {
                result.Failed++;
                result.Findings.Add(new Finding(MigrationIntegrityGateConstants.MigrationFailed, FindingSeverity.Error,
                    $"Detected failed migration to version {version} ({row.Description}).") { Target = row.Script });
            }
            else if (highestSoFar is not null && version.CompareTo(highestSoFar) < 0)
            {
                result.Findings.Add(new Finding(MigrationIntegrityGateConstants.MigrationOutOfOrder, FindingSeverity.Info,
                    $"Migration {version} was applied out of order, after {highestSoFar}.") { Target = row.Script });
            }

            if (row.Success && (highestSoFar is null || version.CompareTo(highestSoFar) > 0))
            {
                highestSoFar = version;
            }

            if (localVersioned is null)
            {
                continue;
            }

            if (!localVersioned.TryGetValue(version, out var local))
            {
                result.Missing++;
                var future = latestLocal is null || version.CompareTo(latestLocal) > 0;
                report(future ? MigrationIntegrityGateConstants.MigrationFuture : MigrationIntegrityGateConstants.MigrationMissing,
                    future ? "future" : "missing", false, $"Detected applied migration not resolved locally: {version}.", row.Script);
                continue;
            }

            CompareWithLocal(row, local, result);
        }
    }

    /// <summary>An applied version against its local script: the type, the checksum and the description must agree.</summary>
    private static void CompareWithLocal(AppliedMigration row, LocalMigration local, MigrationValidation result)
    {
        var version = row.Version!;
        if (row.Type is { } type && !SqlTypes.Contains(type, StringComparer.OrdinalIgnoreCase) && local.Script.EndsWith(".sql",
            StringComparison.OrdinalIgnoreCase))
        {
            result.Mismatched++;
            result.Findings.Add(new Finding(MigrationIntegrityGateConstants.MigrationTypeMismatch, FindingSeverity.Error,
                $"Migration type mismatch for migration version {version}: applied to database {type}, resolved locally SQL.") { Target = local.Script });
        }

        if (row.Checksum is { } appliedSum && local.Checksum is { } localSum && appliedSum != localSum)
        {
            result.Mismatched++;
            result.Findings.Add(new Finding(MigrationIntegrityGateConstants.MigrationChecksumMismatch, FindingSeverity.Error,
                $"Migration checksum mismatch for migration version {version}: applied to database {appliedSum}, resolved locally {localSum}. The script was edited after it ran.") { Target = local.Script });
        }

        if (!string.Equals(row.Description, local.Description, StringComparison.Ordinal))
        {
            result.Mismatched++;
            result.Findings.Add(new Finding(MigrationIntegrityGateConstants.MigrationDescriptionMismatch, FindingSeverity.Error,
                $"Migration description mismatch for migration version {version}: applied to database '{row.Description}', resolved locally '{local.Description}'.") { Target = local.Script });
        }
    }

    /// <summary>Local versions not applied: pending, or ignored when older than the latest applied and out-of-order is off.</summary>
    private static void CheckUnappliedVersions(FlywayHistory history, Dictionary<MigrationVersion, LocalMigration> localVersioned,
        MigrationIntegrityGateOptions options, MigrationValidation result, Action<string, string, bool, string, string> report)
    {
        var latestApplied = history.LatestApplied;
        foreach (var (version, local) in localVersioned.OrderBy(p => p.Key))
        {
            if (history.Versioned.ContainsKey(version) || !history.AboveBaseline(version))
            {
                continue;
            }

            if (latestApplied is not null && version.CompareTo(latestApplied) < 0 && !options.OutOfOrder)
            {
                report(MigrationIntegrityGateConstants.MigrationIgnored, "ignored", false,
                    $"Detected resolved migration not applied to database: {version} (older than the applied {latestApplied}; set OutOfOrder to apply it).",
                    local.Script);
            }
            else
            {
                result.Pending.Add(version.Text);
                report(MigrationIntegrityGateConstants.MigrationPending, "pending", false,
                    $"Detected resolved migration not applied to database: {version}.", local.Script);
            }
        }
    }

    /// <summary>Repeatable migrations: pending, failed, outdated (edited since applied) or missing locally.</summary>
    private static void CheckRepeatables(Dictionary<string, AppliedMigration> repeatable,
        Dictionary<string, LocalMigration> localRepeatable, MigrationValidation result, Action<string, string, bool, string, string> report)
    {
        foreach (var (description, local) in localRepeatable)
        {
            if (!repeatable.TryGetValue(description, out var row))
            {
                result.Pending.Add(local.Script);
                report(MigrationIntegrityGateConstants.MigrationPending, "pending", true,
                    $"Detected resolved repeatable migration not applied to database: {description}.", local.Script);
            }
            else if (!row.Success)
            {
                result.Failed++;
                result.Findings.Add(new Finding(MigrationIntegrityGateConstants.MigrationFailed, FindingSeverity.Error,
                    $"Detected failed repeatable migration: {description}.") { Target = local.Script });
            }
            else if (row.Checksum is { } appliedSum && local.Checksum is { } localSum && appliedSum != localSum)
            {
                result.Pending.Add(local.Script);
                result.Findings.Add(new Finding(MigrationIntegrityGateConstants.MigrationOutdatedRepeatable, FindingSeverity.Error,
                    $"Detected outdated resolved repeatable migration that should be re-applied to database: {description}.") { Target = local.Script });
            }
        }

        foreach (var (description, row) in repeatable.Where(p => !localRepeatable.ContainsKey(p.Key)))
        {
            result.Missing++;
            report(MigrationIntegrityGateConstants.MigrationMissing, "missing", true,
                $"Detected applied repeatable migration not resolved locally: {description}.", row.Script);
        }
    }

    private static void ValidateByIdentifier(IReadOnlyList<LocalMigration>? locals, IReadOnlyList<AppliedMigration> applied,
        MigrationValidation result, Action<string, string, bool, string, string> report)
    {
        var latest = applied.GroupBy(r => r.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.MaxBy(r => r.Rank)!, StringComparer.Ordinal);
        result.Applied = latest.Values.Count(r => r.Success);
        foreach (var row in latest.Values.Where(r => !r.Success).OrderBy(r => r.Rank))
        {
            result.Failed++;
            result.Findings.Add(new Finding(MigrationIntegrityGateConstants.MigrationFailed, FindingSeverity.Error,
                $"Detected failed migration {row.Id}.") { Target = row.Script });
        }

        if (locals is null)
        {
            return;
        }

        var local = new Dictionary<string, LocalMigration>(StringComparer.Ordinal);
        foreach (var migration in locals)
        {
            if (!local.TryAdd(migration.Id, migration))
            {
                result.Findings.Add(new Finding(MigrationIntegrityGateConstants.MigrationDuplicateVersion, FindingSeverity.Error,
                    $"Found more than one local migration named {migration.Id}: {local[migration.Id].Script} and {migration.Script}.") { Target = migration.Script });
            }
        }

        foreach (var row in latest.Values.Where(r => !local.ContainsKey(r.Id)).OrderBy(r => r.Rank))
        {
            result.Missing++;
            report(MigrationIntegrityGateConstants.MigrationMissing, "missing", false,
                $"Detected applied migration not resolved locally: {row.Id}.", row.Script);
        }

        foreach (var migration in local.Values.Where(l => !latest.ContainsKey(l.Id)).OrderBy(l => l.Id, StringComparer.Ordinal))
        {
            result.Pending.Add(migration.Id);
            report(MigrationIntegrityGateConstants.MigrationPending, "pending", false,
                $"Detected resolved migration not applied to database: {migration.Id}.", migration.Script);
        }

        foreach (var row in latest.Values.Where(r => r.Success && r.Checksum is not null))
        {
            if (local.TryGetValue(row.Id, out var migration) && migration.Checksum is { } sum && sum != row.Checksum)
            {
                result.Mismatched++;
                result.Findings.Add(new Finding(MigrationIntegrityGateConstants.MigrationChecksumMismatch, FindingSeverity.Error,
                    $"Migration checksum mismatch for migration {row.Id}: applied to database {row.Checksum}, resolved locally {sum}. The script was edited after it ran.") { Target = migration.Script });
            }
        }
    }

    /// <summary>Whole-number versions below 100000 with a hole (V1, V3 without V2) earn a warning; timestamps are not sequences.</summary>
    private static void ReportGaps(IEnumerable<MigrationVersion> versions, MigrationValidation result)
    {
        var numbers = versions.Select(v => v.SingleNumber).ToList();
        if (numbers.Count < 2 || numbers.Any(n => n is null || n >= 100_000))
        {
            return;
        }

        var sorted = numbers.Select(n => n!.Value).Order().ToList();
        for (var i = 1; i < sorted.Count; i++)
        {
            if (sorted[i] - sorted[i - 1] > 1)
            {
                result.Findings.Add(new Finding(MigrationIntegrityGateConstants.MigrationVersionGap, FindingSeverity.Warning,
                    $"Versions jump from {sorted[i - 1]} to {sorted[i]}: is a migration missing from the folder?") { Target = $"V{sorted[i]}" });
            }
        }
    }
}
