namespace ReleaseGates;

/// <summary>
/// Where a metric gate reads one number: a Prometheus query, an in-process <see cref="System.Diagnostics.Metrics"/>
/// instrument, a ratio of two sources, or a delegate.
/// </summary>
public abstract class MetricSource
{
    /// <summary>The source as a report cell shows it: <c>Prometheus http://prom:9090: sum(up)</c>.</summary>
    public abstract string Description { get; }

    /// <summary>The credentials the source sends (a Prometheus token or password), masked in reports.</summary>
    internal virtual IEnumerable<string?> Secrets => [];

    /// <summary>Adds what is wrong with the source's settings to <paramref name="problems"/>; called when the gate is registered.</summary>
    /// <param name="problems">Where problems go.</param>
    internal virtual void Validate(ICollection<string> problems)
    {
    }

    /// <summary>Reads the value now, for the gate whose context is given.</summary>
    /// <param name="context">The reading gate's context (<see cref="GateContext.RunOnceAsync"/>, <see cref="GateContext.ReportProgress(string)"/>).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The value, or no data with the reason.</returns>
    public abstract ValueTask<MetricReading> ReadAsync(GateContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Any PromQL expression that yields a scalar or a one-element vector, evaluated at the time of the read. An empty
    /// vector is no data (with the query in the reason); more than one series is an error naming them; a rejected query
    /// is an error with the server's message.
    /// </summary>
    /// <param name="connection">The server; copied now.</param>
    /// <param name="query">The PromQL, e.g. <c>sum(rate(cache_hits_total[5m])) / sum(rate(cache_lookups_total[5m]))</c>.</param>
    /// <param name="timeProvider">The clock that sets the evaluation time.</param>
    /// <returns>The source.</returns>
    public static MetricSource FromPrometheus(PrometheusConnection connection, string query, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        return new PrometheusMetricSource(connection.Copy(), query, timeProvider ?? TimeProvider.System);
    }

    /// <summary>
    /// An instrument of this process, read through a <see cref="System.Diagnostics.Metrics.MeterListener"/> that starts
    /// listening now: a counter or up-down counter is the sum of everything recorded since, over all tags; an observable
    /// counter, up-down counter or gauge is the sum of what its callback reports at the read. Histograms are not read
    /// (the read is an error saying so). An instrument not published yet is no data.
    /// </summary>
    /// <param name="meterName">The meter's name, e.g. <c>MyShop.Cache</c>.</param>
    /// <param name="instrumentName">The instrument's name, e.g. <c>cache.hits</c>.</param>
    /// <returns>The source. Its listener lives as long as the process: make one per instrument and keep it.</returns>
    public static MetricSource FromInstrument(string meterName, string instrumentName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(meterName);
        ArgumentException.ThrowIfNullOrWhiteSpace(instrumentName);
        return new InstrumentMetricSource(meterName, instrumentName);
    }

    /// <summary>
    /// <paramref name="numerator"/> divided by <paramref name="denominator"/>, both read at once; no data when either has
    /// none or the denominator is 0.
    /// </summary>
    /// <param name="numerator">The part, e.g. errors.</param>
    /// <param name="denominator">The whole, e.g. requests.</param>
    /// <returns>The source.</returns>
    public static MetricSource Ratio(MetricSource numerator, MetricSource denominator)
    {
        ArgumentNullException.ThrowIfNull(numerator);
        ArgumentNullException.ThrowIfNull(denominator);
        return new RatioMetricSource(numerator, denominator, share: false);
    }

    /// <summary>
    /// <paramref name="part"/> as a share of <paramref name="part"/> plus <paramref name="rest"/>: the cache hit rate from
    /// <c>cache.hits</c> and <c>cache.misses</c>. No data when either has none or both are 0.
    /// </summary>
    /// <param name="part">The part, e.g. hits.</param>
    /// <param name="rest">The rest, e.g. misses.</param>
    /// <returns>The source.</returns>
    public static MetricSource Share(MetricSource part, MetricSource rest)
    {
        ArgumentNullException.ThrowIfNull(part);
        ArgumentNullException.ThrowIfNull(rest);
        return new RatioMetricSource(part, rest, share: true);
    }

    /// <summary>
    /// One number in a JSON file, found by a JSON Pointer (RFC 6901), read at each evaluation: a load tool's summary, a
    /// benchmark's exported ratios. A file that is missing or not JSON, a pointer that leads nowhere and a value that is not a
    /// finite number are errors naming the file and the pointer; <c>null</c> is no data.
    /// </summary>
    /// <param name="path">The file, relative to the current directory or rooted (in <c>releasegates.json</c>: to the file).</param>
    /// <param name="jsonPointer">The JSON Pointer, such as <c>/metrics/http_req_duration/p(95)</c> (<c>~1</c> for a <c>/</c> in a name).</param>
    /// <returns>The source.</returns>
    public static MetricSource FromJsonFile(string path, string jsonPointer)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(jsonPointer);
        return new JsonFileMetricSource(path, jsonPointer);
    }

    /// <summary>A value the caller computes; <see langword="null"/> is no data.</summary>
    /// <param name="description">How a report cell names it.</param>
    /// <param name="read">Reads the value.</param>
    /// <returns>The source.</returns>
    public static MetricSource FromDelegate(string description, Func<CancellationToken, ValueTask<double?>> read)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        ArgumentNullException.ThrowIfNull(read);
        return new DelegateMetricSource(description, read);
    }

    private sealed class DelegateMetricSource(string description, Func<CancellationToken, ValueTask<double?>> read) : MetricSource
    {
        public override string Description => description;

        public override async ValueTask<MetricReading> ReadAsync(GateContext context, CancellationToken cancellationToken)
            => await read(cancellationToken).ConfigureAwait(false) is { } value ? MetricReading.Of(value)
                : MetricReading.NoData($"{description} gave no value");
    }
}
