namespace ReleaseGates;

/// <summary>
/// An SLO's error ratios as Sloth's recording rules keep them in Prometheus (<c>slo:sli_error:ratio_rate5m</c>,
/// <c>…_rate1h</c>, <c>…_rate30d</c>, labelled <c>sloth_id</c>): read as they stand, for the SLO's window and every
/// burn-rate window, instead of counting events from a source. Ratios carry no counts, so the gate cannot tell how many
/// requests a ratio stands on; a ratio that is missing or not a number (no traffic) is inconclusive.
/// </summary>
public sealed class SloRecordedRatios
{
    /// <summary>The Prometheus server that evaluates the rules. Required: set its <see cref="PrometheusConnection.BaseAddress"/>.</summary>
    public PrometheusConnection Connection { get; set; } = new();

    /// <summary>The label matchers of the SLO's series, such as <c>sloth_id="checkout-availability"</c>. Required.</summary>
    public string? Selector { get; set; }

    /// <summary>
    /// The recorded series' name, <c>{window}</c> standing for the window as Sloth writes it (<c>5m</c>, <c>1h</c>,
    /// <c>3d</c>, <c>30d</c>). Default: <c>slo:sli_error:ratio_rate{window}</c>.
    /// </summary>
    public string MetricPattern { get; set; } = "slo:sli_error:ratio_rate{window}";

    internal SloRecordedRatios Copy()
    {
        var copy = (SloRecordedRatios)MemberwiseClone();
        copy.Connection = Connection.Copy();
        return copy;
    }

    internal void Validate(ICollection<string> problems)
    {
        if (Connection is null)
        {
            problems.Add($"RecordedRatios.{nameof(Connection)} is required.");
        }
        else
        {
            Connection.Validate(problems, "RecordedRatios");
        }

        if (string.IsNullOrWhiteSpace(Selector))
        {
            problems.Add($"RecordedRatios.{nameof(Selector)} is required: the SLO's label matchers, such as sloth_id=\"checkout-availability\".");
        }

        if (string.IsNullOrWhiteSpace(MetricPattern) || !MetricPattern.Contains("{window}", StringComparison.Ordinal)
            || !PromQl.IsMetricName(MetricPattern.Replace("{window}", "5m", StringComparison.Ordinal)))
        {
            problems.Add($"RecordedRatios.{nameof(MetricPattern)} is a metric name with {{window}} in it (slo:sli_error:ratio_rate{{window}}), "
                + $"but was '{MetricPattern}'.");
        }
    }

    /// <summary>The query of one window's ratio.</summary>
    internal string Query(string window) => MetricPattern.Replace("{window}", window, StringComparison.Ordinal) + "{" + Selector!.Trim() + "}";
}
