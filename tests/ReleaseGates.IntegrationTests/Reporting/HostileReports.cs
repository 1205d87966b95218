using System.Globalization;

namespace ReleaseGates.IntegrationTests.Reporting;

/// <summary>Reports built to break a page: markup, quotes, control characters and very long values in every string from evidence; and a large one.</summary>
public static class HostileReports
{
    public const string Script = "<script>window.__pwned = 1</script>";
    public const string Image = "\"><img src=x onerror=\"window.__pwned = 2\">";

    public static ReleaseReport Create()
    {
        var longValue = new string('W', 10_000);
        var condition = GateCondition.Parse("p(95) < 300ms");
        var gates = new[]
        {
            new GateReport
            {
                Name = "gate " + Script,
                Category = "perf" + Image,
                Status = GateStatus.Failed,
                Summary = "bell\aand\0null " + Script + " " + longValue,
                Tags = [Image, "'single'"],
                Measurements = [Measurement.Evaluate("p(95)", 420, MetricUnit.Milliseconds, condition) with { Target = Image + longValue }],
                Findings =
                [
                    new Finding("header.echo", FindingSeverity.Error, "Echoed " + Script) { Target = "src/Orders Api/Program.cs", Line = 12, Observed = Image + "\u0085\u2028", Remediation = longValue },
                    new Finding("link.escape", FindingSeverity.Warning, "parent path") { Target = "../../etc/passwd", Line = 1 },
                    new Finding("link.scheme", FindingSeverity.Warning, "a scheme") { Target = "javascript:window.__pwned=3", Line = 2 },
                    new Finding("link.url", FindingSeverity.Info, "a URL") { Target = "https://example.invalid/x", Line = 3 },
                ],
                Distributions = [new PercentileCurve("latency" + Script, MetricUnit.Milliseconds, [new(0, 1), new(50, 10), new(99, 400), new(100, 900)]) { Count = 1000, Target = Image, Resolution = Script }],
            },
            new GateReport { Name = Image, Category = longValue, Status = GateStatus.Error, Summary = Image },
        };
        return new ReleaseReport
        {
            Subject = new ReleaseSubject { Service = Script, Version = Image, Commit = "\u001b[31mred" },
            Scoring = new ScoringOptions(),
            Decision = ReleaseDecision.NoGo,
            Score = 0,
            StartedAt = new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero),
            Gates = gates,
            Categories = [new CategoryScore("perf" + Image, 0, 1, 1)],
            Reasons = [Script, Image, longValue],
            DecidingGates = [gates[0].Name],
            Waivers =
            [
                new WaiverReport
                {
                    Waiver = new Waiver { Id = Script, Gate = Image, Reason = longValue, ApprovedBy = "@team " + Image, Expires = new DateOnly(2027, 1, 1), Link = new Uri("javascript:alert(1)") },
                    State = WaiverState.Unused,
                },
            ],
        };
    }

    /// <summary>A report of <paramref name="gates"/> gates of ordinary size: three measurements, two findings and a latency curve each.</summary>
    public static ReleaseReport Large(int gates)
    {
        var list = Enumerable.Range(0, gates).Select(i => new GateReport
        {
            Name = "gate-" + i.ToString(CultureInfo.InvariantCulture),
            Category = "category-" + (i % 7).ToString(CultureInfo.InvariantCulture),
            Status = i % 10 == 0 ? GateStatus.Failed : GateStatus.Passed,
            Summary = $"p95 {i} ms, 1000 requests from GET /api/orders/{{id}} (in-process metrics)",
            Measurements =
            [
                Measurement.Evaluate("p(95)", i % 10 == 0 ? 420 : 120, MetricUnit.Milliseconds, GateCondition.Parse("p(95) < 300ms warn 200ms")) with { Target = "GET /api/orders/{id}" },
                Measurement.Evaluate("p(99)", 250, MetricUnit.Milliseconds, GateCondition.Parse("p(99) < 1s")) with { Target = "GET /api/orders/{id}" },
                new Measurement("count", 1000, MetricUnit.Count),
            ],
            Findings =
            [
                new Finding("coverage.worst-file", FindingSeverity.Info, "12 of 40 lines covered (30.0%)") { Target = $"src/File{i}.cs" },
                new Finding("checklist.open", FindingSeverity.Info, "'Blog post drafted': not ticked.") { Target = "RELEASE_CHECKLIST.md", Line = 26 },
            ],
            Distributions = [new PercentileCurve("latency", MetricUnit.Milliseconds,
                [.. PercentileCurve.Ladder.Select(p => new PercentilePoint(p, 10 + (p * p / 40)))]) { Count = 1000 }],
        }).ToList();
        return new ReleaseReport
        {
            Scoring = new ScoringOptions(),
            Decision = ReleaseDecision.NoGo,
            Score = 90,
            Gates = list,
            Categories = [.. Enumerable.Range(0, 7).Select(c => new CategoryScore("category-" + c.ToString(CultureInfo.InvariantCulture), 90, 1, gates / 7))],
        };
    }
}
