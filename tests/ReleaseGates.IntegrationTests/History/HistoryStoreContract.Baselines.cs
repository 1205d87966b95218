using static ReleaseGates.IntegrationTests.History.HistoryFixtures;

namespace ReleaseGates.IntegrationTests.History;

/// <summary>Baselines chosen by rule, the same on every store: each rule, invalidation, branches, machines, flapping and trends.</summary>
public abstract partial class HistoryStoreContract
{
    /// <summary>Three passing evaluations of p95 100, 105 and 112 ms (1.0.0 to 1.2.0), each compared with the one before.</summary>
    private async Task<(IReleaseHistory History, long[] Ids)> ThreePassingAsync(TimeProvider? time = null)
    {
        var history = await CreateAsync(time);
        var ids = new List<long>();
        foreach (var (p95, version) in new[] { (100.0, "1.0.0"), (105.0, "1.1.0"), (112.0, "1.2.0") })
        {
            var report = await EvaluateAsync(history, "last passing", p95, version);
            Assert.Equal(ReleaseDecision.Go, report.History!.BaselineDecision);
            ids.Add(report.History.RecordedId!.Value);
        }

        return (history, [.. ids]);
    }

    [Fact]
    public async Task Median_and_mean_of_3_combine_the_last_three_passing_evaluations()
    {
        var (history, ids) = await ThreePassingAsync();

        var median = await EvaluateAsync(history, "median of 3", 116, "1.3.0", record: false);
        var mean = await EvaluateAsync(history, "mean of 3", 116, "1.3.0", record: false);

        Assert.Equal((105.0, GateStatus.Failed), (RelativeP95(median).Baseline!.Value, RelativeP95(median).Status));
        Assert.Equal((317.0 / 3, GateStatus.Passed), (RelativeP95(mean).Baseline!.Value, RelativeP95(mean).Status));
        Assert.Equal(ids.Reverse(), median.History!.Baseline.Select(b => b.Id));
        Assert.Equal(("median", "mean"), (median.History.Aggregate, mean.History!.Aggregate));
    }

    [Fact]
    public async Task Pinned_by_version_by_id_or_by_mark_and_blessed_pick_that_evaluation()
    {
        var (history, ids) = await ThreePassingAsync();
        await history.MarkAsync(ids[1], HistoryMarkKind.Pinned, "alice", "the release we measured by hand", Ct);
        await history.MarkAsync(ids[0], HistoryMarkKind.Blessed, "bob", null, Ct);

        var byVersion = await EvaluateAsync(history, "pinned 1.2.0", 116, "1.3.0", record: false);
        var byId = await EvaluateAsync(history, $"pinned #{ids[0]}", 116, "1.3.0", record: false);
        var byMark = await EvaluateAsync(history, "pinned", 116, "1.3.0", record: false);
        var blessed = await EvaluateAsync(history, "blessed", 116, "1.3.0", record: false);
        var missing = await EvaluateAsync(history, "pinned 9.9.9", 116, "1.3.0", record: false);

        Assert.Equal(112.0, RelativeP95(byVersion).Baseline);
        Assert.Equal(100.0, RelativeP95(byId).Baseline);
        Assert.Equal(105.0, RelativeP95(byMark).Baseline);
        Assert.Equal(100.0, RelativeP95(blessed).Baseline);
        Assert.Equal((GateStatus.Skipped, null), (missing.History!.Status, RelativeP95(missing).Baseline));
        Assert.Contains("No evaluation of version 9.9.9", Assert.Single(missing.History.Notes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalidated_evaluation_is_never_a_baseline()
    {
        var (history, ids) = await ThreePassingAsync();
        await history.MarkAsync(ids[2], HistoryMarkKind.Invalidated, "ci", "measured on a throttled runner", Ct);
        await history.MarkAsync(ids[2], HistoryMarkKind.Pinned, "ci", null, Ct);

        var last = await EvaluateAsync(history, "last passing", 116, "1.3.0", record: false);
        var pinned = await EvaluateAsync(history, $"pinned #{ids[2]}", 116, "1.3.0", record: false);

        Assert.Equal([ids[1]], last.History!.Baseline.Select(b => b.Id));
        Assert.Null(RelativeP95(pinned).Baseline);
        Assert.Contains("was invalidated", Assert.Single(pinned.History!.Notes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Same_branch_leaves_out_other_branches()
    {
        var history = await CreateAsync();
        await EvaluateAsync(history, "last passing", 100, "1.0.0");
        await EvaluateAsync(history, "last passing same branch", 300, "1.0.1-feature", branch: "feature/slow");

        var any = await EvaluateAsync(history, "last passing", 120, "1.1.0", record: false);
        var same = await EvaluateAsync(history, "last passing same branch", 120, "1.1.0", record: false);

        Assert.Equal(300.0, RelativeP95(any).Baseline);
        Assert.Equal((100.0, GateStatus.Failed), (RelativeP95(same).Baseline!.Value, RelativeP95(same).Status));
    }

    [Fact]
    public async Task A_baseline_from_another_machine_compares_coverage_but_not_latency_and_says_why()
    {
        var history = await CreateAsync();
        await EvaluateAsync(history, "last passing", 100, "1.0.0", machine: OtherMachine, coverage: 80);

        var report = await EvaluateAsync(history, "last passing", 500, "1.1.0", coverage: 70, record: false);

        Assert.Equal((null, GateStatus.Skipped), (RelativeP95(report).Baseline, RelativeP95(report).Status));
        Assert.Equal((80.0, GateStatus.Failed), (RelativeLine(report).Baseline!.Value, RelativeLine(report).Status));
        Assert.Equal(BaselineUse.AllButPerformance, Assert.Single(report.History!.Baseline).Use);
        Assert.Contains("ran on another machine (CPU model 'Intel Xeon Platinum 8375C' vs 'AMD EPYC 9R14', core count '8' vs '2')",
            Assert.Single(report.History.Notes), StringComparison.Ordinal);
        Assert.Equal(ReleaseDecision.NoGo, report.Decision);
    }

    [Fact]
    public async Task With_no_fingerprint_fields_every_machine_is_compatible()
    {
        var history = await CreateAsync();
        await EvaluateAsync(history, "last passing", 100, "1.0.0", machine: OtherMachine);

        var report = await EvaluateAsync(history, "last passing", 500, "1.1.0", record: false, fields: FingerprintFields.None);

        Assert.Equal((100.0, GateStatus.Failed), (RelativeP95(report).Baseline!.Value, RelativeP95(report).Status));
    }

    [Fact]
    public async Task A_gate_that_flips_status_is_reported_flapping_and_trends_carry_the_earlier_values()
    {
        var history = await CreateAsync();
        await EvaluateAsync(history, "pinned 1.0.0", 100, "1.0.0");
        foreach (var (p95, version) in new[] { (150.0, "1.1.0"), (100.0, "1.2.0"), (150.0, "1.3.0") })
        {
            await EvaluateAsync(history, "pinned 1.0.0", p95, version);
        }

        var report = await EvaluateAsync(history, "pinned 1.0.0", 100, "1.4.0");

        var flapping = Assert.Single(report.FindGate("latency")!.Findings, f => f.Code == "history.flapping");
        Assert.Equal(FindingSeverity.Info, flapping.Severity);
        Assert.Contains("changed status 4 times in its last 5 evaluations", flapping.Message, StringComparison.Ordinal);
        Assert.Equal(GateStatus.Passed, report.FindGate("latency")!.Status);
        Assert.DoesNotContain(report.FindGate("coverage")!.Findings, f => f.Code == "history.flapping");
        var trend = Assert.Single(report.History!.Trends, t => t.Gate == "latency");
        Assert.Equal([150.0, 100, 150, 100], trend.Points.Select(p => p.Value!.Value));
        Assert.Contains("Since the previous evaluation", report.ToText(), StringComparison.Ordinal);
        Assert.Contains("-33.3%", report.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_watch_records_its_final_report_once()
    {
        var history = await CreateAsync();
        var request = new EvaluationRequest
        {
            History = new EvaluationHistory(history) { Baseline = BaselineRule.LastPassing, Fingerprint = Machine },
        };

        var report = await Evaluator(100).WatchAsync(new WatchOptions { Request = request, Interval = TimeSpan.FromMilliseconds(10), Count = 3 }, Ct);

        var entry = Assert.Single(await history.ListAsync(new HistoryQuery(), Ct));
        Assert.Equal(entry.Id, report.History!.RecordedId);
        Assert.NotNull((await history.ReadReportAsync(entry.Id, Ct))!.Watch);
    }
}
