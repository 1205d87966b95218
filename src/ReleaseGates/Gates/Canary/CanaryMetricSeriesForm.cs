using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace ReleaseGates;

/// <summary>The <c>metricSeries</c> of a canary gate in <c>releasegates.json</c>: Prometheus label sets.</summary>
internal static class CanaryMetricSeriesForm
{
    public static GateFileProperty<CanaryGateOptions> Property() => new("metricSeries", Schema, (node, options, file) =>
    {
        var config = new Configuration();
        if (!file.Binder.TryBindObject(node, config))
        {
            return;
        }

        if (config.Prometheus is null || string.IsNullOrWhiteSpace(config.BaselineScope) || string.IsNullOrWhiteSpace(config.CanaryScope))
        {
            file.Binder.Problem(node, "metricSeries needs prometheus (a connection), baselineScope and canaryScope (label matchers such as "
                + "version=\"1.4.0\").");
            return;
        }

        try
        {
            options.MetricSeries = CanaryMetricSeries.FromPrometheus(config.Prometheus, config.BaselineScope, config.CanaryScope, config.Lookback,
                config.Step);
        }
        catch (ArgumentException e)
        {
            file.Binder.Problem(node, e.Message);
        }
    });

    private static JsonObject Schema()
    {
        var schema = ConfigSchema.ObjectSchemaOf<Configuration>();
        schema["description"] = "Where the canary metrics' samples come from: Prometheus, the two sides told apart by label matchers.";
        return schema;
    }

    /// <summary>The file form of <see cref="CanaryMetricSeries.FromPrometheus"/>.</summary>
    internal sealed class Configuration
    {
        /// <summary>The Prometheus server.</summary>
        public PrometheusConnection? Prometheus { get; set; }

        /// <summary>The baseline's label matchers, put where a metric's query says <c>$scope</c>.</summary>
        public string? BaselineScope { get; set; }

        /// <summary>The canary's label matchers.</summary>
        public string? CanaryScope { get; set; }

        /// <summary>The canary's window, a whole number of steps. Default: 10 minutes.</summary>
        public TimeSpan Lookback { get; set; } = TimeSpan.FromMinutes(10);

        /// <summary>The interval between samples. Default: 10 seconds.</summary>
        public TimeSpan Step { get; set; } = TimeSpan.FromSeconds(10);
    }
}
