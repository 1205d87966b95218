namespace ReleaseGates;

/// <summary>Where a node of an OpenSLO file stands, as problems name it: <c>file:line:column</c>.</summary>
internal readonly record struct OpenSloPosition(string File, long Line, long Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}

/// <summary>A query of an SLI: OpenSLO's <c>metricSource</c>, its type given or taken from the DataSource it names.</summary>
internal sealed record OpenSloMetricSource(string Query, string? Type, string? DataSourceRef, OpenSloPosition At);

/// <summary>A <c>ratioMetric</c>: the total and the good or the bad events.</summary>
internal sealed record OpenSloRatio(bool Counter, OpenSloMetricSource Total, OpenSloMetricSource? Good, OpenSloMetricSource? Bad)
{
    public IEnumerable<OpenSloMetricSource> Sources => new[] { Total, Good, Bad }.OfType<OpenSloMetricSource>();
}

/// <summary>One objective of an SLO: its target and, for time slices, the slice's length and target.</summary>
internal sealed record OpenSloObjective(string? DisplayName, double Target, double? TimeSliceTarget, TimeSpan? TimeSliceWindow, OpenSloPosition At);

/// <summary>An SLO with its indicator given inline or by reference, its window and its objectives.</summary>
internal sealed record OpenSloSlo(
    string Name,
    string? Service,
    OpenSloRatio? Indicator,
    string? IndicatorRef,
    TimeSpan? RollingWindow,
    SloCalendar? Calendar,
    SloBudgetingMethod BudgetingMethod,
    IReadOnlyList<OpenSloObjective> Objectives,
    OpenSloPosition At);

/// <summary>A <c>DataSource</c>: its type and, for Prometheus, the server's address.</summary>
internal sealed record OpenSloDataSource(string Name, string Type, Uri? Url, OpenSloPosition At);

/// <summary>Everything an OpenSLO file defines that a gate reads.</summary>
internal sealed class OpenSloDocument
{
    public List<OpenSloSlo> Slos { get; } = [];

    public Dictionary<string, (OpenSloRatio Ratio, OpenSloPosition At)> Indicators { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, OpenSloDataSource> DataSources { get; } = new(StringComparer.Ordinal);
}
