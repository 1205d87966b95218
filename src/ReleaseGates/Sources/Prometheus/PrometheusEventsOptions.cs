namespace ReleaseGates;

/// <summary>
/// What <see cref="RequestMetricsSource.FromPrometheusEvents"/> reads: events counted by any PromQL, as an SLO names them:
/// the total, and either the good or the bad ones among them (OpenSLO's <c>ratioMetric</c>). Each query is read over the
/// <see cref="Lookback"/> at every <see cref="Step"/>, so the events fall into per-step windows for an SLO's window and
/// its burn rates.
/// </summary>
public sealed class PrometheusEventsOptions
{
    /// <summary>The most samples a range query asks for; longer lookbacks are read in several queries.</summary>
    internal const int PointsPerQuery = 10_000;

    /// <summary>The most steps a lookback may hold.</summary>
    internal const int MaximumSteps = 200_000;

    /// <summary>The Prometheus server. Required: set its <see cref="PrometheusConnection.BaseAddress"/>.</summary>
    public PrometheusConnection Connection { get; set; } = new();

    /// <summary>
    /// Every event: <c>http_server_request_duration_seconds_count{job="orders"}</c>. With <see cref="Counter"/>, a counter
    /// (or a sum of counters) as it stands; otherwise the count of each step. Required.
    /// </summary>
    public string? Total { get; set; }

    /// <summary>The good events among <see cref="Total"/>, in the same form. Set this or <see cref="Bad"/>.</summary>
    public string? Good { get; set; }

    /// <summary>The bad events among <see cref="Total"/>, in the same form. Set this or <see cref="Good"/>.</summary>
    public string? Bad { get; set; }

    /// <summary>
    /// Whether the queries give counters that only grow (OpenSLO's <c>counter: true</c>): each step's events are then the
    /// growth of each series since the previous step, a fall counting as a restart from zero, and a series that appears
    /// within the lookback counting from zero, as a new process's counter does. Leave <c>sum()</c> out of such queries, so
    /// that each instance's restart is seen. When false, each sample is the number of events of the step that ends at it
    /// (<c>sum(increase(x[1m]))</c> read at a 1-minute step). Default: true.
    /// </summary>
    public bool Counter { get; set; } = true;

    /// <summary>The length of one window: whole seconds, at least twice the scrape interval. Default: 1 minute.</summary>
    public TimeSpan Step { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How far back the events are read: a whole number of steps, at most 200,000 (read 10,000 per query); at least the
    /// SLO's window. Default: 28 days.
    /// </summary>
    public TimeSpan Lookback { get; set; } = TimeSpan.FromDays(28);

    internal PrometheusEventsOptions Copy()
    {
        var copy = (PrometheusEventsOptions)MemberwiseClone();
        copy.Connection = Connection.Copy();
        return copy;
    }

    internal void Validate(ICollection<string> problems)
    {
        if (Connection is null)
        {
            problems.Add($"PrometheusEvents.{nameof(Connection)} is required.");
        }
        else
        {
            Connection.Validate(problems, "PrometheusEvents");
        }

        if (string.IsNullOrWhiteSpace(Total))
        {
            problems.Add($"PrometheusEvents.{nameof(Total)} is required: the PromQL that counts every event.");
        }

        if (string.IsNullOrWhiteSpace(Good) == string.IsNullOrWhiteSpace(Bad))
        {
            problems.Add($"PrometheusEvents: set exactly one of {nameof(Good)} and {nameof(Bad)} (the PromQL that counts the good or the bad events).");
        }

        if (Step < TimeSpan.FromSeconds(1) || Step.TotalMilliseconds % 1000 != 0)
        {
            problems.Add($"PrometheusEvents.{nameof(Step)} must be whole seconds, at least 1, but was {Step}.");
        }
        else if (Lookback < Step || Lookback.Ticks % Step.Ticks != 0 || Lookback / Step > MaximumSteps)
        {
            problems.Add($"PrometheusEvents.{nameof(Lookback)} must be 1 to {MaximumSteps:N0} whole steps of {Step}, but was {Lookback}.");
        }
    }
}
