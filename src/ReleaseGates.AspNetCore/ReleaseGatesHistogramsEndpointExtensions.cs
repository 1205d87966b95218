using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ReleaseGates.Metrics;

namespace ReleaseGates;

/// <summary>Serves an instance's exact request histograms to the release gate that judges its fleet.</summary>
public static class ReleaseGatesHistogramsEndpointExtensions
{
    /// <summary>The longest lookback a request may ask for.</summary>
    private static readonly TimeSpan LongestLookback = TimeSpan.FromDays(7);

    /// <summary>
    /// Maps <c>GET</c> <paramref name="pattern"/> to this instance's server request histograms
    /// (<see cref="HttpMetricsCollector.ExportHistograms"/>): every request and each endpoint, cumulative and per window
    /// interval, with the instance's identity, as <see cref="HttpMetricsCollector.HistogramsMediaType"/>. Query parameters:
    /// <c>lookback</c> (seconds of per-interval histograms; default 0, none), <c>method</c> and <c>route</c> (one endpoint),
    /// <c>endpoints=false</c> (every request's series alone).
    /// Opt-in and open like any endpoint: protect it with the host's own policy,
    /// <c>.RequireAuthorization("fleet-metrics")</c>, and send the credential from the gate's source headers. Reading
    /// never makes a request wait, and the capture costs no allocation per request.
    /// </summary>
    /// <param name="endpoints">The app.</param>
    /// <param name="pattern">The route. Default: <c>/releasegates/histograms</c>.</param>
    /// <param name="collector">
    /// The collector to serve; default: the one registered with <see cref="AddReleaseGatesHttpMetrics"/>, resolved now (so
    /// it listens from the start).
    /// </param>
    /// <returns>The endpoint's convention builder, for authorization, host filters and the like.</returns>
    /// <exception cref="InvalidOperationException">No collector was given or registered.</exception>
    public static IEndpointConventionBuilder MapReleaseGatesHistograms(this IEndpointRouteBuilder endpoints,
        string pattern = FleetRequestMetricsOptions.DefaultHistogramsPath, HttpMetricsCollector? collector = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        collector ??= endpoints.ServiceProvider.GetService<HttpMetricsCollector>()
            ?? throw new InvalidOperationException(
                "MapReleaseGatesHistograms needs an HttpMetricsCollector: call services.AddReleaseGatesHttpMetrics(), or pass the collector.");
        // A RequestDelegate, not a lambda of parameters: no reflection over a delegate, so the endpoint trims and runs under NativeAOT.
        return endpoints.MapGet(pattern, context => ServeAsync(context, collector)).ExcludeFromDescription();
    }

    /// <summary>
    /// Registers one <see cref="HttpMetricsCollector"/> that captures this app's server requests from ASP.NET Core's own
    /// metrics (no middleware), for the latency and error-rate gates in process and for
    /// <see cref="MapReleaseGatesHistograms"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the collector's options: the instance name, the window interval and count.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddReleaseGatesHttpMetrics(this IServiceCollection services, Action<HttpMetricsCollectorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(provider =>
        {
            // This app's meters only: a process that hosts several apps gives each its own requests.
            var options = new HttpMetricsCollectorOptions { MeterScope = provider.GetService<System.Diagnostics.Metrics.IMeterFactory>() };
            configure?.Invoke(options);
            return new HttpMetricsCollector(options, provider.GetService<TimeProvider>());
        });
        return services;
    }

    private static async Task ServeAsync(HttpContext context, HttpMetricsCollector collector)
    {
        var query = context.Request.Query;
        var lookback = TimeSpan.Zero;
        if (query.TryGetValue("lookback", out var text))
        {
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > LongestLookback.TotalSeconds)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync($"lookback must be whole seconds, 0 to {LongestLookback.TotalSeconds:0}.", context.RequestAborted).ConfigureAwait(false);
                return;
            }

            lookback = TimeSpan.FromSeconds(seconds);
        }

        var method = query.TryGetValue("method", out var m) ? m.ToString() : null;
        var route = query.TryGetValue("route", out var r) ? r.ToString() : null;
        var endpoints = !(query.TryGetValue("endpoints", out var e) && e.ToString() == "false");
        var body = collector.ExportHistograms(lookback, method, route, endpoints);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentType = HttpMetricsCollector.HistogramsMediaType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
