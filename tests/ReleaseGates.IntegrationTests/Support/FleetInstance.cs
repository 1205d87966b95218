using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ReleaseGates.Metrics;

namespace ReleaseGates.IntegrationTests.Support;

/// <summary>
/// One instance of a fleet: a real Kestrel app on 127.0.0.1 that captures its own requests with
/// <c>AddReleaseGatesHttpMetrics</c> (1-second windows, 2 minutes kept), serves them at
/// <c>/releasegates/histograms</c>, and, as the oracle of the tests, keeps every request duration ASP.NET Core published,
/// exactly. Several instances in one process each hear only their own app's meters, as separate processes would.
/// </summary>
public sealed class FleetInstance : IAsyncDisposable
{
    public const string WorkRoute = "/fleet/work/{ms:int}";
    public const string FlakyRoute = "/api/orders";

    private readonly ConcurrentQueue<(string Route, double Seconds)> _durations = new();
    private MeterListener? _oracle;

    private FleetInstance(string name) => Name = name;

    public string Name { get; }

    public LoopbackApp App { get; private set; } = null!;

    /// <summary>While set, <see cref="FlakyRoute"/> answers 500.</summary>
    public bool Failing { get; set; }

    /// <summary>The histograms endpoint.</summary>
    public Uri HistogramsUrl => new(App.BaseAddress, "releasegates/histograms");

    /// <summary>The collector the app registered.</summary>
    public HttpMetricsCollector Collector { get; private set; } = null!;

    /// <summary>Every duration, in seconds, that ASP.NET Core published for <paramref name="route"/> on this instance.</summary>
    public IReadOnlyList<double> Durations(string route) => [.. _durations.Where(d => d.Route == route).Select(d => d.Seconds)];

    /// <summary>Starts an instance; <paramref name="services"/> adds more (a Prometheus exporter), <paramref name="map"/> maps more.</summary>
    public static async Task<FleetInstance> StartAsync(string name, CancellationToken cancellationToken,
        Action<IServiceCollection>? services = null, Action<WebApplication>? map = null, Action<WebApplication, IEndpointConventionBuilder>? histograms = null)
    {
        var instance = new FleetInstance(name);
        instance.App = await LoopbackApp.StartAsync(app =>
        {
            instance.Listen(app.Services.GetRequiredService<IMeterFactory>());
            var endpoint = app.MapReleaseGatesHistograms();
            histograms?.Invoke(app, endpoint);
            app.MapGet(WorkRoute, async (int ms) => { await Task.Delay(ms); return Results.Ok(); });
            app.MapGet(FlakyRoute, () => instance.Failing ? Results.StatusCode(500) : Results.Ok());
            map?.Invoke(app);
            instance.Collector = app.Services.GetRequiredService<HttpMetricsCollector>();
        }, cancellationToken, services: s =>
        {
            s.AddReleaseGatesHttpMetrics(o =>
            {
                o.InstanceName = name;
                o.WindowInterval = TimeSpan.FromSeconds(1);
                o.WindowIntervalCount = 120;
            });
            services?.Invoke(s);
        });
        return instance;
    }

    /// <summary>Waits until this instance's collector has counted <paramref name="count"/> requests of <paramref name="route"/> (the hosting layer records a request a moment after its response).</summary>
    public async Task WaitForAsync(string route, long count)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (Collector.GetEndpoint(new HttpEndpoint(HttpMetricSource.Server, "GET", route))?.Total < count || Durations(route).Count < count)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), $"{Name} did not count {count} requests of {route} within 60 s.");
            await Task.Delay(20);
        }
    }

    private void Listen(IMeterFactory scope)
    {
        _oracle = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == HttpMetricsCollector.ServerMeterName && instrument.Name == HttpMetricsCollector.ServerInstrumentName
                    && ReferenceEquals(instrument.Meter.Scope, scope))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _oracle.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "http.route")
                {
                    _durations.Enqueue((tag.Value as string ?? "", seconds));
                }
            }
        });
        _oracle.Start();
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        _oracle?.Dispose();
    }
}
