namespace ReleaseGates;

/// <summary>
/// Tells the evaluation's progress sink about one gate. The evaluator makes one per running gate and hands it to the
/// gate in its <see cref="GateContext"/>, so a source the gate reads (the load probe) reports under the gate's name
/// through <see cref="GateContext.ReportProgress(string)"/>. Running steps are thinned to one per <see cref="Interval"/>.
/// </summary>
internal sealed class GateProgressReporter(string gate, IProgress<GateProgress> sink, TimeProvider time) : IGateProgressSink
{
    internal static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly long _started = time.GetTimestamp();
    private long _lastRunning = long.MinValue;

    public void Started() => Tell(new GateProgress(gate, GateProgressKind.Started, TimeSpan.Zero));

    public void Finished(GateStatus status, TimeSpan duration) => Tell(new GateProgress(gate, GateProgressKind.Finished, duration) { Status = status });

    /// <summary>Tells how far the gate got, unless a running step was told less than <see cref="Interval"/> ago.</summary>
    public void Running(Func<string> detail)
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastRunning);
        if (last != long.MinValue && time.GetElapsedTime(last, now) < Interval)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _lastRunning, now, last) == last)
        {
            Tell(new GateProgress(gate, GateProgressKind.Running, time.GetElapsedTime(_started, now)) { Detail = detail() });
        }
    }

    /// <summary>A listener that throws must not fail the gate it listens to.</summary>
    private void Tell(GateProgress step)
    {
        try
        {
            sink.Report(step);
        }
        catch (Exception)
        {
            // The sink is the caller's; what it does wrong is not a gate's outcome.
        }
    }
}
