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
    private readonly EventClock _clock;
    private readonly MeterListener _listener;
    private readonly ConcurrentDictionary<HttpEndpoint, RecentEndpoint> _endpoints = new();
    private readonly HttpEndpointStatistics _serverTotal;
    private readonly HttpEndpointStatistics _clientTotal;
    private readonly RecentEndpoint?[] _recent = new RecentEndpoint?[64];

    /// <summary>Creates a collector and starts listening.</summary>
    /// <param name="options">Settings; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock of the time windows. Default: <see cref="TimeProvider.System"/>.</param>
    public HttpMetricsCollector(HttpMetricsCollectorOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new HttpMetricsCollectorOptions();
        ArgumentNullException.ThrowIfNull(_options.IsError, "options.IsError");
        _time = timeProvider ?? TimeProvider.System;
        _clock = new EventClock(_time, _options.WindowInterval);
        _serverTotal = NewStatistics();
        _clientTotal = NewStatistics();
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if ((_options.CaptureServer && instrument.Meter.Name == ServerMeterName && instrument.Name == ServerInstrumentName)
                    || (_options.CaptureClient && instrument.Meter.Name == ClientMeterName && instrument.Name == ClientInstrumentName))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<double>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>The endpoints seen so far.</summary>
    public IReadOnlyCollection<HttpEndpoint> Endpoints => [.. _endpoints.Keys];

    /// <summary>Statistics of every request of one side.</summary>
    /// <param name="source">Server or client.</param>
    /// <returns>The live statistics.</returns>
    public HttpEndpointStatistics GetTotal(HttpMetricSource source = HttpMetricSource.Server) => source == HttpMetricSource.Server ? _serverTotal : _clientTotal;

    /// <summary>Statistics of one endpoint, or <see langword="null"/> if it has not been seen.</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <returns>The live statistics.</returns>
    public HttpEndpointStatistics? GetEndpoint(HttpEndpoint endpoint) => _endpoints.GetValueOrDefault(endpoint)?.Statistics;

    /// <summary>Records an observation as if the runtime had published it (for sources other than <see cref="System.Diagnostics.Metrics"/>).</summary>
    /// <param name="request">The request.</param>
    public void Record(HttpRequestObservation request)
    {
        var isError = _options.IsError(request);
        var now = _clock.GetUtcNow();
        StatisticsOf(request.Source, request.Method, request.Route).Record(now, request.Duration, isError);
        (request.Source == HttpMetricSource.Server ? _serverTotal : _clientTotal).Record(now, request.Duration, isError);
    }

    /// <summary>Pushes buffered measurements and stops listening.</summary>
    public void Dispose() => _listener.Dispose();

    /// <summary>
    /// The statistics of an endpoint. The runtime passes the same method and route string instances for every request of
    /// an endpoint, so a small cache keyed by their identity answers most lookups without hashing the strings; anything
    /// else goes through the dictionary.
    /// </summary>
    private HttpEndpointStatistics StatisticsOf(HttpMetricSource source, string method, string route)
    {
        var slot = (RuntimeHelpers.GetHashCode(route) ^ (RuntimeHelpers.GetHashCode(method) * 31) ^ (int)source) & (_recent.Length - 1);
        if (Volatile.Read(ref _recent[slot]) is { } hit && ReferenceEquals(hit.Route, route) && ReferenceEquals(hit.Method, method) && hit.Source == source)
        {
            return hit.Statistics;
        }

        // The cache entry is the one made with the endpoint, so a miss (strings that are new instances each time) allocates nothing.
        var entry = _endpoints.GetOrAdd(new HttpEndpoint(source, method, route), static (key, self) => new RecentEndpoint(key.Source, key.Method, key.Route, self.NewStatistics()), this);
        Volatile.Write(ref _recent[slot], entry);
        return entry.Statistics;
    }

    private HttpEndpointStatistics NewStatistics()
        => new(new ConcurrentLatencyRecorder(_options.SignificantDigits), new RequestWindows(_options.WindowInterval, _options.WindowIntervalCount, _time, trackLatency: true, _options.SignificantDigits));

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

        var duration = double.IsFinite(seconds) && seconds >= 0 ? TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond)) : TimeSpan.FromTicks(-1);
        Record(new HttpRequestObservation(source, method, route, status, errorType, duration));
    }

    private sealed record RecentEndpoint(HttpMetricSource Source, string Method, string Route, HttpEndpointStatistics Statistics);
}
