using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace ReleaseGates.Metrics;

/// <summary>
/// Listens to the HTTP duration histograms that ASP.NET Core and <see cref="System.Net.Http.HttpClient"/> already publish
/// and turns them into latency histograms, error counts and time windows, per endpoint and overall. The application needs
/// no code change.
/// </summary>
public sealed class HttpMetricsCollector : IDisposable
{
    /// <summary>The ASP.NET Core hosting meter.</summary>
    public const string ServerMeterName = "Microsoft.AspNetCore.Hosting";

    /// <summary>The server request-duration instrument.</summary>
    public const string ServerInstrumentName = "http.server.request.duration";

    /// <summary>The HttpClient meter.</summary>
    public const string ClientMeterName = "System.Net.Http";

    /// <summary>The client request-duration instrument.</summary>
    public const string ClientInstrumentName = "http.client.request.duration";

    private readonly HttpMetricsCollectorOptions _options;
    private readonly TimeProvider _time;
    private readonly MeterListener _listener;
    private readonly ConcurrentDictionary<HttpEndpoint, RecentEndpoint> _endpoints = new();
    private readonly HttpEndpointStatistics _serverTotal;
    private readonly HttpEndpointStatistics _clientTotal;
    private const int CacheBits = 7;
    private readonly RecentEndpoint?[] _recent = new RecentEndpoint?[1 << CacheBits];

    // The default error rule is applied inline, without building an observation for the delegate.
    private readonly bool _defaultIsError;

    // Set when the windows' intervals are ended by a thread of this collector instead of by each request's clock reading.
    private readonly Thread? _ticker;
    private readonly ManualResetEventSlim _stopped = new();
    private int _disposed;

    /// <summary>Creates a collector and starts listening.</summary>
    /// <param name="options">Settings; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock of the time windows. Default: <see cref="TimeProvider.System"/>.</param>
    public HttpMetricsCollector(HttpMetricsCollectorOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new HttpMetricsCollectorOptions();
        ArgumentNullException.ThrowIfNull(_options.IsError, "options.IsError");
        _time = timeProvider ?? TimeProvider.System;
        Started = _time.GetUtcNow();
        InstanceName = string.IsNullOrWhiteSpace(_options.InstanceName)
            ? $"{Environment.MachineName}:{Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)}"
            : _options.InstanceName;
        _defaultIsError = _options.IsError == HttpMetricsCollectorOptions.IsServerError;
        _serverTotal = NewStatistics();
        _clientTotal = NewStatistics();
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (((_options.CaptureServer && instrument.Meter.Name == ServerMeterName && instrument.Name == ServerInstrumentName)
                    || (_options.CaptureClient && instrument.Meter.Name == ClientMeterName && instrument.Name == ClientInstrumentName))
                    && (_options.MeterScope is null || ReferenceEquals(instrument.Meter.Scope, _options.MeterScope)))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<double>(OnMeasurement);
        if (ReferenceEquals(_time, TimeProvider.System) && _options.WindowInterval >= TimeSpan.FromSeconds(1))
        {
            // The system clock and windows of a second or more: a thread of the collector's own ends each interval, so a
            // request reads no clock at all (reading it cost a third of a request's capture). The thread pool's timers
            // would be late exactly when the pool is starved. Any other clock (a test's fake one) is read per request.
            _ticker = new Thread(EndIntervals) { IsBackground = true, Name = "ReleaseGates HTTP windows" };
            _ticker.Start();
        }

        _listener.Start();
    }

    /// <summary>
    /// The media type of <see cref="ExportHistograms"/>: JSON whose histograms are in <see cref="LatencyHistogram"/>'s
    /// versioned binary form.
    /// </summary>
    public const string HistogramsMediaType = "application/vnd.releasegates.histograms+json";

    /// <summary>How a fleet's evidence names this instance: <see cref="HttpMetricsCollectorOptions.InstanceName"/>.</summary>
    public string InstanceName { get; }

    /// <summary>A random identity of this collector, so that a fleet that lists one instance twice never counts it twice.</summary>
    internal string InstanceId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>When the collector started listening.</summary>
    internal DateTimeOffset Started { get; }

    /// <summary>The clock of the windows.</summary>
    internal TimeProvider Time => _time;

    /// <summary>
    /// This instance's server requests as a fleet reads them (<c>RequestMetricsSource.FromFleet</c>): every request
    /// and each endpoint, cumulative and, with a <paramref name="lookback"/>, per window interval, each as an exact histogram
    /// with its request and error counts, and the instance's identity. Read the way any snapshot is read: recording never
    /// waits for it. The ASP.NET Core endpoint of the <c>ReleaseGates.AspNetCore</c> package serves it.
    /// </summary>
    /// <param name="lookback">
    /// How far back the per-interval histograms reach; zero for none. Clamped to what the windows keep, and the document
    /// says how far it reached.
    /// </param>
    /// <param name="method">Only endpoints of this method (and not the every-request series); null for all.</param>
    /// <param name="route">Only endpoints of this route template (and not the every-request series); null for all.</param>
    /// <param name="includeEndpoints">
    /// Whether each endpoint's series is served besides every request's; false (with no method or route) serves every
    /// request's alone, what a fleet that judges the whole service reads.
    /// </param>
    /// <returns>UTF-8 JSON of the media type <see cref="HistogramsMediaType"/>.</returns>
    public byte[] ExportHistograms(TimeSpan lookback = default, string? method = null, string? route = null, bool includeEndpoints = true)
        => InstanceHistograms.Write(this, lookback, method, route, includeEndpoints || method is not null || route is not null);

    /// <summary>The endpoints seen so far.</summary>
    public IReadOnlyCollection<HttpEndpoint> Endpoints => [.. _endpoints.Keys];

    /// <summary>Statistics of every request of one side.</summary>
    /// <param name="source">Server or client.</param>
    /// <returns>The live statistics.</returns>
    public HttpEndpointStatistics GetTotal(HttpMetricSource source = HttpMetricSource.Server) =>
        source == HttpMetricSource.Server ? _serverTotal : _clientTotal;

    /// <summary>Statistics of one endpoint, or <see langword="null"/> if it has not been seen.</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <returns>The live statistics.</returns>
    public HttpEndpointStatistics? GetEndpoint(HttpEndpoint endpoint) => _endpoints.GetValueOrDefault(endpoint)?.Statistics;

    /// <summary>Records an observation as if the runtime had published it (for sources other than <see cref="System.Diagnostics.Metrics"/>).</summary>
    /// <param name="request">The request.</param>
    public void Record(HttpRequestObservation request)
    {
        var ticks = request.Duration.Ticks;
        Record(request.Source, request.Method, request.Route, ticks < 0 ? -1 : ticks > long.MaxValue / 100 ? long.MaxValue : ticks * 100,
            _options.IsError(request));
    }

    /// <summary>
    /// One request, in the order the fed windows need: both rings learn its time, then its value goes into the endpoint's
    /// per-thread shard (which is also a shard of the total), then a failure is counted.
    /// </summary>
    private void Record(HttpMetricSource source, string method, string route, long nanoseconds, bool isError)
    {
        var entry = EndpointOf(source, method, route);
        var endpoint = entry.Statistics;
        var total = entry.Total;
        if (_ticker is null)
        {
            var ticks = _time.GetUtcNow().UtcTicks;
            endpoint.Observe(ticks);
            total.Observe(ticks);
        }

        endpoint.LatencyRecorder.Record(nanoseconds);
        if (isError)
        {
            endpoint.CountError();
            total.CountError();
        }
    }

    /// <summary>Stops listening and ends the thread that closes intervals; the statistics stay readable.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _listener.Dispose();
        _stopped.Set();
        _ticker?.Join();
        _stopped.Dispose();
    }

    /// <summary>
    /// The ticker thread: just after each interval boundary (aligned to the Unix epoch, as the windows are), moves what every
    /// endpoint recorded into the interval that ended. A request recorded between the boundary and the move (the thread's
    /// wake-up delay, normally a millisecond or two) counts in the interval that ended; reads move everything first, so a
    /// late move never hides a request.
    /// </summary>
    private void EndIntervals()
    {
        var interval = _options.WindowInterval.Ticks;
        var ticks = _time.GetUtcNow().UtcTicks;
        while (true)
        {
            // The next boundary, and a wait until the clock has passed it: a timed wait may return a few milliseconds
            // early, and a move made just before the boundary, with the next boundary computed just after it, would skip an
            // interval (its requests then counted in the one before).
            var sinceEpoch = ticks - DateTimeOffset.UnixEpoch.UtcTicks;
            var boundary = ticks + interval - (((sinceEpoch % interval) + interval) % interval);
            while (ticks < boundary)
            {
                if (_stopped.Wait(TimeSpan.FromTicks(boundary - ticks) + TimeSpan.FromMilliseconds(1)))
                {
                    return;
                }

                ticks = _time.GetUtcNow().UtcTicks;
            }

            try
            {
                _serverTotal.Windows.EndInterval(ticks);
                _clientTotal.Windows.EndInterval(ticks);
                foreach (var entry in _endpoints.Values)
                {
                    entry.Statistics.Windows.EndInterval(ticks);
                }
            }
#pragma warning disable CA1031 // An exception on this thread would end the process; the next boundary or read moves the intervals again.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    /// <summary>
    /// The statistics of an endpoint and of its side's total. The runtime passes the same method and route string instances
    /// for every request of an endpoint, so a small two-way cache matched by their identity answers most lookups without
    /// hashing the strings' contents; anything else goes through the dictionary.
    /// </summary>
    private RecentEndpoint EndpointOf(HttpMetricSource source, string method, string route)
    {
        var slot = CacheSlot(source, method, route);
        if (Volatile.Read(ref _recent[slot]) is { } hit && hit.Is(source, method, route))
        {
            return hit;
        }

        if (Volatile.Read(ref _recent[slot ^ 1]) is { } other && other.Is(source, method, route))
        {
            return other;
        }

        // The cache entry is the one made with the endpoint, so a miss (strings that are new instances each time) allocates
        // nothing. The newest entry takes the first way, the one it held moves to the second.
        var entry = _endpoints.GetOrAdd(new HttpEndpoint(source, method, route),
            static (key, self) => new RecentEndpoint(key.Source, key.Method, key.Route, self.NewStatistics(self.GetTotal(key.Source)),
            self.GetTotal(key.Source)), this);
        if (Volatile.Read(ref _recent[slot]) is { } previous)
        {
            Volatile.Write(ref _recent[slot ^ 1], previous);
        }

        Volatile.Write(ref _recent[slot], entry);
        return entry;
    }

    /// <summary>
    /// The first way of the cache's set for an endpoint (an even slot; the second way is the odd one after it): the route
    /// string's identity hash, with the method's first character and length (which tell the common methods apart without
    /// a second identity hash) and the side.
    /// </summary>
    private static int CacheSlot(HttpMetricSource source, string method, string route)
    {
        var h = RuntimeHelpers.GetHashCode(route) ^ (method.Length == 0 ? 0 : (method[0] << 3) ^ method.Length) ^ ((int)source << 7);
        return h & ((1 << CacheBits) - 2);
    }

    /// <summary>The statistics of all requests of one side, or with <paramref name="total"/> those of one endpoint, whose values are also the total's.</summary>
    private HttpEndpointStatistics NewStatistics(HttpEndpointStatistics? total = null)
    {
        var statistics = new HttpEndpointStatistics(
            total is null ? new ConcurrentLatencyRecorder(_options.SignificantDigits) : new ConcurrentLatencyRecorder(total.LatencyRecorder),
            _options.WindowInterval,
            _options.WindowIntervalCount,
            _options.SignificantDigits,
            _time);

        // With the ticker, the windows open their first interval now: requests are not timed, and those before the first
        // boundary belong to this one.
        statistics.Windows.EndInterval(_time.GetUtcNow().UtcTicks);
        return statistics;
    }

    private void OnMeasurement(Instrument instrument, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        var source = instrument.Name == ServerInstrumentName ? HttpMetricSource.Server : HttpMetricSource.Client;
        string method = "", route = "";
        string? errorType = null;
        var status = 0;
        foreach (var tag in tags)
        {
            switch (tag.Key)
            {
                case "http.request.method":
                    method = tag.Value as string ?? "";
                    break;
                case "http.route" when source == HttpMetricSource.Server:
                case "server.address" when source == HttpMetricSource.Client:
                    route = tag.Value as string ?? "";
                    break;
                case "http.response.status_code":
                    status = tag.Value switch { int i => i, long l => (int)l, string s when int.TryParse(s, out var p) => p, _ => 0 };
                    break;
                case "error.type":
                    errorType = tag.Value?.ToString();
                    break;
            }
        }

        // Negative and non-finite durations are counted as invalid; a long of nanoseconds holds up to about 9.2e9 seconds.
        var nanoseconds = double.IsFinite(seconds) && seconds >= 0 ? seconds < 9e9 ? (long)Math.Round(seconds * 1e9) : long.MaxValue : -1;
        var isError = _defaultIsError
            ? HttpMetricsCollectorOptions.IsServerErrorStatus(status, errorType)
            : _options.IsError(new HttpRequestObservation(source, method, route, status, errorType,
                TimeSpan.FromTicks(nanoseconds < 0 ? -1 : nanoseconds / 100)));
        Record(source, method, route, nanoseconds, isError);
    }

    private sealed record RecentEndpoint(HttpMetricSource Source, string Method, string Route, HttpEndpointStatistics Statistics, HttpEndpointStatistics Total)
    {
        public bool Is(HttpMetricSource source, string method, string route) => ReferenceEquals(Route, route) && ReferenceEquals(Method,
            method) && Source == source;
    }
}
