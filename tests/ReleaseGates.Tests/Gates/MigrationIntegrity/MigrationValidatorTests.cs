namespace ReleaseGates.Tests.Gates.MigrationIntegrity;

public class MigrationValidatorTests
{
    private static LocalMigration V(string version, int checksum = 1, string description = "step")
        => LocalMigrations.ParseFlywayName($"V{version}__{description.Replace(' ', '_')}.sql", $"V{version}__{description.Replace(' ', '_')}.sql")! with { Checksum = checksum };

    private static LocalMigration R(string description, int checksum)
        => LocalMigrations.ParseFlywayName($"R__{description}.sql", $"R__{description}.sql")! with { Checksum = checksum };

    private static AppliedMigration Row(int rank, string? version, int? checksum = 1, bool success = true, string description = "step", string type = "SQL")
    {
        var v = MigrationVersion.ParseOrNull(version);
        return new AppliedMigration(rank, v?.Text ?? description, v, description, $"V{version}__{description}.sql", success) { Checksum = checksum, Type = type, IsRepeatable = version is null };
    }

    private static MigrationValidation Flyway(IReadOnlyList<LocalMigration>? locals, IReadOnlyList<AppliedMigration> applied, Action<MigrationIntegrityGateOptions>? configure = null)
    {
        var options = new MigrationIntegrityGateOptions();
        configure?.Invoke(options);
        return MigrationValidator.Validate(locals, applied, MigrationJournalKind.Flyway, options);
    }

    private static string[] Codes(MigrationValidation v, FindingSeverity severity = FindingSeverity.Error)
        => v.Findings.Where(f => f.Severity == severity).Select(f => f.Code).ToArray();

    [Fact]
    public void Passes_when_every_local_migration_is_applied_with_the_same_checksum()
    {
        var result = Flyway([V("1"), V("2"), V("3")], [Row(1, "1"), Row(2, "2"), Row(3, "3")]);
        Assert.Empty(result.Findings);
        Assert.Equal(3, result.Applied);
    }

    [Fact]
    public void Classifies_failed_pending_missing_and_mismatched_like_flyway_validate()
    {
        var result = Flyway(
            [V("1"), V("2", checksum: 99), V("3", description: "renamed"), V("5"), V("6")],
            [Row(1, "1"), Row(2, "2"), Row(3, "3"), Row(4, "4"), Row(5, "5", success: false)]);

        Assert.Equal(["migration.checksum-mismatch", "migration.description-mismatch", "migration.missing", "migration.failed", "migration.pending"], Codes(result));
        Assert.Equal("Migration checksum mismatch for migration version 2: applied to database 1, resolved locally 99. The script was edited after it ran.", result.Findings[0].Message);
        Assert.Equal("Detected applied migration not resolved locally: 4.", result.Findings[2].Message);
        Assert.Equal(["6"], result.Pending);
    }

    [Fact]
    public void An_applied_migration_newer_than_every_local_one_is_future_and_ignored_by_default()
    {
        var result = Flyway([V("1")], [Row(1, "1"), Row(2, "2")]);
        Assert.Empty(Codes(result));
        Assert.Equal("migration.future", Assert.Single(result.Findings).Code);
        Assert.EndsWith("(ignored: *:future)", result.Findings[0].Message);

        var strict = Flyway([V("1")], [Row(1, "1"), Row(2, "2")], o => o.IgnoreMigrationPatterns.Clear());
        Assert.Equal(["migration.future"], Codes(strict));
    }

    [Fact]
    public void A_local_migration_older_than_the_newest_applied_is_ignored_unless_out_of_order_is_on()
    {
        Assert.Equal(["migration.ignored"], Codes(Flyway([V("1"), V("2"), V("3")], [Row(1, "1"), Row(2, "3")])));
        Assert.Equal(["migration.pending"], Codes(Flyway([V("1"), V("2"), V("3")], [Row(1, "1"), Row(2, "3")], o => o.OutOfOrder = true)));
    }

    [Fact]
    public void Ignore_patterns_turn_matching_findings_into_information()
    {
        var result = Flyway([V("1"), V("2")], [Row(1, "1")], o => o.IgnoreMigrationPatterns.Add("versioned:pending"));
        Assert.Empty(Codes(result));
        Assert.Equal("migration.pending", Assert.Single(result.Findings, f => f.Severity == FindingSeverity.Info).Code);
    }

    [Fact]
    public void Versions_at_or_below_the_baseline_are_not_checked()
    {
        var baselineRow = Row(1, "3", checksum: null, description: "<< Flyway Baseline >>", type: "BASELINE");
        var result = Flyway([V("1"), V("2"), V("3"), V("4")], [baselineRow, Row(2, "4")]);
        Assert.Empty(result.Findings);

        Assert.Equal(["migration.pending"], Codes(Flyway([V("1"), V("2")], [], o => o.BaselineVersion = "1")));
    }

    [Fact]
    public void An_applied_out_of_order_migration_is_reported_as_information()
    {
        var result = Flyway([V("1"), V("2"), V("3")], [Row(1, "1"), Row(2, "3"), Row(3, "2")]);
        Assert.Equal("Migration 2 was applied out of order, after 3.", Assert.Single(result.Findings).Message);
        Assert.Equal(FindingSeverity.Info, result.Findings[0].Severity);
    }

    [Fact]
    public void Repeatables_are_pending_outdated_or_failed_by_their_latest_run()
    {
        var result = Flyway(
            [R("views", 10), R("functions", 20), R("grants", 30)],
            [Row(1, null, 11, description: "views"), Row(2, null, 10, description: "views"), Row(3, null, 19, description: "functions"), Row(4, null, 30, false, "grants")]);
        Assert.DoesNotContain(result.Findings, f => f.Target == "R__views.sql");
        Assert.Equal(["migration.outdated-repeatable", "migration.failed"], Codes(result));
        Assert.Equal("Detected outdated resolved repeatable migration that should be re-applied to database: functions.", result.Findings[0].Message);
    }

    [Fact]
    public void Warns_about_gaps_in_whole_number_versions_but_not_in_timestamps()
    {
        Assert.Equal(["migration.version-gap"], Codes(Flyway([V("1"), V("3")], [Row(1, "1"), Row(2, "3")]), FindingSeverity.Warning));
        Assert.Empty(Flyway([V("2020061901"), V("2020061902"), V("2020070101")], [Row(1, "2020061901"), Row(2, "2020061902"), Row(3, "2020070101")]).Findings);
    }

    [Fact]
    public void Two_local_scripts_with_one_version_are_an_error()
        => Assert.Contains("migration.duplicate-version", Codes(Flyway([V("1"), V("1.0", description: "again")], [Row(1, "1")])));

    [Fact]
    public void Without_local_migrations_only_failed_rows_are_reported()
    {
        var result = Flyway(null, [Row(1, "1"), Row(2, "2", success: false)]);
        Assert.Equal(["migration.failed"], Codes(result));
    }

    [Fact]
    public void Identifier_journals_report_pending_in_order_and_applied_but_missing()
    {
        var locals = new[] { "20260102_B", "20260101_A", "20260103_C" }.Select(id => new LocalMigration(id, null, id, id)).ToList();
        var applied = new[] { new AppliedMigration(1, "20260101_A", null, "20260101_A", "20260101_A", true), new AppliedMigration(2, "20251231_Old", null, "20251231_Old", "20251231_Old", true) };

        var result = MigrationValidator.Validate(locals, applied, MigrationJournalKind.EfCore, new MigrationIntegrityGateOptions());

        Assert.Equal(["20260102_B", "20260103_C"], result.Pending);
        Assert.Equal(["migration.missing", "migration.pending", "migration.pending"], Codes(result));
    }

    [Theory]
    [InlineData("V1__init.sql", "1", "init", false)]
    [InlineData("V1_2__add_users_table.sql", "1.2", "add users table", false)]
    [InlineData("V2020061902__create-quarz.sql", "2020061902", "create-quarz", false)]
    [InlineData("R__refresh_views.sql", null, "refresh views", true)]
    public void Parses_flyway_script_names(string name, string? version, string description, bool repeatable)
    {
        var m = LocalMigrations.ParseFlywayName(name, name)!;
        Assert.Equal(version, m.Version?.Text);
        Assert.Equal(description, m.Description);
        Assert.Equal(repeatable, m.IsRepeatable);
    }

    [Theory]
    [InlineData("U1__undo.sql")]
    [InlineData("V1_init.sql")]
    [InlineData("Vx__bad.sql")]
    [InlineData("V1__init.txt")]
    [InlineData("notes.sql")]
    public void Names_that_are_not_versioned_or_repeatable_migrations_are_not_parsed(string name)
        => Assert.Null(LocalMigrations.ParseFlywayName(name, name));

    [Fact]
    public void Versions_compare_numerically_and_ignore_trailing_zeros()
    {
        Assert.True(MigrationVersion.ParseOrNull("1.10")!.CompareTo(MigrationVersion.ParseOrNull("1.9")) > 0);
        Assert.Equal(MigrationVersion.ParseOrNull("1"), MigrationVersion.ParseOrNull("1.0.0"));
        Assert.Equal(MigrationVersion.ParseOrNull("1_1"), MigrationVersion.ParseOrNull("1.1"));
        Assert.Null(MigrationVersion.ParseOrNull("1.a"));
    }

    [Fact]
    public void Options_name_every_problem_at_registration()
    {
        var options = new MigrationIntegrityGateOptions { ManifestPath = "m.json", BaselineVersion = "x", StatementTimeout = TimeSpan.Zero };
        options.IgnoreMigrationPatterns.Add("everything");
        var problems = new List<string>();
        options.Validate(problems);

        Assert.Contains(problems, p => p.StartsWith("ConnectionFactory is required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Nothing to check", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("set Journal too", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("ManifestPath checks the files in MigrationsDirectory", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("BaselineVersion 'x'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("IgnoreMigrationPatterns entry 'everything'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("StatementTimeout", StringComparison.Ordinal));
    }
}
