using System.Globalization;
using ReleaseGates.Metrics;

namespace ReleaseGates;

/// <summary>
/// Reads events counted by PromQL into per-step windows: the total and the good or bad ones, each from range queries over
/// the lookback. Counters are differenced series by series at the step's sample times (no extrapolation, unlike
/// <c>increase()</c>), so what was counted between two samples is what the windows hold.
/// </summary>
internal sealed class PrometheusEventCounts(PrometheusEventsOptions options, TimeProvider time)
{
    private readonly PrometheusClient _client = new(options.Connection, time);

    /// <summary>The queries as a report cell shows them.</summary>
    public string Description => $"Prometheus {_client.Server}: {(options.Good is not null ? "good " + options.Good : "bad " + options.Bad)} "
        + $"of {options.Total} over the last {MetricUnitFormat.ShortDuration(options.Lookback)}";

    public async ValueTask<RequestMetrics> ReadAsync(CancellationToken cancellationToken)
    {
        var step = options.Step;
        var sinceEpoch = time.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var end = DateTimeOffset.UnixEpoch.AddTicks(sinceEpoch - (sinceEpoch % step.Ticks));
        var steps = (int)(options.Lookback / step);
        var first = end - (step * steps); // the counters' starting point: one sample before the first window
        var totalTask = CountsAsync(options.Total!, first, steps, cancellationToken);
        var partTask = CountsAsync(options.Good ?? options.Bad!, first, steps, cancellationToken);
        await Task.WhenAll(totalTask, partTask).ConfigureAwait(false);
        var (totals, parts) = (await totalTask.ConfigureAwait(false), await partTask.ConfigureAwait(false));

        var windows = new RequestWindows(step, steps + 1, time);
        long total = 0, bad = 0, excess = 0;
        for (var i = 1; i <= steps; i++)
        {
            var (stepTotal, part) = ((long)Math.Round(totals[i]), (long)Math.Round(parts[i]));
            excess += Math.Max(0, part - stepTotal);
            var stepBad = options.Good is not null ? stepTotal - Math.Min(part, stepTotal) : Math.Min(part, stepTotal);
            windows.AddInterval(first + (step * (i - 1)), stepTotal, stepBad, latency: null);
            (total, bad) = (total + stepTotal, bad + stepBad);
        }

        var partQuery = options.Good ?? options.Bad!;
        if (excess > Math.Max(1, total / 1000))
        {
            // A few events may fall between two scrapes of different series; many mean the queries count different things.
            throw new InvalidDataException($"Prometheus at {_client.Server}: '{partQuery}' counted {excess} more events than '{options.Total}' "
                + $"in the same steps over {MetricUnitFormat.ShortDuration(options.Lookback)}: the {(options.Good is not null ? "good" : "bad")} query must count a part "
                + "of the total's events.");
        }

        var evidence = new Finding(PrometheusConstants.EventWindows, FindingSeverity.Info,
            $"Events from range queries: step {PromQl.Duration(step)} over the {MetricUnitFormat.ShortDuration(options.Lookback)} to "
                + $"{end.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)} ({steps} windows); total '{options.Total}', "
                + $"{(options.Good is not null ? "good" : "bad")} '{partQuery}', "
                + (options.Counter ? "counters differenced series by series at each step (a fall is a restart from zero)." : "each sample the step's count."))
        { Target = Description };
        return new RequestMetrics { Total = total, Errors = bad, Duration = options.Lookback, Windows = windows, SourceFindings = [evidence] };
    }

    /// <summary>
    /// The events of each step of one query, index i holding those of (first + (i − 1) × step, first + i × step]; index 0
    /// is the starting point and holds none. Read in queries of at most <see cref="PrometheusEventsOptions.PointsPerQuery"/> samples.
    /// </summary>
    private async Task<double[]> CountsAsync(string query, DateTimeOffset first, int steps, CancellationToken cancellationToken)
    {
        var step = options.Step;
        var series = new Dictionary<string, double[]>(StringComparer.Ordinal);
        for (var from = 0; from <= steps; from += PrometheusEventsOptions.PointsPerQuery)
        {
            var to = Math.Min(steps, from + PrometheusEventsOptions.PointsPerQuery - 1);
            var result = await _client.QueryRangeAsync(query, first + (step * from), first + (step * to), step, cancellationToken).ConfigureAwait(false);
            foreach (var s in result.Series)
            {
                var key = string.Join(",", s.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value));
                if (!series.TryGetValue(key, out var values))
                {
                    series[key] = values = new double[steps + 1];
                    Array.Fill(values, double.NaN);
                }

                foreach (var (t, value) in s.Samples)
                {
                    var index = (long)Math.Round((t - first) / step);
                    if (!double.IsFinite(value) || value < 0)
                    {
                        throw new InvalidDataException($"Prometheus at {_client.Server}: '{query}' gave {value.ToString(CultureInfo.InvariantCulture)} for "
                            + $"{s} at {t.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}; an event count must be a finite number of at least 0.");
                    }

                    if (index >= 0 && index <= steps)
                    {
                        values[index] = value;
                    }
                }
            }
        }

        var counts = new double[steps + 1];
        foreach (var values in series.Values)
        {
            if (options.Counter)
            {
                AddGrowth(values, counts);
            }
            else
            {
                for (var i = 1; i <= steps; i++)
                {
                    counts[i] += double.IsNaN(values[i]) ? 0 : values[i];
                }
            }
        }

        return counts;
    }

    /// <summary>
    /// Adds one counter series' growth per step: from its previous sample, a fall being a restart from zero; a series
    /// first seen after the starting point counts from zero, one that vanished and came back from where it was.
    /// </summary>
    internal static void AddGrowth(double[] values, double[] counts)
    {
        var last = double.IsNaN(values[0]) ? (double?)null : values[0];
        for (var i = 1; i < values.Length; i++)
        {
            var value = values[i];
            if (double.IsNaN(value))
            {
                continue;
            }

            counts[i] += last is not { } previous ? value : value >= previous ? value - previous : value;
            last = value;
        }
    }
}
