namespace ReleaseGates.Tests.Sources.Prometheus;

/// <summary>How a counter series' samples at each step become the events of each step.</summary>
public class PrometheusEventCountsTests
{
    private static double[] Growth(params double[] samples)
    {
        var counts = new double[samples.Length];
        PrometheusEventCounts.AddGrowth(samples, counts);
        return counts;
    }

    [Fact]
    public void Each_step_holds_the_growth_since_the_previous_sample_and_the_starting_point_holds_none()
        => Assert.Equal([0, 5, 0, 20], Growth(100, 105, 105, 125));

    [Fact]
    public void A_fall_is_a_restart_from_zero()
        => Assert.Equal([0, 10, 3, 4], Growth(50, 60, 3, 7));

    [Fact]
    public void A_series_that_appears_in_the_lookback_counts_from_zero()
        => Assert.Equal([0, 0, 4, 2], Growth(double.NaN, double.NaN, 4, 6));

    [Fact]
    public void A_series_that_vanishes_and_comes_back_resumes_from_where_it_was()
        => Assert.Equal([0, 2, 0, 0, 5], Growth(10, 12, double.NaN, double.NaN, 17));

    [Fact]
    public void Validation_names_every_problem_of_the_options()
    {
        var problems = new List<string>();
        new PrometheusEventsOptions { Total = " ", Good = "a", Bad = "b", Step = TimeSpan.FromMilliseconds(1500), Lookback = TimeSpan.FromDays(1) }
            .Validate(problems);

        Assert.Contains(problems, p => p.StartsWith("PrometheusEvents.Connection.BaseAddress", StringComparison.Ordinal) || p.Contains("BaseAddress", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("PrometheusEvents.Total is required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("PrometheusEvents: set exactly one of Good and Bad", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("PrometheusEvents.Step must be whole seconds", StringComparison.Ordinal));

        problems.Clear();
        new PrometheusEventsOptions { Connection = new() { BaseAddress = new Uri("http://127.0.0.1:9/") }, Total = "t", Bad = "b",
            Step = TimeSpan.FromSeconds(1), Lookback = TimeSpan.FromDays(3) }.Validate(problems);
        Assert.Contains("PrometheusEvents.Lookback must be 1 to 200,000 whole steps", Assert.Single(problems), StringComparison.Ordinal);
    }
}
