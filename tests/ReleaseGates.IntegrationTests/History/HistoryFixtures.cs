namespace ReleaseGates.IntegrationTests.History;

/// <summary>Reports and evaluators the history tests record: a latency gate whose p95 is set per run and held to <c>p(95) &lt;= +10%</c>.</summary>
internal static class HistoryFixtures
{
    public static readonly EnvironmentFingerprint Machine = new()
    {
        OperatingSystem = "Debian GNU/Linux 13", CpuModel = "AMD EPYC 9R14", CoreCount = 2, MemoryBytes = 24L << 30, RuntimeVersion = "10.0.1",
    };

    public static readonly EnvironmentFingerprint OtherMachine = Machine with { CpuModel = "Intel Xeon Platinum 8375C", CoreCount = 8 };

    /// <summary>An evaluator with a passing smoke gate, a latency gate measuring <paramref name="p95"/> ms and a coverage gate measuring <paramref name="coverage"/> %.</summary>
    public static IReleaseGateEvaluator Evaluator(double p95, double coverage = 80, string version = "1.0.0", string service = "checkout",
        string environment = "staging", string branch = "main")
        => ReleaseGate.CreateBuilder()
            .Configure(o => o.Subject = new ReleaseSubject { Service = service, Environment = environment, Version = version, Branch = branch, Commit = "abc" })
            .AddGate("smoke", (_, _) => ValueTask.FromResult(GateResult.Passed("every endpoint answered")))
            .AddGate("latency", (context, _) =>
            {
                var m = Measurement.Evaluate("p(95)", p95, MetricUnit.Milliseconds, GateCondition.Parse("p(95) <= +10%"),
                    context.Baseline?.Find("p(95)")?.Value);
                return ValueTask.FromResult(GateResult.FromEvidence($"p95 {p95} ms", [m]));
            })
            .AddGate("coverage", (context, _) =>
            {
                var m = Measurement.Evaluate("line", coverage, MetricUnit.Percent, GateCondition.Parse("line >= -1%"),
                    context.Baseline?.Find("line")?.Value);
                return ValueTask.FromResult(GateResult.FromEvidence($"line {coverage} %", [m]));
            })
            .Build();

    /// <summary>A report as an evaluation makes it, for recording directly.</summary>
    public static Task<ReleaseReport> ReportAsync(double p95, string version = "1.0.0", string service = "checkout", string environment = "staging",
        string branch = "main", double coverage = 80)
        => Evaluator(p95, coverage, version, service, environment, branch).EvaluateAsync(null, TestContext.Current.CancellationToken);

    /// <summary>Evaluates with the history and a baseline rule.</summary>
    public static Task<ReleaseReport> EvaluateAsync(IReleaseHistory history, string rule, double p95, string version, EnvironmentFingerprint? machine = null,
        double coverage = 80, bool record = true, string branch = "main", FingerprintFields fields = FingerprintFields.Default)
    {
        var request = new EvaluationRequest
        {
            History = new EvaluationHistory(history)
            {
                Baseline = BaselineRule.Parse(rule) with { Fingerprint = fields }, Fingerprint = machine ?? Machine, Record = record,
            },
        };
        return Evaluator(p95, coverage, version, branch: branch).EvaluateAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>The relative p95 measurement of a report: its value, the baseline it was compared with and its status.</summary>
    public static Measurement RelativeP95(ReleaseReport report) => report.FindGate("latency")!.Measurements.Single();

    /// <summary>The relative line-coverage measurement of a report.</summary>
    public static Measurement RelativeLine(ReleaseReport report) => report.FindGate("coverage")!.Measurements.Single();
}
