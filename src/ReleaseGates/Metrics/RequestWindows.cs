namespace ReleaseGates.Metrics;

/// <summary>
/// Per-interval request counters (total, errors) and, optionally, per-interval latency histograms, in a ring driven by a
/// <see cref="TimeProvider"/>. Answers "the error rate over the last N minutes", "breached in every interval of the last
/// 3 minutes" (sustained) and the SRE multiwindow burn rate.
/// </summary>
/// <remarks>
/// Intervals are aligned to the Unix epoch (a 1-minute interval runs from :00 to :00), so windows from different
/// processes line up. Events older than the ring are counted in <see cref="TooOldCount"/>, never silently dropped; events
/// in the future of the clock are counted in the current interval. Thread-safe (a short lock per event).
/// </remarks>
public sealed class RequestWindows
{
    private readonly object _lock = new();
    private readonly long[] _intervalIds;
    private readonly long[] _totals;
    private readonly long[] _errors;
    private readonly LatencyHistogram?[] _latency;
    private readonly LatencyHistogram? _latencyTemplate;
    private readonly TimeProvider _time;
    private long _tooOld;

    /// <summary>Creates a ring.</summary>
    /// <param name="interval">The length of one interval; at least 1 ms.</param>
    /// <param name="intervalCount">How many intervals are kept; at least 2. The ring spans <c>interval × intervalCount</c>.</param>
    /// <param name="timeProvider">The clock. Default: <see cref="TimeProvider.System"/>.</param>
    /// <param name="trackLatency">Whether to keep a latency histogram per interval.</param>
    /// <param name="significantDigits">The precision of the latency histograms.</param>
    public RequestWindows(TimeSpan interval, int intervalCount, TimeProvider? timeProvider = null, bool trackLatency = false, int significantDigits = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.FromMilliseconds(1));
        ArgumentOutOfRangeException.ThrowIfLessThan(intervalCount, 2);
        Interval = interval;
        _time = timeProvider ?? TimeProvider.System;
        // One slot more than asked for: the current, partial interval, so that intervalCount complete ones are always kept.
        IntervalCount = intervalCount;
        _intervalIds = new long[intervalCount + 1];
        Array.Fill(_intervalIds, long.MinValue);
        _totals = new long[intervalCount + 1];
        _errors = new long[intervalCount + 1];
        _latency = new LatencyHistogram?[intervalCount + 1];
        _latencyTemplate = trackLatency ? new LatencyHistogram(significantDigits) : null;
    }

    /// <summary>The length of one interval.</summary>
    public TimeSpan Interval { get; }

    /// <summary>How many complete intervals the ring keeps (besides the current one).</summary>
    public int IntervalCount { get; }

    /// <summary>How far back the ring reaches: <see cref="Interval"/> × <see cref="IntervalCount"/>.</summary>
    public TimeSpan Capacity => Interval * IntervalCount;

    /// <summary>Events that were older than the ring when recorded (with <see cref="RecordAt"/>).</summary>
    public long TooOldCount => Interlocked.Read(ref _tooOld);

    /// <summary>Records one event now.</summary>
    /// <param name="isError">Whether the event counts against the error budget.</param>
    /// <param name="latency">Its latency, if latency is tracked.</param>
    public void Record(bool isError, TimeSpan? latency = null) => RecordNow(_time.GetUtcNow(), isError, latency);

    /// <summary>Records one event at a given time (for imported samples with timestamps).</summary>
    /// <param name="timestamp">When the event happened.</param>
    /// <param name="isError">Whether the event counts against the error budget.</param>
    /// <param name="latency">Its latency, if latency is tracked.</param>
    public void RecordAt(DateTimeOffset timestamp, bool isError, TimeSpan? latency = null)
    {
        var now = IntervalId(_time.GetUtcNow());
        RecordIn(Math.Min(IntervalId(timestamp), now), now, isError, latency);
    }

    /// <summary>Records one event at <paramref name="now"/>, a reading of this ring's clock the caller already took.</summary>
    internal void RecordNow(DateTimeOffset now, bool isError, TimeSpan? latency)
    {
        var id = IntervalId(now);
        RecordIn(id, id, isError, latency);
    }

    private void RecordIn(long id, long now, bool isError, TimeSpan? latency)
    {
        lock (_lock)
        {
            if (id <= now - _totals.Length)
            {
                _tooOld++;
                return;
            }

            var slot = SlotOf(id);
            if (_intervalIds[slot] != id)
            {
                _intervalIds[slot] = id;
                _totals[slot] = 0;
                _errors[slot] = 0;
                _latency[slot]?.Reset();
            }

            _totals[slot]++;
            if (isError)
            {
                _errors[slot]++;
            }

            if (_latencyTemplate is not null && latency is { } l)
            {
                (_latency[slot] ??= _latencyTemplate.CreateEmptyLike()).Record(l);
            }
        }
    }

    /// <summary>
    /// The intervals that overlap the last <paramref name="lookback"/>, oldest first, including the current partial one. With
    /// interval granularity a window can cover up to one interval more than asked; choose the interval accordingly.
    /// </summary>
    /// <param name="lookback">How far back; at most <see cref="Capacity"/>.</param>
    /// <returns>One entry per interval, empty intervals included.</returns>
    public IReadOnlyList<WindowInterval> GetIntervals(TimeSpan lookback) => GetIntervals(lookback, includeCurrent: true);

    /// <summary>Totals over the last <paramref name="lookback"/>, the current partial interval included.</summary>
    /// <param name="lookback">How far back; at most <see cref="Capacity"/>.</param>
    /// <returns>The totals.</returns>
    public WindowTotals GetTotals(TimeSpan lookback)
    {
        var intervals = GetIntervals(lookback);
        long total = 0, errors = 0;
        foreach (var i in intervals)
        {
            total += i.Total;
            errors += i.Errors;
        }

        return new WindowTotals(intervals[0].Start, intervals[^1].End, total, errors);
    }

    /// <summary>The latency of the last <paramref name="lookback"/>, merged from the intervals; <see langword="null"/> unless latency is tracked.</summary>
    /// <param name="lookback">How far back.</param>
    /// <returns>A new histogram owned by the caller.</returns>
    public LatencyHistogram? GetLatency(TimeSpan lookback)
    {
        if (_latencyTemplate is null)
        {
            return null;
        }

        var merged = _latencyTemplate.CreateEmptyLike();
        var (first, last) = Overlapping(lookback);
        lock (_lock)
        {
            for (var id = first; id <= last; id++)
            {
                var slot = SlotOf(id);
                if (_intervalIds[slot] == id && _latency[slot] is { } h)
                {
                    merged.Add(h);
                }
            }
        }

        return merged;
    }

    /// <summary>
    /// Whether a condition held in every complete interval of the last <paramref name="span"/> ("error rate above 10 % for
    /// 3 minutes"). An interval with fewer than <paramref name="minimumEvents"/> events cannot show a breach: it breaks the
    /// streak and is reported as lacking data.
    /// </summary>
    /// <param name="span">How long the condition must hold; a whole number of intervals.</param>
    /// <param name="breached">Whether one interval breaches.</param>
    /// <param name="minimumEvents">The fewest events an interval needs to judge it. Default 1.</param>
    /// <returns>The verdict and the intervals looked at.</returns>
    public SustainedResult CheckSustained(TimeSpan span, Func<WindowInterval, bool> breached, long minimumEvents = 1)
    {
        ArgumentNullException.ThrowIfNull(breached);
        if (span.Ticks % Interval.Ticks != 0 || span <= TimeSpan.Zero)
        {
            throw new ArgumentException($"The span {span} must be a positive whole number of intervals of {Interval}.", nameof(span));
        }

        var intervals = GetIntervals(span, includeCurrent: false);
        var judged = intervals.Count(i => i.Total >= minimumEvents);
        var breaches = intervals.Count(i => i.Total >= minimumEvents && breached(i));
        return new SustainedResult(breaches == intervals.Length && intervals.Length > 0, intervals.Length, judged, breaches, intervals);
    }

    /// <summary>
    /// Whether a latency percentile exceeded <paramref name="threshold"/> in every complete interval of the last
    /// <paramref name="span"/> ("p(95) above 3 s for 5 minutes", a rollback trigger). Needs windows that track latency.
    /// </summary>
    /// <param name="percentile">The percentile, 0 to 100 (nearest rank, as <see cref="LatencyHistogram.ValueAtPercentile"/>).</param>
    /// <param name="threshold">The latency the percentile must exceed to breach an interval.</param>
    /// <param name="span">How long; a whole number of intervals.</param>
    /// <param name="minimumEvents">The fewest events an interval needs to judge it.</param>
    /// <returns>The verdict.</returns>
    /// <exception cref="InvalidOperationException">The windows were created without <c>trackLatency</c>.</exception>
    public SustainedResult CheckLatencySustainedAbove(double percentile, TimeSpan threshold, TimeSpan span, long minimumEvents = 1)
    {
        if (_latencyTemplate is null)
        {
            throw new InvalidOperationException("These windows keep no per-interval latency (created without trackLatency).");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(percentile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        var limit = threshold.Ticks * 100;
        return CheckSustained(span, i => LatencyAt(i.Start, percentile) > limit, minimumEvents);
    }

    /// <summary>The percentile of the interval starting at <paramref name="start"/>, in nanoseconds; -1 when it holds no latency.</summary>
    private long LatencyAt(DateTimeOffset start, double percentile)
    {
        var id = IntervalId(start);
        lock (_lock)
        {
            var slot = SlotOf(id);
            return _intervalIds[slot] == id && _latency[slot] is { Count: > 0 } h ? h.ValueAtPercentile(percentile) : -1;
        }
    }

    /// <summary>Whether these windows keep a latency histogram per interval.</summary>
    public bool TracksLatency => _latencyTemplate is not null;

    /// <summary>Whether the error rate exceeded <paramref name="errorRate"/> in every complete interval of the last <paramref name="span"/>.</summary>
    /// <param name="errorRate">The rate, 0 to 1.</param>
    /// <param name="span">How long; a whole number of intervals.</param>
    /// <param name="minimumEvents">The fewest events an interval needs to judge it.</param>
    /// <returns>The verdict.</returns>
    public SustainedResult CheckErrorRateSustainedAbove(double errorRate, TimeSpan span, long minimumEvents = 1)
        => CheckSustained(span, i => i.ErrorRate > errorRate, minimumEvents);

    /// <summary>
    /// The SRE multiwindow burn rate: burn = error rate ÷ (1 − SLO) over a long and a short window ending now; breached when
    /// both exceed <paramref name="threshold"/> (for example 1 h and 5 min at 14.4 for a 30-day 99.9 % SLO).
    /// </summary>
    /// <param name="slo">The objective, for example 0.999.</param>
    /// <param name="longWindow">The long window.</param>
    /// <param name="shortWindow">The short window.</param>
    /// <param name="threshold">The burn-rate threshold.</param>
    /// <param name="minimumEvents">The fewest events each window needs; fewer makes the result inconclusive.</param>
    /// <returns>The burn rates and the verdict.</returns>
    public BurnRateResult GetBurnRate(double slo, TimeSpan longWindow, TimeSpan shortWindow, double threshold, long minimumEvents = 1)
    {
        if (!(slo > 0 && slo < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(slo), slo, "The SLO lies strictly between 0 and 1 (0.999 for 99.9 %).");
        }

        if (shortWindow > longWindow)
        {
            throw new ArgumentException($"The short window {shortWindow} is longer than the long window {longWindow}.", nameof(shortWindow));
        }

        var budget = 1 - slo;
        var longTotals = GetTotals(longWindow);
        var shortTotals = GetTotals(shortWindow);
        var longBurn = longTotals.ErrorRate / budget;
        var shortBurn = shortTotals.ErrorRate / budget;
        var conclusive = longTotals.Total >= minimumEvents && shortTotals.Total >= minimumEvents;
        return new BurnRateResult(longBurn, shortBurn, threshold, conclusive && longBurn > threshold && shortBurn > threshold, conclusive, longTotals, shortTotals);
    }

    /// <summary>
    /// The intervals that overlap the window (now − lookback, now], or with <paramref name="includeCurrent"/> false, the
    /// complete intervals that end at or before now and cover the lookback.
    /// </summary>
    private WindowInterval[] GetIntervals(TimeSpan lookback, bool includeCurrent)
    {
        long first, last;
        if (includeCurrent)
        {
            (first, last) = Overlapping(lookback);
        }
        else
        {
            last = IntervalId(_time.GetUtcNow()) - 1;
            first = last - (int)Math.Ceiling((double)lookback.Ticks / Interval.Ticks) + 1;
        }

        if (first <= IntervalId(_time.GetUtcNow()) - _totals.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(lookback), lookback, $"The ring keeps {Capacity}; {lookback} reaches further back.");
        }

        var result = new WindowInterval[last - first + 1];
        lock (_lock)
        {
            for (var id = first; id <= last; id++)
            {
                var slot = SlotOf(id);
                var live = _intervalIds[slot] == id;
                result[id - first] = new WindowInterval(StartOf(id), StartOf(id + 1), live ? _totals[slot] : 0, live ? _errors[slot] : 0);
            }
        }

        return result;
    }

    /// <summary>The first and last interval ids overlapping (now − lookback, now]: the current interval always, plus those reaching into the lookback.</summary>
    private (long First, long Last) Overlapping(TimeSpan lookback)
    {
        if (lookback <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(lookback), lookback, "The lookback must be positive.");
        }

        var now = _time.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var last = (long)Math.Floor((double)now / Interval.Ticks);
        var first = (long)Math.Floor((double)(now - lookback.Ticks) / Interval.Ticks);
        return (first, last);
    }

    private long IntervalId(DateTimeOffset t) => (long)Math.Floor((double)(t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / Interval.Ticks);

    private DateTimeOffset StartOf(long id) => DateTimeOffset.UnixEpoch.AddTicks(id * Interval.Ticks);

    private int SlotOf(long id) => (int)(((id % _totals.Length) + _totals.Length) % _totals.Length);
}
