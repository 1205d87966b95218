using ReleaseGates.Metrics;

namespace ReleaseGates;

/// <summary>
/// The fleet's numbers, merged from the instances' answers: each answer goes into one of a few partial merges (one per
/// processor, each under its own lock), so merging runs in parallel; <see cref="Result"/> combines the partials. Histograms are added from their binary form
/// (<see cref="LatencyHistogram.AddSerialized"/>), never built per instance. Windows are shared (they lock themselves).
/// </summary>
internal sealed class FleetMerge
{
    private readonly FleetRequestMetricsOptions _options;
    private readonly TimeProvider _time;
    private readonly Partial[] _partials;
    private readonly object _windowsLock = new();
    private RequestWindows? _windows;

    public FleetMerge(FleetRequestMetricsOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _partials = [.. Enumerable.Range(0, Math.Clamp(Environment.ProcessorCount, 1, 16)).Select(_ => new Partial())];
    }

    /// <summary>How many partial merges there are: callers spread answers over them by index.</summary>
    public int Partitions => _partials.Length;

    /// <summary>Adds the selected series of one instance's answer; an exception names the instance when it does not fit the others.</summary>
    public void Add(int index, string name, InstanceHistograms histograms)
    {
        var windows = WindowsFor(name, histograms);
        var partial = _partials[index % _partials.Length];
        lock (partial)
        {
            foreach (var series in histograms.Series)
            {
                if (!Selected(series))
                {
                    continue;
                }

                try
                {
                    partial.Latency = series.AddTo(partial.Latency);
                    foreach (var interval in windows is null ? [] : series.Intervals)
                    {
                        windows!.AddInterval(interval.Start, interval.Requests, interval.Errors, interval.DecodeLatency(name));
                    }
                }
                catch (ArgumentException ex)
                {
                    throw new InvalidDataException(
                        $"The instance {name} records latency differently from the others: {ex.Message} Set the same SignificantDigits on "
                            + "every instance.", ex);
                }

                partial.Total = checked(partial.Total + series.Requests);
                partial.Errors = checked(partial.Errors + series.Errors);
            }
        }
    }

    /// <summary>The partials combined: every request's latency, counts and the windows.</summary>
    public (LatencyHistogram Latency, long Total, long Errors, RequestWindows? Windows) Result()
    {
        LatencyHistogram? latency = null;
        long total = 0, errors = 0;
        foreach (var partial in _partials)
        {
            if (partial.Latency is { } part)
            {
                try
                {
                    (latency ??= part.CreateEmptyLike()).Add(part);
                }
                catch (ArgumentException ex)
                {
                    throw new InvalidDataException(
                        $"The instances record latency differently: {ex.Message} Set the same SignificantDigits on every instance.", ex);
                }
            }

            total = checked(total + partial.Total);
            errors = checked(errors + partial.Errors);
        }

        return (latency ?? new LatencyHistogram(), total, errors, _windows);
    }

    /// <summary>Whether a series is the one the source reads: every request, or the endpoints matching the method and route.</summary>
    private bool Selected(InstanceSeries series)
        => _options.Method is null && _options.Route is null
            ? series.IsTotal
            : !series.IsTotal && (_options.Method is null || string.Equals(series.Method, _options.Method, StringComparison.OrdinalIgnoreCase))
                && (_options.Route is null || string.Equals(series.Route, _options.Route, StringComparison.Ordinal));

    /// <summary>
    /// The fleet's windows (made from the first answer, with its interval), checked against this answer: it must reach as
    /// far back as the lookback and keep intervals of the same length. Null without a lookback.
    /// </summary>
    private RequestWindows? WindowsFor(string name, InstanceHistograms histograms)
    {
        if (_options.Lookback is not { } lookback)
        {
            return null;
        }

        if (histograms.Lookback + histograms.Interval < lookback)
        {
            throw new InvalidDataException(
                $"The instance {name} keeps {histograms.Lookback} of windows; the source asks for {lookback}. Lower Lookback, or keep "
                    + "more intervals on the instances (HttpMetricsCollectorOptions.WindowIntervalCount).");
        }

        lock (_windowsLock)
        {
            _windows ??= new RequestWindows(histograms.Interval, (int)Math.Ceiling(lookback / histograms.Interval) + 1, _time, trackLatency: true,
                histograms.Series.Count == 0 ? 3 : histograms.Series[0].SignificantDigits);
        }

        if (histograms.Interval != _windows.Interval)
        {
            throw new InvalidDataException(
                $"The instance {name} keeps windows of {histograms.Interval}, another instance {_windows.Interval}: set the same "
                    + "WindowInterval on every instance.");
        }

        return _windows;
    }

    /// <summary>One partial merge, locked while an answer is added.</summary>
    private sealed class Partial
    {
        public LatencyHistogram? Latency { get; set; }

        public long Total { get; set; }

        public long Errors { get; set; }
    }
}
