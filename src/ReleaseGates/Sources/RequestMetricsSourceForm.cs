using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace ReleaseGates;

/// <summary>
/// A request-metrics <c>source</c> in <c>releasegates.json</c> (a k6 summary, a JMeter JTL file, a HAR file, a load probe,
/// Prometheus or a fleet's instances), bound here once for every gate that reads one: latency, error rate and both sides of a canary.
/// </summary>
internal static class RequestMetricsSourceForm
{
    /// <summary>A property of a gate's object that holds a source, set on the options with <paramref name="set"/>.</summary>
    public static GateFileProperty<TOptions> Property<TOptions>(string name, Action<TOptions, RequestMetricsSource?> set)
    {
        // The classes the form holds, declared for the binder before any file is read.
        ConfigTypes.Item<HttpLoadProbeOptions>();
        ConfigTypes.Item<PrometheusRequestMetricsOptions>();
        ConfigTypes.Item<PrometheusEventsOptions>();
        ConfigTypes.Item<FleetRequestMetricsOptions>();
        ConfigTypes.Item<PrometheusConnection>();
        return new(name, Schema, (node, options, file) => set(options, Read(node, file)));
    }

    private static RequestMetricsSource? Read(ConfigNode node, GateFileContext file)
    {
        var config = new RequestMetricsSourceConfiguration();
        if (!file.Binder.TryBindObject(node, config))
        {
            return null;
        }

        var chosen = new[]
            {
                config.K6Summary, config.JMeterJtl, config.Har, config.LoadProbe, config.Prometheus, config.PrometheusEvents, (object?)config.Fleet,
            }
            .Count(c => c is not null);
        if (chosen != 1)
        {
            file.AddProblem(node, "set exactly one of k6Summary, jMeterJtl, har, loadProbe, prometheus, prometheusEvents and fleet.");
            return null;
        }

        return config switch
        {
            { K6Summary: { } k6 } => RequestMetricsSource.FromK6Summary(file.ResolvePath(k6), config.DurationMetric ?? "http_req_duration"),
            { JMeterJtl: { } jtl } => RequestMetricsSource.FromJMeterJtl(file.ResolvePath(jtl), config.Labels.Count == 0 ? null : config.Labels),
            { Har: { } har } => RequestMetricsSource.FromHar(file.ResolvePath(har), config.Urls.Count == 0 ? null : config.Urls),
            { Prometheus: { } prometheus } => RequestMetricsSource.FromPrometheus(prometheus),
            { PrometheusEvents: { } events } => RequestMetricsSource.FromPrometheusEvents(events),
            { Fleet: { } fleet } => RequestMetricsSource.FromFleet(fleet),
            _ => RequestMetricsSource.FromLoadProbe(config.LoadProbe!),
        };
    }

    private static JsonObject Schema()
    {
        var schema = ConfigSchema.ObjectSchemaOf<RequestMetricsSourceConfiguration>();
        schema["description"] = "Exactly one of k6Summary, jMeterJtl, har, loadProbe, prometheus, prometheusEvents and fleet.";
        return schema;
    }
}
