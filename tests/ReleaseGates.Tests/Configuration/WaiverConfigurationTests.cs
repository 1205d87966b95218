using System.Text;
using Microsoft.Extensions.Time.Testing;
using ReleaseGates.Tests.Support;
using static ReleaseGates.Tests.Support.TestGates;

namespace ReleaseGates.Tests.Configuration;

/// <summary>Waivers in releasegates.json, or in a waivers file of their own reviewed beside it.</summary>
public class WaiverConfigurationTests
{
    private static IReleaseGatesBuilder WithJson(ReleaseGatesBuilder builder, string json)
        => builder.AddFromJson(new MemoryStream(Encoding.UTF8.GetBytes(json)), "waivers.json", Fixtures.Root);

    [Fact]
    public async Task A_file_of_waivers_applies_to_gates_registered_in_csharp()
    {
        var builder = ReleaseGate.CreateBuilder()
            .UseTimeProvider(new FakeTimeProvider(new DateTimeOffset(2027, 3, 10, 9, 0, 0, TimeSpan.Zero)))
            .AddGate("latency", Returning(LatencyResult(450)));
        WithJson(builder, """
            {
              "waivers": [
                {
                  "id": "PERF-9",
                  "gate": "latency",
                  "measurement": "p(95)",
                  "reason": "Cold cache in the new region; re-measured after warm-up.",
                  "approvedBy": "sre-lead",
                  "expires": "2027-03-20",
                  "link": "https://tracker.example/PERF-9"
                }
              ]
            }
            """);

        var report = await builder.EvaluateAsync(TestContext.Current.CancellationToken);
        Assert.Equal(ReleaseDecision.Go, report.Decision);
        var entry = Assert.Single(report.Waivers);
        Assert.Equal(WaiverState.Applied, entry.State);
        Assert.Equal(new DateOnly(2027, 3, 20), entry.Waiver.Expires);
        Assert.Equal(new Uri("https://tracker.example/PERF-9"), entry.Waiver.Link);
    }

    [Fact]
    public void A_bad_waiver_is_a_problem_at_its_line_and_column()
    {
        var error = Assert.Throws<ReleaseGatesConfigurationException>(() => WithJson(ReleaseGate.CreateBuilder(), """
            {
              "waivers": [
                { "id": "A", "gate": "g", "finding": "x", "reason": "r", "approvedBy": "p", "expires": "31/03/2027" },
                { "id": "B", "gate": "g", "finding": "x", "measurement": "y", "approvedBy": "p", "expires": "2027-03-31" },
                { "id": "b", "gate": "g", "finding": "x", "reason": "r", "approvedBy": "p", "expires": "2027-03-31", "owner": "me" }
              ]
            }
            """));

        Assert.Equal(
            [
                "waivers.json:3:92: waivers[0].expires: '31/03/2027' is not a date such as \"2027-01-31\" (yyyy-MM-dd).",
                "waivers.json:4:5: waivers[1]: set exactly one of Finding (a finding code) and Measurement (a measurement's name).",
                "waivers.json:4:5: waivers[1]: Reason must say why the release may ship with it.",
                "waivers.json:5:106: waivers[2].owner: unknown property 'owner'; expected one of: approvedBy, expires, finding, gate, id, link, measurement, reason, target.",
            ],
            error.Problems);
    }

    [Fact]
    public void A_waivers_own_checks_are_placed_at_the_waiver()
    {
        var error = Assert.Throws<ReleaseGatesConfigurationException>(() => WithJson(ReleaseGate.CreateBuilder(), """
            {
              "waivers": [
                { "id": "B", "gate": "g", "finding": "x", "measurement": "y", "approvedBy": "p", "expires": "2027-03-31" },
                { "id": "b", "gate": "g", "finding": "x", "reason": "r", "approvedBy": "p", "expires": "2027-03-31" }
              ]
            }
            """));

        Assert.Equal(
            [
                "waivers.json:3:5: waivers[0]: set exactly one of Finding (a finding code) and Measurement (a measurement's name).",
                "waivers.json:3:5: waivers[0]: Reason must say why the release may ship with it.",
                "waivers.json:4:5: waivers[1]: a second waiver with the Id 'b'; ids must be unique.",
            ],
            error.Problems);
    }

    [Fact]
    public async Task Waivers_may_live_in_a_file_of_their_own_named_by_the_configuration()
    {
        var folder = Directory.CreateTempSubdirectory("rg-waivers-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "waivers.json"), """
                { "$schema": "x", "waivers": [ { "id": "PERF-9", "gate": "latency", "measurement": "p(95)", "reason": "r", "approvedBy": "a", "expires": "2027-03-20" } ] }
                """, TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(Path.Combine(folder, "releasegates.json"), """{ "waivers": "waivers.json" }""", TestContext.Current.CancellationToken);
            var builder = ReleaseGate.CreateBuilder()
                .UseTimeProvider(new FakeTimeProvider(new DateTimeOffset(2027, 3, 10, 9, 0, 0, TimeSpan.Zero)))
                .AddGate("latency", Returning(LatencyResult(450)))
                .AddWaiver(new Waiver { Id = "CS-1", Gate = "latency", Finding = "none", Reason = "r", ApprovedBy = "a", Expires = new DateOnly(2027, 3, 20) })
                .AddFromJsonFile(Path.Combine(folder, "releasegates.json"));

            var report = await builder.EvaluateAsync(TestContext.Current.CancellationToken);
            Assert.Equal(ReleaseDecision.Go, report.Decision);
            Assert.Equal(["CS-1", "PERF-9"], report.Waivers.Select(w => w.Waiver.Id)); // the file's are added to those set in C#
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_waivers_file_that_is_missing_or_holds_more_than_waivers_is_a_problem()
    {
        var folder = Directory.CreateTempSubdirectory("rg-waivers-").FullName;
        try
        {
            var missing = Assert.Throws<ReleaseGatesConfigurationException>(() => ReleaseGate.CreateBuilder()
                .AddFromJson(new MemoryStream(Encoding.UTF8.GetBytes("""{ "waivers": "nowhere.json" }""")), "releasegates.json", folder));
            Assert.StartsWith("releasegates.json:1:14: waivers: the waivers file nowhere.json does not exist.", Assert.Single(missing.Problems), StringComparison.Ordinal);

            File.WriteAllText(Path.Combine(folder, "w.json"), """{ "gates": {}, "waivers": [ { "id": "A" } ] }""");
            var extra = Assert.Throws<ReleaseGatesConfigurationException>(() => ReleaseGate.CreateBuilder()
                .AddFromJson(new MemoryStream(Encoding.UTF8.GetBytes("""{ "waivers": "w.json" }""")), "releasegates.json", folder));
            Assert.Contains("w.json:1:3: 'gates' has no place in a waivers file, which holds \"waivers\" only.", extra.Problems);
            Assert.Contains(extra.Problems, p => p.StartsWith("w.json:1:29: waivers[0]: Gate must name the gate", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
