namespace ReleaseGates;

/// <summary>The Prometheus sources' finding codes, listed on their docs page.</summary>
internal static class PrometheusConstants
{
    /// <summary>The page that documents every finding code below.</summary>
    public const string DocsPage = "docs/prometheus.md";

    public const string NativeHistogram = "prometheus.native-histogram";

    public const string RangeWindows = "prometheus.range-windows";

    public const string EventWindows = "prometheus.event-windows";
}
