namespace ReleaseGates.Tests.Gates.Slo;

/// <summary>The SLO gate over ratios recorded by Sloth's rules: judged as they stand, and never a pass without a usable ratio.</summary>
public class SloRecordedRatiosTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Month = TimeSpan.FromDays(30);

    private static SloGateOptions Options()
    {
        var options = new SloGateOptions { Objective = 0.999, Window = Month };
        options.BurnRates.Clear();
        options.BurnRates.Add(new SloBurnRateRule { LongWindow = Hour, ShortWindow = FiveMinutes, Threshold = 14.4 });
        return options;
    }

    private static GateResult Judge(double? month, double? hour, double? fiveMinutes)
        => SloGate.JudgeRatios(new Dictionary<TimeSpan, double?> { [Month] = month, [Hour] = hour, [FiveMinutes] = fiveMinutes }, Options(),
            "slo:sli_error:ratio_rate<window>{sloth_id=\"x\"}");

    private static double Value(GateResult result, string name) => result.Measurements.Single(m => m.Name == name).Value;

    [Fact]
    public void The_budget_and_burn_rates_come_from_the_recorded_ratios()
    {
        var result = Judge(0.0005, 0.0002, 0.0001);

        Assert.Equal(GateStatus.Passed, result.Status);
        Assert.Equal(99.95, Value(result, "sli"), 9);
        Assert.Equal(50, Value(result, "budget-remaining"), 9);
        Assert.Equal(0.2, Value(result, "burn-rate-1h"), 9);
        Assert.Contains(result.Findings, f => f.Code == "slo.recorded-ratios" && f.Message.Contains("carry no counts", StringComparison.Ordinal));
    }

    [Fact]
    public void A_fast_burn_and_a_spent_budget_fail()
    {
        var burning = Judge(0.0005, 0.02, 0.03);
        Assert.Equal(GateStatus.Failed, burning.Status);
        Assert.Contains(burning.Findings, f => f.Code == "slo.burn-rate" && f.Message.Contains("20× over 1h and 30× over 5m", StringComparison.Ordinal));

        var spent = Judge(0.0012, 0.0001, 0.0001);
        Assert.Equal(GateStatus.Failed, spent.Status);
        Assert.Equal(-20, Value(spent, "budget-remaining"), 9);
    }

    [Fact]
    public void A_missing_or_nan_ratio_is_inconclusive_never_a_pass()
    {
        var noTraffic = Judge(double.NaN, 0.0001, 0.0001);        // Sloth's 0/0 when nothing was served
        Assert.Equal(GateStatus.Skipped, noTraffic.Status);
        Assert.Contains("no usable recorded ratio for the SLO's 30d window", noTraffic.Summary, StringComparison.Ordinal);
        Assert.Contains("gave NaN", noTraffic.Summary, StringComparison.Ordinal);

        var noShortWindow = Judge(0.0001, 0.0001, null);
        Assert.Equal(GateStatus.Skipped, noShortWindow.Status);
        Assert.Contains("the 1h/5m burn rate has no usable recorded ratio", noShortWindow.Summary, StringComparison.Ordinal);

        Assert.Equal(GateStatus.Skipped, Judge(1.5, 0.0001, 0.0001).Status);  // not a ratio
    }

    [Fact]
    public void Recorded_ratios_exclude_a_source_and_what_only_counts_can_do()
    {
        var options = new SloGateOptions
        {
            RecordedRatios = new SloRecordedRatios { Connection = { BaseAddress = new Uri("http://127.0.0.1:9/") }, MetricPattern = "slo:ratio" },
            Source = RequestMetricsSource.FromDelegate(RequestMetricsCapabilities.Errors | RequestMetricsCapabilities.Windows, "x",
                _ => ValueTask.FromResult(new RequestMetrics())),
            BudgetingMethod = SloBudgetingMethod.Timeslices,
            TimesliceTarget = 0.9,
        };
        var problems = new List<string>();

        options.Validate(problems);

        Assert.Contains(problems, p => p.StartsWith("RecordedRatios.Selector is required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("RecordedRatios.MetricPattern is a metric name with {window}", StringComparison.Ordinal));
        Assert.Contains("Set Source or RecordedRatios, not both.", problems);
        Assert.Contains(problems, p => p.StartsWith("With RecordedRatios the ratios are the rules' own", StringComparison.Ordinal));
    }
}
