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

    // Set when the windows are fed from a sharded recorder (see Observe): what was recorded since the last flush belongs
    // to interval _feedId, whose bounds in UTC ticks the writers' fast path compares with.
    private readonly ConcurrentLatencyRecorder? _feed;
    private readonly Func<long>? _feedErrors;
    private LatencyHistogram? _feedLast;
    private LatencyHistogram? _feedScratch;
    private LatencyHistogram? _feedDelta;
    private long _feedLastErrors;
    private long _feedId = long.MinValue;
    private long _feedStart = long.MaxValue;
    private long _feedEnd = long.MinValue;

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

    /// <summary>
    /// Windows that read their events from a recorder instead of being told each one: writers record into
    /// <paramref name="feed"/> (a histogram per thread, no lock) and count errors in the counter
    /// <paramref name="errors"/> reads, and call <see cref="Observe"/> with the event's time first. The recorded
    /// values are moved into the ring, under the lock, when an interval ends and whenever the windows are read, so a
    /// busy endpoint takes the lock once per interval instead of once per event.
    /// </summary>
    internal RequestWindows(TimeSpan interval, int intervalCount, TimeProvider timeProvider, int significantDigits,
        ConcurrentLatencyRecorder feed, Func<long> errors)
        : this(interval, intervalCount, timeProvider, trackLatency: true, significantDigits)
    {
        _feed = feed;
        _feedErrors = errors;
        _feedLast = feed.CreateEmptyHistogram();
        _feedScratch = feed.CreateEmptyHistogram();
        _feedDelta = feed.CreateEmptyHistogram();
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

    /// <summary>
    /// Called by a writer of a fed ring before it records an event at <paramref name="utcTicks"/>: while the event falls
    /// in the current interval this is two comparisons; the first event of a new interval moves what the previous
    /// interval recorded into the ring.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal void Observe(long utcTicks)
    {
        // The two bounds are read apart: a writer that sees one of them already moved either passes correctly or takes the lock.
        if (utcTicks < Volatile.Read(ref _feedStart) || utcTicks >= Volatile.Read(ref _feedEnd))
        {
            StartInterval(utcTicks);
        }
    }

    private void StartInterval(long utcTicks)
    {
        // Another thread holding the lock is moving the interval or reading: rather than wait while it copies every shard,
        // this event is recorded at once and lands on one side of the boundary or the other (off by at most that copy).
        if (!Monitor.TryEnter(_lock))
        {
            return;
        }

        try
        {
            MoveTo(utcTicks);
        }
        finally
        {
            Monitor.Exit(_lock);
        }
    }

    /// <summary>
    /// For a fed ring whose writers do not call <see cref="Observe"/> (a ticker ends the intervals instead): moves what the
    /// feed recorded into the current interval and makes the interval of <paramref name="utcTicks"/> current.
    /// </summary>
    internal void EndInterval(long utcTicks)
    {
        lock (_lock)
        {
            MoveTo(utcTicks);
        }
    }

    /// <summary>Moves what the feed recorded into the ring and makes the interval of <paramref name="utcTicks"/> current unless a later one is. Under the lock.</summary>
    private void MoveTo(long utcTicks)
    {
        var id = IntervalIdOfTicks(utcTicks);
        FlushFeed(id);
        if (id > _feedId)
        {
            // An event read from a clock behind the current interval is counted in it (and takes the slow path each time).
            _feedId = id;
            Volatile.Write(ref _feedEnd, StartOf(id + 1).UtcTicks);
            Volatile.Write(ref _feedStart, StartOf(id).UtcTicks);
        }
    }

    /// <summary>Moves what the feed recorded since the last flush into interval <c>_feedId</c> (now's, if none is open yet). Under the lock.</summary>
    private void FlushFeed(long nowId)
    {
        if (_feed is null || _feedLast is null || _feedScratch is null || _feedDelta is null || _feedErrors is null)
        {
            return;
        }

        // Errors are read before the values: a writer counts a request's error after recording its value, so every error
        // read here has its value in the copy below, and errors never outnumber requests.
        var recorded = _feedLast.Count + _feedLast.InvalidCount;
        var errors = _feedLastErrors;
        var errorsNow = _feedErrors();
        if (_feed.RecordedCount == recorded && errorsNow == errors)
        {
            return;
        }

        _feed.CopyCumulativeInto(_feedScratch);
        var total = _feedScratch.Count + _feedScratch.InvalidCount - recorded;
        // Before any interval was opened, only a writer that found the lock taken can have recorded: its values are now's.
        var id = _feedId == long.MinValue ? nowId : _feedId;
        var live = id > nowId - _totals.Length;
        if (live && total > 0)
        {
            var slot = SlotFor(id);
            _totals[slot] += total;
            _feedDelta.Reset();
            _feedDelta.AddDifference(_feedScratch, _feedLast);
            _feedDelta.SetExtremesFromBuckets(_feedScratch.Min, _feedScratch.Max);
            (_latency[slot] ??= _latencyTemplate!.CreateEmptyLike()).Add(_feedDelta);
        }

        // Past the ring, values and errors expire together; otherwise an error whose value an earlier flush moved waits
        // (rarely) for an interval with room.
        _feedLastErrors = live ? errors + PlaceErrors(id, errorsNow - errors) : errorsNow;
        (_feedLast, _feedScratch) = (_feedScratch, _feedLast);
    }

    /// <summary>
    /// Adds up to <paramref name="count"/> errors to interval <paramref name="id"/>, and what does not fit (an interval
    /// never holds more errors than requests) to the newest earlier intervals with room: a request whose value was moved by
    /// one flush and whose error by the next. Returns how many were placed. Under the lock.
    /// </summary>
    private long PlaceErrors(long id, long count)
    {
        var placed = 0L;
        for (var k = id; k > id - _totals.Length && placed < count; k--)
        {
            var slot = SlotOf(k);
            if (_intervalIds[slot] == k)
            {
                var take = Math.Min(_totals[slot] - _errors[slot], count - placed);
                _errors[slot] += take;
                placed += take;
            }
        }

        return placed;
    }

    /// <summary>Before a read: moves what the feed recorded into the ring. Under the lock.</summary>
    private void FlushFeedForRead()
    {
        if (_feed is not null)
        {
            MoveTo(_time.GetUtcNow().UtcTicks);
        }
    }

    /// <summary>The slot of interval <paramref name="id"/>, emptied first if it held an older interval. Under the lock.</summary>
    private int SlotFor(long id)
    {
        var slot = SlotOf(id);
        if (_intervalIds[slot] != id)
        {
            _intervalIds[slot] = id;
            _totals[slot] = 0;
            _errors[slot] = 0;
            _latency[slot]?.Reset();
        }

        return slot;
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

            var slot = SlotFor(id);
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
            FlushFeedForRead();
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
            FlushFeedForRead();
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
        return new BurnRateResult(longBurn, shortBurn, threshold, conclusive && longBurn > threshold && shortBurn > threshold, conclusive,
            longTotals, shortTotals);
    }

    /// <summary>
    /// The intervals overlapping the last <paramref name="lookback"/> (clamped to what the ring keeps), oldest first, each with
    /// a copy of its latency histogram (null when it holds none): what an instance serves to a fleet. Read under the ring's
    /// lock, which a writer only ever tries to take (at an interval boundary), so the read never blocks recording.
    /// </summary>
    internal IReadOnlyList<(WindowInterval Interval, LatencyHistogram? Latency)> Export(TimeSpan lookback)
    {
        var result = new List<(WindowInterval, LatencyHistogram?)>();
        Visit(lookback, (interval, latency) => result.Add((interval, latency?.Copy())));
        return result;
    }

    /// <summary>The clock's time now, as the windows see it.</summary>
    internal DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>
    /// Calls <paramref name="visit"/> for each interval overlapping the last <paramref name="lookback"/> (clamped to what the
    /// ring keeps), oldest first, with its latency histogram (null when it holds none) lent for the call only: read, not kept.
    /// </summary>
    internal void Visit(TimeSpan lookback, Action<WindowInterval, LatencyHistogram?> visit)
    {
        var clamped = lookback > Capacity ? Capacity : lookback;
        var (first, last) = Overlapping(clamped);
        first = Math.Max(first, last - IntervalCount);
        lock (_lock)
        {
            FlushFeedForRead();
            for (var id = first; id <= last; id++)
            {
                var slot = SlotOf(id);
                var live = _intervalIds[slot] == id;
                var interval = new WindowInterval(StartOf(id), StartOf(id + 1), live ? _totals[slot] : 0, live ? _errors[slot] : 0);
                visit(interval, live && _latency[slot] is { Count: > 0 } h ? h : null);
            }
        }
    }

    /// <summary>
    /// Adds the counts (and latency) another ring kept for the interval starting at <paramref name="start"/>: how a fleet's
    /// windows are merged from its instances' (same interval length, aligned to the Unix epoch). An interval in the future
    /// of this ring's clock (an instance whose clock runs ahead) counts in the current one; one older than the ring counts
    /// in <see cref="TooOldCount"/>.
    /// </summary>
    internal void AddInterval(DateTimeOffset start, long total, long errors, LatencyHistogram? latency)
    {
        var now = IntervalId(_time.GetUtcNow());
        var id = Math.Min(IntervalId(start), now);
        lock (_lock)
        {
            if (id <= now - _totals.Length)
            {
                _tooOld += total;
                return;
            }

            var slot = SlotFor(id);
            _totals[slot] += total;
            _errors[slot] += Math.Min(errors, total);
            if (_latencyTemplate is not null && latency is { Count: > 0 })
            {
                (_latency[slot] ??= _latencyTemplate.CreateEmptyLike()).Add(latency);
            }
        }
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
            FlushFeedForRead();
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

    private long IntervalId(DateTimeOffset t) => IntervalIdOfTicks(t.UtcTicks);

    private long IntervalIdOfTicks(long utcTicks) => (long)Math.Floor((double)(utcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / Interval.Ticks);

    private DateTimeOffset StartOf(long id) => DateTimeOffset.UnixEpoch.AddTicks(id * Interval.Ticks);

    private int SlotOf(long id) => (int)(((id % _totals.Length) + _totals.Length) % _totals.Length);
}
