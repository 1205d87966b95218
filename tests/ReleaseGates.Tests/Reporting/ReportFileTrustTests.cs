using System.Text.Json.Nodes;
using static ReleaseGates.Tests.Support.TestGates;

namespace ReleaseGates.Tests.Reporting;

/// <summary>A report read from a file is evidence to re-check, never a verdict to trust; every problem names where it is.</summary>
public class ReportFileTrustTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<ReleaseReport> FailedRequiredGate() => ReleaseGate.CreateBuilder()
        .AddGate("latency", Returning(LatencyResult(450)))
        .AddGate("coverage", Returning(GateResult.FromEvidence("line 90 %", [Measurement.Evaluate("line", 0.9, MetricUnit.Ratio, GateCondition.Parse("line >= 85%"))])))
        .EvaluateAsync(Ct);

    [Fact]
    public async Task A_stored_go_over_a_failed_required_gate_is_read_as_no_go()
    {
        var report = await FailedRequiredGate();
        Assert.Equal(ReleaseDecision.NoGo, report.Decision);
        var forged = JsonNode.Parse(report.ToJson())!;
        forged["decision"] = "Go";
        forged["reasons"] = new JsonArray("All gates passed.");
        forged["gates"]![0]!["status"] = "Passed";

        var read = ReleaseReport.FromJson(forged.ToJsonString());

        Assert.Equal(ReleaseDecision.NoGo, read.Decision);
        Assert.Equal(GateStatus.Failed, read.FindGate("latency")!.Status);
        Assert.Equal(ReleaseExitCodes.NoGo, read.GetExitCode());
        Assert.Throws<ReleaseNotReadyException>(() => read.EnsureGo());
        Assert.Contains("\"decision\": \"NoGo\"", read.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stored_decision_stricter_than_the_evidence_is_kept()
    {
        var report = await ReleaseGate.CreateBuilder().AddGate("latency", Returning(LatencyResult(100))).EvaluateAsync(Ct);
        Assert.Equal(ReleaseDecision.Go, report.Decision);
        var stricter = JsonNode.Parse(report.ToJson())!;
        stricter["decision"] = "NoGo";
        stricter["reasons"] = new JsonArray("Stopped by hand.");

        var read = ReleaseReport.FromJson(stricter.ToJsonString());

        Assert.Equal(ReleaseDecision.NoGo, read.Decision);
        Assert.Equal(["Stopped by hand."], read.Reasons);
    }

    [Fact]
    public async Task A_report_written_by_the_library_reads_back_exactly()
    {
        var report = await FailedRequiredGate();
        Assert.Equal(report.ToJson(), ReleaseReport.FromJson(report.ToJson()).ToJson());
    }

    [Fact]
    public async Task A_watch_report_that_ended_no_go_reads_back_with_its_watch_reason_first()
    {
        var last = await FailedRequiredGate();
        const string Reason = "Watch ended after 3 rounds; the last one was NO-GO.";
        var round = new WatchRound { Number = 3, StartedAt = last.StartedAt, Duration = last.Duration, Decision = ReleaseDecision.NoGo, Outcome = WatchRoundOutcome.Failed };
        var watch = last.WithWatch(ReleaseDecision.NoGo, Reason, new WatchSummary { Rounds = [round], Decision = ReleaseDecision.NoGo, Reason = Reason });

        var read = ReleaseReport.FromJson(watch.ToJson());

        Assert.Equal(Reason, read.Reasons[0]);
        Assert.Equal(watch.ToJson(), read.ToJson());
    }

    [Fact]
    public async Task Null_category_weights_are_the_documented_format_error()
    {
        var json = JsonNode.Parse((await FailedRequiredGate()).ToJson())!;
        json["scoring"]!["categoryWeights"] = null;

        var ex = Assert.Throws<ReleaseReportFormatException>(() => ReleaseReport.FromJson(json.ToJsonString()));
        Assert.Contains("categoryWeights", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_condition_written_as_an_object_names_its_json_path()
    {
        var json = JsonNode.Parse((await FailedRequiredGate()).ToJson())!;
        json["gates"]![0]!["measurements"]![0]!["condition"] = new JsonObject { ["op"] = "<" };

        var ex = Assert.Throws<ReleaseReportFormatException>(() => ReleaseReport.FromJson(json.ToJsonString()));
        Assert.Contains("$.gates[0].measurements[0].condition", ex.Message, StringComparison.Ordinal);
        Assert.Contains("written as a string", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_file_is_read_as_a_regular_file_and_its_problems_name_the_path()
    {
        using var folder = Support.Fixtures.CreateTempFolder();
        var good = folder.Write("report.json", (await FailedRequiredGate()).ToJson());
        var bad = folder.Write("bad.json", """{ "schemaVersion": 1, "gates": 3 }""");

        Assert.Equal(ReleaseDecision.NoGo, (await ReleaseReport.ReadJsonFileAsync(good, Ct)).Decision);
        var malformed = await Assert.ThrowsAsync<ReleaseReportFormatException>(() => ReleaseReport.ReadJsonFileAsync(bad, Ct));
        Assert.StartsWith(bad + ":", malformed.Message, StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<ReleaseReportFormatException>(() => ReleaseReport.ReadJsonFileAsync(Path.Combine(folder.Path, "none.json"), Ct));
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
        if (OperatingSystem.IsLinux())
        {
            var device = await Assert.ThrowsAsync<ReleaseReportFormatException>(() => ReleaseReport.ReadJsonFileAsync("/dev/zero", Ct));
            Assert.Contains("not a regular file", device.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Sarif_writes_a_measurement_that_is_not_finite_as_text()
    {
        var report = await ReleaseGate.CreateBuilder()
            .AddGate("odd", Returning(new GateResult(GateStatus.Failed, "no number", [new Measurement("ratio", double.NaN, MetricUnit.Ratio) { Status = GateStatus.Failed }, new Measurement("max", double.PositiveInfinity, MetricUnit.Milliseconds) { Status = GateStatus.Failed }])))
            .EvaluateAsync(Ct);

        using var sarif = System.Text.Json.JsonDocument.Parse(report.ToSarif("releasegates.json"));
        var values = sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
            .Where(r => r.GetProperty("properties").TryGetProperty("value", out _))
            .Select(r => r.GetProperty("properties").GetProperty("value").GetString()).ToList();
        Assert.Equal(["NaN", "Infinity"], values);
    }

    [Fact]
    public async Task Writing_to_a_folder_writes_every_file_it_can_and_names_the_one_it_could_not()
    {
        using var folder = Support.Fixtures.CreateTempFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "report.md")); // a folder where report.md belongs
        var report = await FailedRequiredGate();

        var ex = await Assert.ThrowsAsync<IOException>(() => report.WriteToDirectoryAsync(folder.Path, Ct));

        Assert.Contains("report.md", ex.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder.Path, "report.json")));
        Assert.True(File.Exists(Path.Combine(folder.Path, "junit.xml")));
    }
}
