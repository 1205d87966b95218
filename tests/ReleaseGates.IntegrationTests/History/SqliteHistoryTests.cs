using Microsoft.Data.Sqlite;
using static ReleaseGates.IntegrationTests.History.HistoryFixtures;

namespace ReleaseGates.IntegrationTests.History;

/// <summary>The history contract on real SQLite files, and what only a file can do wrong: locked, corrupted, foreign, a folder in its place.</summary>
public sealed class SqliteHistoryTests : HistoryStoreContract, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("releasegates-history-").FullName;

    protected override Task<IReleaseHistory> CreateAsync(TimeProvider? time = null)
        => Task.FromResult<IReleaseHistory>(new SqliteReleaseHistory(Path.Combine(_folder, Guid.NewGuid().ToString("N"), "history.db"),
            new SqliteHistoryOptions { TimeProvider = time }));

    protected override IReleaseHistory Reopen(IReleaseHistory history) => new SqliteReleaseHistory(((SqliteReleaseHistory)history).Path);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_file_that_is_not_a_database_is_an_error_that_says_so_and_is_left_unchanged()
    {
        var path = Path.Combine(_folder, "garbage.db");
        var bytes = Enumerable.Range(0, 8192).Select(i => (byte)(i * 7)).ToArray();
        await File.WriteAllBytesAsync(path, bytes, Ct);

        var error = await Assert.ThrowsAsync<ReleaseHistoryException>(() => new SqliteReleaseHistory(path).ListAsync(new HistoryQuery(), Ct));

        Assert.Contains("not a SQLite database", error.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(path, Ct));
    }

    [Fact]
    public async Task Another_applications_database_is_refused_without_adding_tables()
    {
        var path = Path.Combine(_folder, "app.db");
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await using var create = new SqliteCommand("CREATE TABLE customers (id INTEGER)", connection);
            await create.ExecuteNonQueryAsync(Ct);
        }

        var error = await Assert.ThrowsAsync<ReleaseHistoryException>(() => new SqliteReleaseHistory(path).RecordAsync(
            ReleaseReport.FromJson(ReleaseReportSample), Machine, Ct));

        Assert.Contains("another application's tables (customers)", error.Message, StringComparison.Ordinal);
        Assert.Equal(["customers"], await TablesAsync(path));
    }

    [Fact]
    public async Task A_file_locked_by_another_writer_is_an_error_after_the_busy_timeout()
    {
        var path = Path.Combine(_folder, "locked.db");
        var history = new SqliteReleaseHistory(path, new SqliteHistoryOptions { BusyTimeout = TimeSpan.FromSeconds(1) });
        await history.ListAsync(new HistoryQuery(), Ct);
        await using var holder = new SqliteConnection($"Data Source={path};Pooling=False");
        await holder.OpenAsync(Ct);
        await using (var begin = new SqliteCommand("BEGIN EXCLUSIVE", holder))
        {
            await begin.ExecuteNonQueryAsync(Ct);
        }

        var error = await Assert.ThrowsAsync<ReleaseHistoryException>(() => history.RecordAsync(ReleaseReport.FromJson(ReleaseReportSample), Machine, Ct));

        Assert.Contains("locked by another process", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_in_place_of_the_file_is_an_error()
    {
        var path = Path.Combine(_folder, "dir.db");
        Directory.CreateDirectory(path);

        var error = await Assert.ThrowsAsync<ReleaseHistoryException>(() => new SqliteReleaseHistory(path).ListAsync(new HistoryQuery(), Ct));

        Assert.Contains("SQLite " + path, error.Message, StringComparison.Ordinal);
        Assert.Contains("is a folder, not a file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_device_where_the_file_belongs_is_refused_without_opening_it()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "character devices are checked with statx on Linux");
        var error = await Assert.ThrowsAsync<ReleaseHistoryException>(() => new SqliteReleaseHistory("/dev/null").ListAsync(new HistoryQuery(), Ct));

        Assert.Contains("is a character device, not a regular file", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists("/dev/null-journal"));
        Assert.False(File.Exists("/dev/null-wal"));
    }

    [Fact]
    public async Task A_history_of_a_newer_schema_is_refused_and_left_unchanged()
    {
        var path = Path.Combine(_folder, "newer.db");
        var history = new SqliteReleaseHistory(path);
        await history.RecordAsync(ReleaseReport.FromJson(ReleaseReportSample), Machine, Ct);
        await ExecuteAsync(path, "INSERT INTO releasegates_schema (version, written_by, applied_at) VALUES (99, 'ReleaseGates 9', 0)");

        var error = await Assert.ThrowsAsync<ReleaseHistoryException>(() => new SqliteReleaseHistory(path).ListAsync(new HistoryQuery(), Ct));

        Assert.Contains("schema version 99, written by a newer ReleaseGates; this version reads up to 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_history_of_an_older_schema_is_upgraded_keeping_its_records()
    {
        var path = Path.Combine(_folder, "older.db");
        var old = new SqliteReleaseHistory(path);
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await old.Store.MigrateAsync(connection, 1, Ct);
        }

        Assert.Equal(1, await old.Store.ReadSchemaVersionAsync(Ct));
        await ExecuteAsync(path, """
            INSERT INTO releasegates_evaluation (service, environment, branch, version, commit_sha, started_at, recorded_at, decision, baseline_decision,
                score, os, cpu, cores, memory, runtime, runner, report)
            VALUES ('checkout', 'staging', 'main', '0.9.0', '', 0, 0, 'Go', 'Go', 100, 'os', 'cpu', 2, 1, '10.0.1', '', '{}')
            """);

        var upgraded = new SqliteReleaseHistory(path);
        var listed = await upgraded.ListAsync(new HistoryQuery(), Ct);

        Assert.Equal(SqlHistoryStoreVersion, await upgraded.Store.ReadSchemaVersionAsync(Ct));
        Assert.Equal(["0.9.0"], listed.Select(e => e.Subject.Version));
        Assert.Contains("releasegates_measurement_series", await IndexesAsync(path));
    }

    [Fact]
    public async Task A_stored_report_of_a_newer_version_or_with_nan_is_refused_or_kept_inert()
    {
        var path = Path.Combine(_folder, "hostile.db");
        var history = new SqliteReleaseHistory(path);
        var entry = await history.RecordAsync(await ReportAsync(double.NaN), Machine, Ct);
        await ExecuteAsync(path, $"UPDATE releasegates_evaluation SET report = '{{\"schemaVersion\": 7}}' WHERE id = {entry.Id}");

        var error = await Assert.ThrowsAsync<ReleaseHistoryException>(() => history.ReadReportAsync(entry.Id, Ct));
        var trend = await history.TrendAsync(new TrendQuery { Service = "checkout", Environment = "staging", Gate = "latency", Measurement = "p(95)" }, Ct);

        Assert.Contains($"the report of evaluation #{entry.Id} is not a report this version reads", error.Message, StringComparison.Ordinal);
        Assert.Contains("schema version 7", error.Message, StringComparison.Ordinal);
        Assert.Null(Assert.Single(trend).Value);
    }

    private const int SqlHistoryStoreVersion = 2;

    private static readonly string ReleaseReportSample = new ReleaseReport { Scoring = new ScoringOptions(), Subject = new ReleaseSubject { Service = "s" } }.ToJson();

    private async Task<List<string>> TablesAsync(string path) => await QueryAsync(path, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");

    private async Task<List<string>> IndexesAsync(string path) => await QueryAsync(path, "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name");

    private async Task<List<string>> QueryAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = new SqliteCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var names = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private async Task ExecuteAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = new SqliteCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
