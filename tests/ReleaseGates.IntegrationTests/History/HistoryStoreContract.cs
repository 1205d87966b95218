using static ReleaseGates.IntegrationTests.History.HistoryFixtures;

namespace ReleaseGates.IntegrationTests.History;

/// <summary>
/// What every report history does, run against each real store (<see cref="SqliteHistoryTests"/>, <see cref="PostgreSqlHistoryTests"/>):
/// records, lists, marks, trends, prunes, baselines by rule, concurrent writers and hostile values.
/// </summary>
public abstract partial class HistoryStoreContract
{
    protected CancellationToken Ct { get; } = TestContext.Current.CancellationToken;

    /// <summary>A new, empty history (its own file or database).</summary>
    protected abstract Task<IReleaseHistory> CreateAsync(TimeProvider? time = null);

    /// <summary>A second store object on the same file or database as <paramref name="history"/>, with its own connections.</summary>
    protected abstract IReleaseHistory Reopen(IReleaseHistory history);

    [Fact]
    public async Task Records_an_evaluation_with_its_subject_fingerprint_and_whole_report()
    {
        var history = await CreateAsync();
        var report = await ReportAsync(120, version: "2.3.1");

        var entry = await history.RecordAsync(report, Machine, Ct);
        var found = await history.FindAsync(entry.Id, Ct);
        var stored = await history.ReadReportAsync(entry.Id, Ct);

        Assert.NotNull(found);
        Assert.Equal(new ReleaseSubject { Service = "checkout", Environment = "staging", Version = "2.3.1", Branch = "main", Commit = "abc" }, found.Subject);
        Assert.Equal(Machine, found.Fingerprint);
        Assert.Equal(report.Decision, found.Decision);
        Assert.Equal(report.StartedAt.ToUnixTimeMilliseconds(), found.StartedAt.ToUnixTimeMilliseconds());
        Assert.Equal(report.ToJson(), stored!.ToJson());
        Assert.Null(await history.FindAsync(entry.Id + 1000, Ct));
        Assert.Null(await history.ReadReportAsync(entry.Id + 1000, Ct));
    }

    [Fact]
    public async Task Lists_newest_first_filtered_by_service_environment_decision_and_version()
    {
        var history = await CreateAsync();
        var a = await history.RecordAsync(await ReportAsync(100, "1.0.0"), Machine, Ct);
        var b = await history.RecordAsync(await ReportAsync(100, "1.1.0", environment: "production"), Machine, Ct);
        var c = await history.RecordAsync(await ReportAsync(100, "1.2.0", service: "search"), Machine, Ct);
        var d = await history.RecordAsync(await ReportAsync(100, "1.3.0"), Machine, Ct);

        Assert.Equal([d.Id, c.Id, b.Id, a.Id], (await history.ListAsync(new HistoryQuery(), Ct)).Select(e => e.Id));
        Assert.Equal([d.Id, a.Id], (await history.ListAsync(new HistoryQuery { Service = "checkout", Environment = "staging" }, Ct)).Select(e => e.Id));
        Assert.Equal([b.Id], (await history.ListAsync(new HistoryQuery { Version = "1.1.0" }, Ct)).Select(e => e.Id));
        Assert.Equal([d.Id], (await history.ListAsync(new HistoryQuery { Limit = 1 }, Ct)).Select(e => e.Id));
        var noGo = new HistoryQuery();
        noGo.Decisions.Add(ReleaseDecision.NoGo);
        Assert.Empty(await history.ListAsync(noGo, Ct));
    }

    [Fact]
    public async Task Marks_are_dated_entries_beside_an_unchanged_record()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero));
        var history = await CreateAsync(time);
        var entry = await history.RecordAsync(await ReportAsync(100), Machine, Ct);
        var before = (await history.ReadReportAsync(entry.Id, Ct))!.ToJson();

        time.Advance(TimeSpan.FromHours(1));
        var pin = await history.MarkAsync(entry.Id, HistoryMarkKind.Pinned, "alice", null, Ct);
        time.Advance(TimeSpan.FromHours(1));
        await history.MarkAsync(entry.Id, HistoryMarkKind.Invalidated, "bob", "the runner was throttled", Ct);

        var found = await history.FindAsync(entry.Id, Ct);
        Assert.Equal([HistoryMarkKind.Pinned, HistoryMarkKind.Invalidated], found!.Marks.Select(m => m.Kind));
        Assert.Equal(new HistoryMark(HistoryMarkKind.Invalidated, time.GetUtcNow(), "bob", "the runner was throttled"), found.Marks[1]);
        Assert.Equal(time.GetUtcNow().AddHours(-1), pin.MarkedAt);
        Assert.True(found.IsInvalidated);
        Assert.Equal(before, (await history.ReadReportAsync(entry.Id, Ct))!.ToJson());
        Assert.Empty(await history.ListAsync(new HistoryQuery { IncludeInvalidated = false }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => history.MarkAsync(entry.Id, HistoryMarkKind.Invalidated, "bob", " ", Ct));
        var missing = await Assert.ThrowsAsync<ReleaseHistoryException>(() => history.MarkAsync(entry.Id + 99, HistoryMarkKind.Blessed, "bob", null, Ct));
        Assert.Contains("no evaluation", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trend_is_the_newest_values_of_one_measurement_without_invalidated_evaluations()
    {
        var history = await CreateAsync();
        var ids = new List<long>();
        foreach (var p95 in new[] { 100.0, 110, 120, 130 })
        {
            ids.Add((await history.RecordAsync(await ReportAsync(p95), Machine, Ct)).Id);
        }

        await history.MarkAsync(ids[2], HistoryMarkKind.Invalidated, "ci", "noisy neighbour", Ct);
        var trend = await history.TrendAsync(new TrendQuery { Service = "checkout", Environment = "staging", Gate = "latency", Measurement = "p(95)", Count = 2 }, Ct);
        var gate = await history.TrendAsync(new TrendQuery { Service = "checkout", Environment = "staging", Gate = "latency" }, Ct);

        Assert.Equal([(ids[3], 130.0), (ids[1], 110.0)], trend.Select(p => (p.EvaluationId, p.Value!.Value)));
        Assert.All(trend, p => Assert.Equal(MetricUnit.Milliseconds, p.Unit));
        Assert.Equal(3, gate.Count);
        Assert.All(gate, p => Assert.Null(p.Value));
        Assert.Empty(await history.TrendAsync(new TrendQuery { Service = "checkout", Environment = "production", Gate = "latency", Measurement = "p(95)" }, Ct));
    }

    [Fact]
    public async Task Prune_keeps_the_newest_of_each_service_and_every_pinned_or_blessed_evaluation()
    {
        var history = await CreateAsync();
        var checkout = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            checkout.Add((await history.RecordAsync(await ReportAsync(100, $"1.{i}.0"), Machine, Ct)).Id);
        }

        var search = (await history.RecordAsync(await ReportAsync(100, service: "search"), Machine, Ct)).Id;
        await history.MarkAsync(checkout[0], HistoryMarkKind.Blessed, "alice", null, Ct);

        var deleted = await history.PruneAsync(new HistoryRetention { KeepLast = 2 }, Ct);

        Assert.Equal(2, deleted);
        Assert.Equal([checkout[4], checkout[3], checkout[0]], (await history.ListAsync(new HistoryQuery { Service = "checkout" }, Ct)).Select(e => e.Id));
        Assert.NotNull(await history.FindAsync(search, Ct));
        Assert.Empty(await history.TrendAsync(new TrendQuery { Service = "checkout", Environment = "staging", Gate = "latency", Measurement = "p(95)" }, Ct)
            .ContinueWith(t => t.Result.Where(p => p.EvaluationId == checkout[1]).ToList(), Ct));
    }

    [Fact]
    public async Task Hostile_values_are_stored_and_read_back_inert()
    {
        var history = await CreateAsync();
        var hostile = "<script>alert(1)</script>\0\u001b[31m" + new string('x', 10_000);
        var report = await ReportAsync(100, version: hostile, service: "checkout\0evil");
        var entry = await history.RecordAsync(report, Machine with { RunnerLabel = hostile }, Ct);

        var found = await history.FindAsync(entry.Id, Ct);
        var stored = await history.ReadReportAsync(entry.Id, Ct);

        Assert.Equal(hostile.Replace('\0', '\uFFFD'), found!.Subject.Version);
        Assert.Equal(hostile.Replace('\0', '\uFFFD'), found.Fingerprint.RunnerLabel);
        Assert.Equal(hostile, stored!.Subject.Version);
    }

    [Fact]
    public async Task Two_writers_at_once_lose_nothing_and_never_interleave_a_record()
    {
        var first = await CreateAsync();
        await first.ListAsync(new HistoryQuery(), Ct);
        var second = Reopen(first);
        var report = await ReportAsync(100);

        var writes = Enumerable.Range(0, 40).Select(i => Task.Run(() => (i % 2 == 0 ? first : second).RecordAsync(report, Machine, Ct), Ct));
        var entries = await Task.WhenAll(writes);

        Assert.Equal(40, entries.Select(e => e.Id).Distinct().Count());
        var listed = await first.ListAsync(new HistoryQuery { Limit = 100 }, Ct);
        Assert.Equal(40, listed.Count);
        var trend = await second.TrendAsync(new TrendQuery { Service = "checkout", Environment = "staging", Gate = "latency", Measurement = "p(95)", Count = 100 }, Ct);
        Assert.Equal(listed.Select(e => e.Id), trend.Select(p => p.EvaluationId));
    }

    [Fact]
    public async Task The_tool_finds_the_last_passing_baseline_says_which_and_records_the_new_evaluation()
    {
        var history = await CreateAsync();
        var first = await EvaluateAsync(history, "last passing", 100, "1.0.0");
        var second = await EvaluateAsync(history, "last passing", 125, "1.1.0");

        Assert.Equal(GateStatus.Skipped, first.History!.Status);
        Assert.NotNull(first.History.RecordedId);
        Assert.Equal(ReleaseDecision.NoGo, second.Decision);
        var p95 = second.FindGate("latency")!.Measurements.Single();
        Assert.Equal((100.0, GateStatus.Failed), (p95.Baseline!.Value, p95.Status));
        Assert.Equal([first.History.RecordedId!.Value], second.History!.Baseline.Select(b => b.Id));
        Assert.Equal("1.0.0", second.BaselineSubject!.Version);
        var replayed = ReleaseReport.FromJson(second.ToJson());
        Assert.Equal(100.0, replayed.FindGate("latency")!.Measurements.Single().Baseline);
        Assert.Equal(ReleaseDecision.NoGo, replayed.Decision);
    }
}
