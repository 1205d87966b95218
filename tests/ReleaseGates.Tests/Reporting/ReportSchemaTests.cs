using System.Text.Json;
using System.Text.RegularExpressions;
using static ReleaseGates.Tests.Support.TestGates;

namespace ReleaseGates.Tests.Reporting;

/// <summary>Keeps docs/report.schema.json honest: every property, enum value and pattern the writer produces is in the schema.</summary>
public class ReportSchemaTests
{
    [Fact]
    public async Task The_json_report_conforms_to_the_published_schema()
    {
        var report = await ReleaseGate.CreateBuilder()
            .Configure(o => { o.Subject = new ReleaseSubject { Service = "s", Version = "v", Commit = "c", Environment = "e" }; o.Scoring.CategoryWeights["performance"] = 2; })
            .AddGate("latency", Returning(LatencyResult(250)), o => { o.Category = GateCategories.Performance; o.Tags.Add("load"); })
            .AddGate("headers", Returning(GateResult.FromEvidence("b", [new Measurement("grade", double.NaN, MetricUnit.Score) { Target = "t", Baseline = 1 }], [new Finding("hsts.max-age-too-short", FindingSeverity.Warning, "m") { Target = "t", Observed = "max-age=60", Remediation = "app.UseHsts();" }])))
            .AddGate("boom", (_, _) => throw new InvalidOperationException("x"), o => o.ReportOnly = true)
            .EvaluateAsync(TestContext.Current.CancellationToken);

        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(Support.Repository.Root, "docs", "report.schema.json")));
        using var json = JsonDocument.Parse(report.ToJson());
        var problems = new List<string>();
        Check(schema.RootElement, schema.RootElement, json.RootElement, "$", problems);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task A_report_with_a_latency_distribution_conforms_to_the_published_schema_and_reads_back()
    {
        var histogram = new ReleaseGates.Metrics.LatencyHistogram();
        for (var i = 1; i <= 1000; i++)
        {
            histogram.Record(i * 100_000L);
        }

        var curve = PercentileCurve.FromHistogram("latency", histogram, "load probe");
        var report = await ReleaseGate.CreateBuilder()
            .AddGate("latency", Returning(LatencyResult(250).WithDistributions([curve])))
            .EvaluateAsync(TestContext.Current.CancellationToken);

        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(Support.Repository.Root, "docs", "report.schema.json")));
        using var json = JsonDocument.Parse(report.ToJson());
        var problems = new List<string>();
        Check(schema.RootElement, schema.RootElement, json.RootElement, "$", problems);
        Assert.Empty(problems);
        var read = ReleaseReport.FromJson(report.ToJson()).Gates.Single().Distributions.Single();
        Assert.Equal(curve.Points, read.Points);
        Assert.Equal((1000L, "load probe", MetricUnit.Milliseconds), (read.Count, read.Target, read.Unit));
        Assert.Equal(new PercentilePoint(100, 100), read.Points[^1]);   // the maximum, exact: 1000 × 0.1 ms
    }

    [Fact]
    public async Task A_report_with_waivers_conforms_to_the_published_schema()
    {
        var csp = new Finding("csp.missing", FindingSeverity.Error, "m") { Target = "https://127.0.0.1/" };
        var report = await ReleaseGate.CreateBuilder()
            .AddGate("headers", Returning(GateResult.FromEvidence("b", [], [csp])))
            .AddGate("latency", Returning(LatencyResult(450)))
            .AddWaiver(new Waiver { Id = "SEC-1", Gate = "headers", Finding = "csp.missing", Target = "*127.0.0.1*", Reason = "r", ApprovedBy = "a", Expires = DateOnly.MaxValue, Link = new Uri("https://tracker.example/SEC-1") })
            .AddWaiver(new Waiver { Id = "PERF-1", Gate = "latency", Measurement = "p(95)", Reason = "r", ApprovedBy = "a", Expires = DateOnly.MaxValue })
            .AddWaiver(new Waiver { Id = "OLD-1", Gate = "latency", Measurement = "p(99)", Reason = "r", ApprovedBy = "a", Expires = new DateOnly(2001, 1, 1) })
            .EvaluateAsync(TestContext.Current.CancellationToken);

        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(Support.Repository.Root, "docs", "report.schema.json")));
        using var json = JsonDocument.Parse(report.ToJson());
        var problems = new List<string>();
        Check(schema.RootElement, schema.RootElement, json.RootElement, "$", problems);
        Assert.Empty(problems);
        Assert.Equal(3, json.RootElement.GetProperty("waivers").GetArrayLength());
    }

    [Fact]
    public async Task A_watchs_report_conforms_to_the_published_schema()
    {
        var round = 0;
        var report = await ReleaseGate.CreateBuilder()
            .AddGate("canary", (_, _) => ValueTask.FromResult(Interlocked.Increment(ref round) == 1 ? GateResult.Passed("ok") : GateResult.Failed("no")))
            .Build()
            .WatchAsync(new WatchOptions { Interval = TimeSpan.FromMilliseconds(1), Count = 3 }, TestContext.Current.CancellationToken);

        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(Support.Repository.Root, "docs", "report.schema.json")));
        using var json = JsonDocument.Parse(report.ToJson());
        var problems = new List<string>();
        Check(schema.RootElement, schema.RootElement, json.RootElement, "$", problems);
        Assert.Empty(problems);
        Assert.True(json.RootElement.TryGetProperty("watch", out var watch));
        Assert.Equal(2, watch.GetProperty("rounds").GetArrayLength());
    }

    [Fact]
    public async Task A_report_with_a_history_section_conforms_to_the_published_schema()
    {
        var report = await ReleaseGate.CreateBuilder()
            .Configure(o => o.Subject = new ReleaseSubject { Service = "s", Branch = "main" })
            .AddGate("latency", Returning(LatencyResult(250)))
            .EvaluateAsync(TestContext.Current.CancellationToken);
        var point = new TrendPoint { EvaluationId = 3, Version = "1.2", StartedAt = report.StartedAt, Decision = ReleaseDecision.Go, Value = 240, Unit = MetricUnit.Milliseconds };
        report = report.WithHistory(new HistoryReport
        {
            Store = "SQLite h.db",
            Fingerprint = EnvironmentFingerprint.Current("ci"),
            BaselineRule = "median of 3",
            FingerprintFields = FingerprintFields.CpuModel | FingerprintFields.RunnerLabel,
            Baseline = [new BaselineSource { Id = 3, Subject = new ReleaseSubject { Service = "s", Version = "1.2", Branch = "main" }, Use = BaselineUse.AllButPerformance }],
            Aggregate = "median",
            Notes = ["n"],
            BaselineError = "e",
            Problems = ["p"],
            BaselineDecision = ReleaseDecision.Go,
            Trends = [new MeasurementTrend { Gate = "latency", Measurement = "p(95)", Unit = MetricUnit.Milliseconds, Points = [point, point with { Value = null }] }],
            RecordedId = 4,
        });

        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(Support.Repository.Root, "docs", "report.schema.json")));
        using var json = JsonDocument.Parse(report.ToJson());
        var problems = new List<string>();
        Check(schema.RootElement, schema.RootElement, json.RootElement, "$", problems);
        Assert.Empty(problems);
        Assert.Equal(report.ToJson(), ReleaseReport.FromJson(report.ToJson()).ToJson());
    }

    private static void Check(JsonElement root, JsonElement schema, JsonElement value, string path, List<string> problems)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            Check(root, root.GetProperty("$defs").GetProperty(name), value, path, problems);
            return;
        }

        if (schema.TryGetProperty("oneOf", out var oneOf))
        {
            var matches = oneOf.EnumerateArray().Count(option =>
            {
                var inner = new List<string>();
                Check(root, option, value, path, inner);
                return inner.Count == 0;
            });
            if (matches != 1)
            {
                problems.Add($"{path}: matches {matches} of the oneOf options");
            }

            return;
        }

        if (schema.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(v => v.ToString() == value.ToString()))
        {
            problems.Add($"{path}: '{value}' is not in the enum");
        }

        if (schema.TryGetProperty("const", out var constant) && constant.GetRawText() != value.GetRawText())
        {
            problems.Add($"{path}: expected {constant}");
        }

        if (schema.TryGetProperty("pattern", out var pattern) && value.ValueKind == JsonValueKind.String && !Regex.IsMatch(value.GetString()!, pattern.GetString()!))
        {
            problems.Add($"{path}: '{value}' does not match {pattern}");
        }

        if (schema.TryGetProperty("type", out var type))
        {
            var ok = type.GetString() switch
            {
                "object" => value.ValueKind == JsonValueKind.Object,
                "array" => value.ValueKind == JsonValueKind.Array,
                "string" => value.ValueKind == JsonValueKind.String,
                "number" => value.ValueKind == JsonValueKind.Number,
                "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
                "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
                _ => true,
            };
            if (!ok)
            {
                problems.Add($"{path}: expected {type}, found {value.ValueKind}");
                return;
            }
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            var properties = schema.TryGetProperty("properties", out var p) ? p : default;
            foreach (var property in value.EnumerateObject())
            {
                if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out var propertySchema))
                {
                    Check(root, propertySchema, property.Value, $"{path}.{property.Name}", problems);
                }
                else if (schema.TryGetProperty("additionalProperties", out var additional))
                {
                    if (additional.ValueKind == JsonValueKind.False)
                    {
                        problems.Add($"{path}.{property.Name}: not in the schema");
                    }
                    else if (additional.ValueKind == JsonValueKind.Object)
                    {
                        Check(root, additional, property.Value, $"{path}.{property.Name}", problems);
                    }
                }
            }

            if (schema.TryGetProperty("required", out var required))
            {
                foreach (var name in required.EnumerateArray().Select(r => r.GetString()!).Where(n => !value.TryGetProperty(n, out _)))
                {
                    problems.Add($"{path}.{name}: required but missing");
                }
            }
        }

        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                Check(root, items, item, $"{path}[{i++}]", problems);
            }
        }
    }
}
