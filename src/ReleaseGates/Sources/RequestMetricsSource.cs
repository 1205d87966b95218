using System.Globalization;
using ReleaseGates.Metrics;

namespace ReleaseGates;

/// <summary>
/// Where latency and error-rate gates read their numbers. The built-in sources are made by the static <c>From*</c>
/// methods (a recorder, the in-process HTTP metrics, a load probe, a k6, JMeter or HAR import, a delegate); derive from
/// this class for another.
/// </summary>
public abstract class RequestMetricsSource
{
    /// <summary>What the source provides.</summary>
    public abstract RequestMetricsCapabilities Capabilities { get; }

    /// <summary>A short description for reports: "server GET /api/orders (in-process metrics)".</summary>
    public abstract string Description { get; }

    /// <summary>The credentials the source sends (a Prometheus token, a secret header of a load probe), masked in reports.</summary>
    internal virtual IEnumerable<string?> Secrets => [];

    /// <summary>Adds the source's own configuration problems (a load probe's bounds) to those of the gate using it.</summary>
    internal virtual void Validate(ICollection<string> problems)
    {
    }

    /// <summary>Reads the current metrics for the gate whose context is given.</summary>
    /// <param name="context">
    /// The reading gate's context: a source whose work several gates share runs it once per evaluation with
    /// <see cref="GateContext.RunOnceAsync"/>, and a long read tells how far it got with
    /// <see cref="GateContext.ReportProgress(string)"/>.
    /// </param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The metrics.</returns>
    public abstract ValueTask<RequestMetrics> ReadAsync(GateContext context, CancellationToken cancellationToken);

    /// <summary>Latencies recorded by the application into a <see cref="ConcurrentLatencyRecorder"/> (latency only).</summary>
    /// <param name="recorder">The recorder.</param>
    /// <param name="description">How reports name it.</param>
    /// <returns>The source.</returns>
    public static RequestMetricsSource FromRecorder(ConcurrentLatencyRecorder recorder, string description = "manual recorder")
    {
        ArgumentNullException.ThrowIfNull(recorder);
        return new DelegateSource(RequestMetricsCapabilities.Latency, description, () =>
        {
            var latency = recorder.GetCumulativeSnapshot();
            return new RequestMetrics { Latency = latency, Total = latency.Count };
        });
    }

    /// <summary>
    /// Requests captured in process from ASP.NET Core's or HttpClient's own metrics: all of one side, or one endpoint.
    /// Latency, errors and windows; no duration (the capture has no defined start and end).
    /// </summary>
    /// <param name="collector">The collector.</param>
    /// <param name="endpoint">One endpoint, or <see langword="null"/> for every request of <paramref name="source"/>.</param>
    /// <param name="source">Server or client, when <paramref name="endpoint"/> is null.</param>
    /// <returns>The source.</returns>
    public static RequestMetricsSource FromHttpMetrics(HttpMetricsCollector collector, HttpEndpoint? endpoint = null,
        HttpMetricSource source = HttpMetricSource.Server)
    {
        ArgumentNullException.ThrowIfNull(collector);
        var description = endpoint is { } e ? $"{e.Source.ToString().ToLowerInvariant()} {e.Method} {e.Route} (in-process metrics)"
            : $"all {source.ToString().ToLowerInvariant()} requests (in-process metrics)";
        return new DelegateSource(RequestMetricsCapabilities.Latency | RequestMetricsCapabilities.Errors | RequestMetricsCapabilities.Windows, description,
            () =>
        {
            var stats = endpoint is { } ep ? collector.GetEndpoint(ep) : collector.GetTotal(source);
            return stats is null
                ? new RequestMetrics { Latency = new LatencyHistogram(), Total = 0, Errors = 0 }
                : new RequestMetrics { Latency = stats.LatencyRecorder.GetCumulativeSnapshot(), Total = stats.Total, Errors = stats.Errors,
                    Windows = stats.Windows };
        });
    }

    /// <summary>
    /// Runs the bounded HTTP load probe each time the gate reads it, and reports latency, errors, throughput and windows.
    /// When no request got any response (connection refused, DNS failure, every request timed out) the read throws, so the
    /// gate reports <see cref="GateStatus.Error"/>: nothing could be measured.
    /// </summary>
    /// <param name="options">The probe's targets and bounds; copied now, so later changes to this object have no effect.</param>
    /// <param name="timeProvider">The clock of the windows.</param>
    /// <returns>The source.</returns>
    public static RequestMetricsSource FromLoadProbe(HttpLoadProbeOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options = options.Copy(); // as the source is made: later changes to the caller's object reach no run
        // One line for a report cell, however many targets: the host and how many paths were driven.
        var hosts = options.Targets.Where(t => t is not null).Select(t => t.IsAbsoluteUri ? t.GetLeftPart(UriPartial.Authority)
            : t.ToString()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var description = options.Targets.Count == 1
            ? $"load probe of {options.Targets[0]}"
            : $"load probe of {options.Targets.Count} URLs on {string.Join(", ", hosts.Take(2))}{(hosts.Count > 2 ? $" and {hosts.Count - 2} more hosts" : "")}";
        return new AsyncDelegateSource(RequestMetricsCapabilities.Latency | RequestMetricsCapabilities.Errors | RequestMetricsCapabilities.Duration | RequestMetricsCapabilities.Windows, description, options.Validate, async (context, ct) =>
        {
            // One run per evaluation, however many gates read this probe (latency and error rate read the same requests);
            // its request count goes to the progress of the gate that started it.
            var run = WithGateProgress(options, context);
            var result = await context.RunOnceAsync(options, token => HttpLoadProbe.RunAsync(run, timeProvider, token), ct).ConfigureAwait(false);
            if (result.Total > 0 && result.Unanswered == result.Total)
            {
                throw new HttpRequestException($"No request of the load probe got a response ({result.Total} sent): {result.FirstTransportError}");
            }

            return LoadProbeMetrics(result, options, description);
        }, [.. options.Headers.Where(h => IO.Redaction.IsCredentialHeader(h.Key)).Select(h => h.Value)]);
    }

    /// <summary>
    /// A probe run as request metrics, with how it sent as evidence: the closed loop named as such, or the open model's
    /// intended and achieved rates, late starts and drops. An open-model run that dropped requests is inconclusive.
    /// </summary>
    internal static RequestMetrics LoadProbeMetrics(HttpLoadProbeResult result, HttpLoadProbeOptions options, string description)
    {
        var measurements = new List<Measurement>();
        var findings = new List<Finding>();
        string? inconclusive = null;
        if (result.Model == HttpLoadProbeModel.ClosedLoop)
        {
            findings.Add(new Finding(LoadProbeConstants.Model, FindingSeverity.Info,
                $"Closed loop: {options.Concurrency} worker{(options.Concurrency == 1 ? "" : "s")} each sent the next request when the last one "
                + "answered, so a server that stalls slows the sending too, and latency under-counts the stall (coordinated omission). "
                + "Set RequestsPerSecond for the open model.") { Target = description });
        }
        else
        {
            var intended = result.IntendedRequestsPerSecond!.Value;
            measurements.Add(new Measurement("intended-rps", intended, MetricUnit.PerSecond) { Target = description });
            measurements.Add(new Measurement("achieved-rps", result.RequestsPerSecond, MetricUnit.PerSecond) { Target = description });
            measurements.Add(new Measurement("late-starts", result.LateStarts, MetricUnit.Count) { Target = description });
            measurements.Add(new Measurement("start-delay-max", (result.StartDelays?.Count > 0 ? result.StartDelays.Max : 0) / 1e6,
                MetricUnit.Milliseconds) { Target = description });
            measurements.Add(new Measurement("dropped", result.Dropped, MetricUnit.Count) { Target = description });
            var ramp = options.RampUp is { } r && r > TimeSpan.Zero
                ? string.Create(CultureInfo.InvariantCulture, $" after a {r.TotalSeconds:0.###} s ramp")
                : "";
            findings.Add(new Finding(LoadProbeConstants.Model, FindingSeverity.Info, string.Create(CultureInfo.InvariantCulture,
                $"Open model: {result.Scheduled} requests came due at {intended:0.###} a second{ramp}, "
                + $"with at most {options.Concurrency} in flight; latency counts from when each came due. {result.LateStarts} started "
                + $"more than {HttpLoadProbeResult.LateStartThreshold.TotalMilliseconds:0} ms late.")) { Target = description });
            if (result.Dropped > 0)
            {
                inconclusive = string.Create(CultureInfo.InvariantCulture,
                    $"the load probe did not generate its rate: {result.Dropped} of {result.Scheduled} requests that came due were never sent "
                    + $"(all {options.Concurrency} connections were busy when they came due, or the run's time cap cut them off)")
                    + "; raise Concurrency to at least the rate times the slowest response";
                findings.Add(new Finding(LoadProbeConstants.RateNotGenerated, FindingSeverity.Info, inconclusive) { Target = description });
            }
        }

        return new RequestMetrics
        {
            Latency = result.Latency, Total = result.Total, Errors = result.Errors, Duration = result.Duration, Windows = result.Windows,
            SourceMeasurements = measurements, SourceFindings = findings, InconclusiveReason = inconclusive,
        };
    }

    /// <summary>The probe's options, telling its request count to the running gate's progress too when someone listens.</summary>
    private static HttpLoadProbeOptions WithGateProgress(HttpLoadProbeOptions options, GateContext context)
    {
        if (!context.HasProgressListener)
        {
            return options;
        }

        var run = options.Copy();
        run.Progress = new LoadProgress(options.Progress, context);
        return run;
    }

    private sealed class LoadProgress(IProgress<long>? caller, GateContext context) : IProgress<long>
    {
        public void Report(long value)
        {
            caller?.Report(value);
            context.ReportProgressLazily(() => value.ToString("N0",
                System.Globalization.CultureInfo.InvariantCulture) + (value == 1 ? " request" : " requests"));
        }
    }

    /// <summary>
    /// A request-duration histogram in Prometheus, summed over every instance the labels select: latency percentiles
    /// interpolated in its buckets as <c>histogram_quantile</c> does (each measurement names the bucket it fell in), the
    /// mean from <c>_sum</c>, requests and errors from <c>_count</c>, and requests per second over the window. Where the
    /// server keeps the metric as a native histogram, its far finer buckets are read instead, and the evidence says so
    /// with their resolution. With a <see cref="PrometheusRequestMetricsOptions.Step"/>, range queries give per-step
    /// windows for sustained error-rate conditions and burn rates. No series is no data, for the gate's no-data policy; a
    /// query the server rejects or cannot answer is the gate's error.
    /// </summary>
    /// <param name="options">The server, the metric, the labels and the window; copied now.</param>
    /// <param name="timeProvider">The clock that sets each query's evaluation time.</param>
    /// <returns>The source.</returns>
    public static RequestMetricsSource FromPrometheus(PrometheusRequestMetricsOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options = options.Copy();
        var problems = new List<string>();
        options.Validate(problems);
        var reader = problems.Count == 0 ? new PrometheusRequestMetrics(options, timeProvider ?? TimeProvider.System) : null;
        var capabilities = RequestMetricsCapabilities.Latency | RequestMetricsCapabilities.Errors
            | (options.Window is null ? 0 : RequestMetricsCapabilities.Duration) | (options.Step is null ? 0 : RequestMetricsCapabilities.Windows);
        return new AsyncDelegateSource(
            capabilities, reader?.Description ?? "Prometheus (misconfigured)", p => problems.ForEach(p.Add),
                (_, ct) => reader!.ReadAsync(ct), [.. options.Connection.Secrets]);
    }

    /// <summary>
    /// Events counted by any PromQL, as an SLO names them: the total and the good or the bad ones among them (an OpenSLO
    /// <c>ratioMetric</c>, or the counters a Sloth or Pyrra SLO is written over), read over the lookback at every step into
    /// per-step windows for an SLO's window and its burn rates. Counters are differenced series by series at the steps'
    /// sample times, so a restart is a restart and nothing is extrapolated; errors and windows, no latency.
    /// </summary>
    /// <param name="options">The server, the queries, the step and the lookback; copied now.</param>
    /// <param name="timeProvider">The clock that sets the windows' end.</param>
    /// <returns>The source.</returns>
    public static RequestMetricsSource FromPrometheusEvents(PrometheusEventsOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options = options.Copy();
        var problems = new List<string>();
        options.Validate(problems);
        var reader = problems.Count == 0 ? new PrometheusEventCounts(options, timeProvider ?? TimeProvider.System) : null;
        return new AsyncDelegateSource(
            RequestMetricsCapabilities.Errors | RequestMetricsCapabilities.Duration | RequestMetricsCapabilities.Windows,
            reader?.Description ?? "Prometheus events (misconfigured)", p => problems.ForEach(p.Add), (_, ct) => reader!.ReadAsync(ct),
            [.. options.Connection?.Secrets ?? []]);
    }

    /// <summary>
    /// The exact request histograms of every instance of a fleet, merged: each instance serves its in-process HTTP metrics
    /// (<c>app.MapReleaseGatesHistograms()</c> of the <c>ReleaseGates.AspNetCore</c> package), and the source fetches them
    /// in parallel from a list of URLs or from the targets Prometheus scrapes for a job. Percentiles are those of the pooled
    /// requests within the histograms' precision (0.05 % at 3 significant digits), counts are sums, and with a
    /// <see cref="FleetRequestMetricsOptions.Lookback"/> the fleet has windows for sustained conditions and burn rates.
    /// Every instance that did not answer is named in the evidence; fewer than
    /// <see cref="FleetRequestMetricsOptions.MinimumAnsweredShare"/> (default: all) is the gate's error, as is an instance
    /// that serves a newer format than this library reads.
    /// </summary>
    /// <param name="options">The instances, the endpoint filter, the lookback and the bounds; copied now.</param>
    /// <param name="timeProvider">The clock of the fleet's windows and of the retries.</param>
    /// <returns>The source.</returns>
    public static RequestMetricsSource FromFleet(FleetRequestMetricsOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options = options.Copy();
        var problems = new List<string>();
        options.Validate(problems);
        var reader = problems.Count == 0 ? new FleetRequestMetrics(options, timeProvider ?? TimeProvider.System) : null;
        var capabilities = RequestMetricsCapabilities.Latency | RequestMetricsCapabilities.Errors
            | (options.Lookback is null ? 0 : RequestMetricsCapabilities.Windows);
        return new AsyncDelegateSource(capabilities, reader?.Description ?? "fleet (misconfigured)", p => problems.ForEach(p.Add),
            (context, ct) => reader!.ReadAsync(context, ct), [.. options.Secrets]);
    }

    /// <summary>
    /// A k6 end-of-test summary: <c>--summary-export=file.json</c> or a <c>handleSummary</c> JSON. It holds only the
    /// trend statistics k6 was told to compute (<c>avg, min, med, max, p(90), p(95)</c> by default; add others with
    /// <c>--summary-trend-stats</c>), request counts and rate, and the failed-request count.
    /// </summary>
    /// <param name="path">The summary file.</param>
    /// <param name="durationMetric">The trend to read latencies from. Default: <c>http_req_duration</c> (try
    /// <c>http_req_duration{expected_response:true}</c>).</param>
    /// <returns>The source.</returns>
    public static RequestMetricsSource FromK6Summary(string path, string durationMetric = "http_req_duration")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new AsyncDelegateSource(RequestMetricsCapabilities.Latency | RequestMetricsCapabilities.Errors | RequestMetricsCapabilities.Duration,
            $"k6 summary {Path.GetFileName(path)}", null, (_, ct) => K6SummaryReader.ReadAsync(path, durationMetric, ct));
    }

    /// <summary>A JMeter JTL results file in CSV, header-driven; samples filtered by label glob.</summary>
    /// <param name="path">The JTL file.</param>
    /// <param name="labels">Only samples whose label matches one of these globs; none for all.</param>
    /// <param name="delimiter">The field delimiter (<c>jmeter.save.saveservice.default_delimiter</c>). Default: comma.</param>
    /// <returns>The source (latency, errors, duration and 10-second windows anchored at the end of the run).</returns>
    public static RequestMetricsSource FromJMeterJtl(string path, IEnumerable<string>? labels = null, char delimiter = ',')
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var patterns = (labels ?? []).Select(IO.FileGlob.ToRegex).ToArray();
        return new AsyncDelegateSource(RequestMetricsCapabilities.Latency | RequestMetricsCapabilities.Errors | RequestMetricsCapabilities.Duration | RequestMetricsCapabilities.Windows,
            $"JMeter results {Path.GetFileName(path)}", null,
            (_, _) => ValueTask.FromResult(JMeterJtlReader.Read(path, delimiter, patterns.Length == 0 ? null : label => patterns.Any(p => p.IsMatch(label)))));
    }

    /// <summary>A HAR 1.2 capture; entries filtered by URL glob.</summary>
    /// <param name="path">The HAR file.</param>
    /// <param name="urls">Only entries whose URL matches one of these globs (<c>https://shop.example/api/*</c>); none for all.</param>
    /// <returns>The source (latency, errors, duration).</returns>
    public static RequestMetricsSource FromHar(string path, IEnumerable<string>? urls = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var patterns = (urls ?? []).Select(IO.FileGlob.ToRegex).ToArray();
        return new AsyncDelegateSource(RequestMetricsCapabilities.Latency | RequestMetricsCapabilities.Errors | RequestMetricsCapabilities.Duration,
            $"HAR {Path.GetFileName(path)}", null,
            (_, ct) => HarReader.ReadAsync(path, url => patterns.Length == 0 || patterns.Any(p => p.IsMatch(url)), ct));
    }

    /// <summary>Metrics the caller computes (an import, a test harness).</summary>
    /// <param name="capabilities">What the metrics will contain.</param>
    /// <param name="description">How reports name the source.</param>
    /// <param name="read">Reads the metrics.</param>
    /// <returns>The source.</returns>
    public static RequestMetricsSource FromDelegate(RequestMetricsCapabilities capabilities, string description,
        Func<CancellationToken, ValueTask<RequestMetrics>> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        return new AsyncDelegateSource(capabilities, description, null, (_, ct) => read(ct));
    }

    /// <summary>Metrics the caller computes with the reading gate's context: work shared between gates, progress.</summary>
    /// <param name="capabilities">What the metrics will contain.</param>
    /// <param name="description">How reports name the source.</param>
    /// <param name="read">Reads the metrics, given the reading gate's context (<see cref="GateContext.RunOnceAsync"/>,
    /// <see cref="GateContext.ReportProgress(string)"/>).</param>
    /// <returns>The source.</returns>
    public static RequestMetricsSource FromDelegate(RequestMetricsCapabilities capabilities, string description,
        Func<GateContext, CancellationToken, ValueTask<RequestMetrics>> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        return new AsyncDelegateSource(capabilities, description, null, read);
    }

    private sealed class DelegateSource(RequestMetricsCapabilities capabilities, string description, Func<RequestMetrics> read) : RequestMetricsSource
    {
        public override RequestMetricsCapabilities Capabilities => capabilities;

        public override string Description => description;

        public override ValueTask<RequestMetrics> ReadAsync(GateContext context, CancellationToken cancellationToken) => ValueTask.FromResult(read());
    }

    private sealed class AsyncDelegateSource(
        RequestMetricsCapabilities capabilities,
        string description,
        Action<ICollection<string>>? validate,
        Func<GateContext, CancellationToken, ValueTask<RequestMetrics>> read,
        IReadOnlyList<string?>? secrets = null) : RequestMetricsSource
    {
        internal override IEnumerable<string?> Secrets => secrets ?? [];

        internal override void Validate(ICollection<string> problems) => validate?.Invoke(problems);

        public override RequestMetricsCapabilities Capabilities => capabilities;

        public override string Description => description;

        public override ValueTask<RequestMetrics> ReadAsync(GateContext context, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(context);
            return read(context, cancellationToken);
        }
    }
}
