namespace ReleaseGates;

/// <summary>An objective of an SLO of an OpenSLO file as the SLO gate's options, over a Prometheus events source.</summary>
internal static class OpenSloGates
{
    public static SloGateOptions ToSloOptions(OpenSloGateOptions options)
    {
        var file = options.File!;
        var document = OpenSloReader.Read(file);
        var problems = new List<string>();
        var slo = Pick(document.Slos, s => s.Name, options.Slo, "SLO", file, problems);
        var objective = slo is null ? null
            : Pick(slo.Objectives, o => o.DisplayName ?? "", options.Objective, $"objective of SLO '{slo.Name}'", slo.At.ToString(), problems);
        if (slo is null || objective is null)
        {
            throw new ReleaseGatesConfigurationException($"OpenSLO file {file}", problems);
        }

        var ratio = slo.Indicator ?? (document.Indicators.TryGetValue(slo.IndicatorRef!, out var named) ? named.Ratio : null);
        if (ratio is null)
        {
            problems.Add($"{slo.At}: SLO '{slo.Name}' refers to the SLI '{slo.IndicatorRef}', which the file does not define "
                + $"(SLIs: {string.Join(", ", document.Indicators.Keys.DefaultIfEmpty("none"))}).");
        }

        var connection = ratio is null ? null : Connection(ratio, document, options, problems);
        var window = slo.RollingWindow ?? slo.Calendar!.LongestPeriod;
        var slice = objective.TimeSliceWindow ?? TimeSpan.FromMinutes(1);
        if (slo.BudgetingMethod is not SloBudgetingMethod.Occurrences && slice.Ticks % options.Step.Ticks != 0)
        {
            problems.Add($"{objective.At}: the time slice of {slice} is not a whole number of the {options.Step} step: "
                + "set the gate's step to one that divides it.");
        }

        var longest = options.BurnRates.Where(r => r is not null).Select(r => r.LongWindow).DefaultIfEmpty(TimeSpan.Zero).Max();
        var reach = window > longest ? window : longest;
        var lookback = TimeSpan.FromTicks((reach.Ticks + options.Step.Ticks - 1) / options.Step.Ticks * options.Step.Ticks);
        if (problems.Count > 0 || ratio is null || connection is null)
        {
            throw new ReleaseGatesConfigurationException($"OpenSLO file {file}", problems);
        }

        var events = new PrometheusEventsOptions
        {
            Connection = connection, Total = ratio.Total.Query, Good = ratio.Good?.Query, Bad = ratio.Bad?.Query, Counter = ratio.Counter,
            Step = options.Step, Lookback = lookback,
        };
        return Options(options, slo, objective, window, slice, RequestMetricsSource.FromPrometheusEvents(events));
    }

    private static SloGateOptions Options(OpenSloGateOptions options, OpenSloSlo slo, OpenSloObjective objective, TimeSpan window,
        TimeSpan slice, RequestMetricsSource source)
    {
        var gate = new SloGateOptions
        {
            Source = source, Objective = objective.Target, Window = window, Calendar = slo.Calendar, BudgetingMethod = slo.BudgetingMethod,
            TimesliceWindow = slice, TimesliceTarget = objective.TimeSliceTarget,
            MinimumBudgetRemaining = options.MinimumBudgetRemaining, WarningBudgetRemaining = options.WarningBudgetRemaining,
            MinimumRequests = options.MinimumRequests,
            Category = options.Category, Importance = options.Importance, Weight = options.Weight, Timeout = options.Timeout,
            ReportOnly = options.ReportOnly, ConfigureResilience = options.ConfigureResilience,
        };
        gate.BurnRates.Clear();
        foreach (var rule in options.BurnRates)
        {
            gate.BurnRates.Add(rule);
        }

        foreach (var condition in options.Conditions)
        {
            gate.Conditions.Add(condition);
        }

        gate.Tags.UnionWith(options.Tags);
        return gate;
    }

    /// <summary>The one item the options name, or the only one; a problem listing the names otherwise.</summary>
    private static T? Pick<T>(IReadOnlyList<T> items, Func<T, string> name, string? wanted, string what, string where, List<string> problems)
        where T : class
    {
        if (wanted is null)
        {
            if (items.Count == 1)
            {
                return items[0];
            }

            problems.Add($"{where}: holds {items.Count} of {what}s ({string.Join(", ", items.Select(i => "'" + name(i) + "'"))}); name the one to gate on.");
            return null;
        }

        var found = items.FirstOrDefault(i => string.Equals(name(i), wanted, StringComparison.Ordinal));
        if (found is null)
        {
            problems.Add($"{where}: no {what} '{wanted}' ({string.Join(", ", items.Select(i => "'" + name(i) + "'"))}).");
        }

        return found;
    }

    /// <summary>
    /// The Prometheus connection of every query: each source must be of type Prometheus (given, or from the DataSource it
    /// names), and all must name one server; the options' address wins over the file's, and credentials come only from them.
    /// </summary>
    private static PrometheusConnection? Connection(OpenSloRatio ratio, OpenSloDocument document, OpenSloGateOptions options, List<string> problems)
    {
        var urls = new HashSet<Uri>();
        foreach (var source in ratio.Sources)
        {
            OpenSloDataSource? data = null;
            if (source.DataSourceRef is { } reference && !document.DataSources.TryGetValue(reference, out data)
                && (source.Type is null || string.Equals(source.Type, "Prometheus", StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add($"{source.At}: metricSourceRef '{reference}' names no DataSource of the file "
                    + $"({string.Join(", ", document.DataSources.Keys.DefaultIfEmpty("none"))}).");
                continue;
            }

            var type = source.Type ?? data?.Type;
            if (!string.Equals(type, "Prometheus", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{source.At}: a metricSource of type '{type ?? "(none)"}' is not read; this gate reads Prometheus sources "
                    + "(type: Prometheus, or a metricSourceRef to a Prometheus DataSource).");
                continue;
            }

            if (data is not null && !string.Equals(data.Type, "Prometheus", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{source.At}: the metricSource says Prometheus but its DataSource '{data.Name}' is of type '{data.Type}'.");
            }

            if (data?.Url is { } url)
            {
                urls.Add(url);
            }
        }

        var connection = Copy(options.Prometheus);
        if (connection.BaseAddress is null)
        {
            if (urls.Count > 1)
            {
                problems.Add($"{ratio.Total.At}: the SLI's queries name {urls.Count} Prometheus servers ({string.Join(", ", urls)}); one SLI reads one.");
            }

            connection.BaseAddress = urls.FirstOrDefault();
        }

        if (connection.BaseAddress is null)
        {
            problems.Add($"{ratio.Total.At}: no Prometheus address: give the DataSource connectionDetails.url, or the gate's prometheus connection.");
        }

        return connection;
    }

    private static PrometheusConnection Copy(PrometheusConnection? connection) => connection is null ? new PrometheusConnection() : new PrometheusConnection
    {
        BaseAddress = connection.BaseAddress, BearerToken = connection.BearerToken, Username = connection.Username, Password = connection.Password,
        AttemptTimeout = connection.AttemptTimeout, MaximumRetries = connection.MaximumRetries, RetryDelay = connection.RetryDelay,
        HttpClient = connection.HttpClient,
    };
}
