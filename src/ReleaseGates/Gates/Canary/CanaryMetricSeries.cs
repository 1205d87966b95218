namespace ReleaseGates;

/// <summary>
/// Where a multi-metric canary reads each metric's samples for each side: Prometheus range queries over label sets
/// (<see cref="FromPrometheus"/>), a delegate (<see cref="FromDelegate"/>), or a class of your own.
/// </summary>
public abstract class CanaryMetricSeries
{
    /// <summary>A short description for reports.</summary>
    public abstract string Description { get; }

    /// <summary>The credentials the series source sends, masked in reports.</summary>
    internal virtual IEnumerable<string?> Secrets => [];

    /// <summary>Reads the samples of one metric for one side over the canary's window; non-finite values are left out by the judge.</summary>
    /// <param name="metric">The metric.</param>
    /// <param name="side">The side.</param>
    /// <param name="context">The reading gate's context.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The samples, oldest first; empty when the side has no data.</returns>
    public abstract ValueTask<IReadOnlyList<double>> ReadAsync(CanaryMetric metric, CanarySide side, GateContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Every metric from Prometheus, canary and baseline told apart by label matchers on the same metrics (Kayenta's and
    /// Argo's way): each metric's <see cref="CanaryMetric.Query"/> has <c>$scope</c> replaced by the side's matchers and is
    /// read with a range query over the last <paramref name="lookback"/> at every <paramref name="step"/>; each step's
    /// value is one sample. A query must give one series per side (aggregate with <c>sum</c> or <c>avg</c>).
    /// </summary>
    /// <param name="connection">The server; copied now.</param>
    /// <param name="baselineScope">The baseline's label matchers, such as <c>version="1.4.0"</c>.</param>
    /// <param name="canaryScope">The canary's label matchers, such as <c>version="1.5.0"</c>.</param>
    /// <param name="lookback">The canary's window, a whole number of steps (at most 10,000).</param>
    /// <param name="step">The interval between samples: whole seconds, at least the scrape interval.</param>
    /// <param name="timeProvider">The clock that sets the window's end.</param>
    /// <returns>The series source.</returns>
    public static CanaryMetricSeries FromPrometheus(PrometheusConnection connection, string baselineScope, string canaryScope, TimeSpan lookback,
        TimeSpan step, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrWhiteSpace(baselineScope);
        ArgumentException.ThrowIfNullOrWhiteSpace(canaryScope);
        if (step < TimeSpan.FromSeconds(1) || step.TotalMilliseconds % 1000 != 0 || lookback < step || lookback.Ticks % step.Ticks != 0
            || lookback / step > 10_000)
        {
            throw new ArgumentException($"The lookback ({lookback}) must be 1 to 10,000 whole steps of whole seconds ({step}).", nameof(lookback));
        }

        var problems = new List<string>();
        connection.Validate(problems, "Prometheus");
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(connection));
        }

        return new PrometheusSeries(connection.Copy(), baselineScope.Trim(), canaryScope.Trim(), lookback, step, timeProvider ?? TimeProvider.System);
    }

    /// <summary>Samples from a delegate: a load probe's per-interval values, a fleet's per-instance numbers, a test's fixed ones.</summary>
    /// <param name="description">How reports name the source.</param>
    /// <param name="read">Reads one metric's samples for one side.</param>
    /// <returns>The series source.</returns>
    public static CanaryMetricSeries FromDelegate(string description,
        Func<CanaryMetric, CanarySide, CancellationToken, ValueTask<IReadOnlyList<double>>> read)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        ArgumentNullException.ThrowIfNull(read);
        return new DelegateSeries(description, read);
    }

    private sealed class DelegateSeries(string description, Func<CanaryMetric, CanarySide, CancellationToken, ValueTask<IReadOnlyList<double>>> read)
        : CanaryMetricSeries
    {
        public override string Description => description;

        public override ValueTask<IReadOnlyList<double>> ReadAsync(CanaryMetric metric, CanarySide side, GateContext context,
            CancellationToken cancellationToken) => read(metric, side, cancellationToken);
    }

    private sealed class PrometheusSeries(PrometheusConnection connection, string baselineScope, string canaryScope, TimeSpan lookback, TimeSpan step,
        TimeProvider time) : CanaryMetricSeries
    {
        private readonly PrometheusClient _client = new(connection, time);

        public override string Description => $"Prometheus {_client.Server}: baseline {{{baselineScope}}}, canary {{{canaryScope}}} over the last "
            + PromQl.Duration(lookback);

        internal override IEnumerable<string?> Secrets => connection.Secrets;

        public override async ValueTask<IReadOnlyList<double>> ReadAsync(CanaryMetric metric, CanarySide side, GateContext context,
            CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(metric.Query) || !metric.Query.Contains("$scope", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The canary metric '{metric.Name}' has no query with $scope, which Prometheus series need "
                    + "to tell the baseline from the canary.");
            }

            var query = metric.Query.Replace("$scope", side == CanarySide.Baseline ? baselineScope : canaryScope, StringComparison.Ordinal);
            var sinceEpoch = time.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
            var end = DateTimeOffset.UnixEpoch.AddTicks(sinceEpoch - (sinceEpoch % step.Ticks));
            var result = await _client.QueryRangeAsync(query, end - lookback + step, end, step, cancellationToken).ConfigureAwait(false);
            return result.Series.Count switch
            {
                0 => [],
                1 => [.. result.Series[0].Samples.Select(s => s.Value)],
                _ => throw new InvalidDataException($"Prometheus at {_client.Server}: '{query}' gave {result.Series.Count} series for the "
                    + $"{side.ToString().ToLowerInvariant()} where one was expected; aggregate them (sum, avg) in the metric's query."),
            };
        }
    }
}
