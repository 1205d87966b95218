using System.Text;

namespace ReleaseGates.Tests.Configuration;

/// <summary>The SLO gate in releasegates.json: its options bound as in C#, its rules and conditions checked with the file's positions.</summary>
public sealed class SloConfigurationTests
{
    private static IReleaseGateEvaluator Build(string json)
        => ReleaseGate.CreateBuilder().AddFromJson(new MemoryStream(Encoding.UTF8.GetBytes(json)), "releasegates.json", Path.GetTempPath()).Build();

    [Fact]
    public void An_slo_gate_binds_its_objective_window_burn_rate_rules_and_conditions()
    {
        var valid = Build("""
            { "gates": { "slo": { "type": "slo",
              "source": { "prometheus": { "connection": { "baseAddress": "http://127.0.0.1:1" }, "step": "5m", "lookback": "7d" } },
              "objective": 0.995, "window": "7d", "minimumBudgetRemaining": 0.2, "warningBudgetRemaining": 0.3,
              "burnRates": [ { "longWindow": "1h", "shortWindow": "5m", "threshold": 10 } ], "conditions": ["burn-rate-1h < 5"] } } }
            """);
        Assert.Equal("slo", Assert.Single(valid.Registrations).Name);

        // Each value reaches the options: out of range, each is named by the problem it causes.
        var error = Assert.Throws<ReleaseGatesConfigurationException>(() => Build("""
            { "gates": { "slo": { "type": "slo",
              "source": { "prometheus": { "connection": { "baseAddress": "http://127.0.0.1:1" }, "step": "5m", "lookback": "7d" } },
              "objective": 1.5, "minimumBudgetRemaining": 2,
              "burnRates": [ { "longWindow": "5m", "shortWindow": "1h", "threshold": -1 } ] } } }
            """));
        Assert.Contains(error.Problems, p => p.Contains("Objective lies strictly between 0 and 1 (0.999 for 99.9 %), but was 1.5", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("MinimumBudgetRemaining is a share of the budget from 0 to 1 (0.10 for 10 %), but was 2", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("BurnRates[0]: the short window (01:00:00) must be positive and at most the long window (00:05:00)", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("BurnRates[0].Threshold must be a positive number, but was -1", StringComparison.Ordinal));
        Assert.All(error.Problems, p => Assert.StartsWith("releasegates.json:", p, StringComparison.Ordinal));
    }

    [Fact]
    public void A_condition_on_a_window_no_rule_has_is_a_problem_at_its_line()
    {
        var error = Assert.Throws<ReleaseGatesConfigurationException>(() => Build("""
            { "gates": { "slo": { "type": "slo", "source": { "prometheus": { "connection": { "baseAddress": "http://127.0.0.1:1" }, "step": "1m", "lookback": "28d" } },
              "conditions": ["burn-rate-2h < 5"] } } }
            """));

        Assert.Contains(error.Problems, p => p.StartsWith("releasegates.json:", StringComparison.Ordinal)
            && p.Contains("'burn-rate-2h < 5' is about 'burn-rate-2h', but this gate measures sli, budget-remaining, burn-rate-1h", StringComparison.Ordinal));
    }

    [Fact]
    public void Prometheus_events_time_slices_and_a_calendar_bind_from_the_file_and_their_problems_are_placed()
    {
        var valid = Build("""
            { "gates": { "slo": { "type": "slo",
              "source": { "prometheusEvents": { "connection": { "baseAddress": "http://127.0.0.1:1" },
                "total": "slo_requests_total{job=\"shop\"}", "bad": "slo_requests_total{job=\"shop\", outcome=\"error\"}",
                "step": "1m", "lookback": "31d" } },
              "objective": 0.995, "budgetingMethod": "Timeslices", "timesliceWindow": "5m", "timesliceTarget": 0.95,
              "calendar": { "start": "2026-01-01T00:00:00", "timeZone": "Europe/Paris", "period": "1M" }, "window": "31d" } } }
            """);
        Assert.Equal("slo", Assert.Single(valid.Registrations).Name);

        var error = Assert.Throws<ReleaseGatesConfigurationException>(() => Build("""
            { "gates": { "slo": { "type": "slo",
              "source": { "prometheusEvents": { "connection": { "baseAddress": "http://127.0.0.1:1" }, "total": "t", "step": "1m", "lookback": "1d" } },
              "budgetingMethod": "Timeslices", "calendar": { "start": "2026-01-01T00:00:00", "period": "1 month" } } } }
            """));
        Assert.Contains(error.Problems, p => p.Contains("PrometheusEvents: set exactly one of Good and Bad", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("TimesliceTarget is required with Timeslices", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("Calendar.Period is a whole number and one of h, d, w, M, Q, Y", StringComparison.Ordinal));
        Assert.All(error.Problems, p => Assert.StartsWith("releasegates.json:", p, StringComparison.Ordinal));
    }
}
