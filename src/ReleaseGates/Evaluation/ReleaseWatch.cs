using System.Globalization;

namespace ReleaseGates;

/// <summary>
/// Evaluates round after round on a fixed schedule and stops at the first limit reached; the final report is the last
/// round's with the watch's decision and history.
/// </summary>
internal sealed class ReleaseWatch(WatchOptions options, TimeProvider time, Func<EvaluationRequest?, WatchLook?, CancellationToken, Task<ReleaseReport>> evaluate)
{
    private readonly List<WatchRound> _rounds = [];
    private int _failed;
    private int _inconclusive;
    private int _failedInARow;
    private int _errorsInARow;
    private int _successesInARow;

    private ReleaseReport? _last;

    /// <summary>Runs the watch; a cancellation ends it with a <see cref="ReleaseWatchCanceledException"/> that carries the rounds so far.</summary>
    public async Task<ReleaseReport> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await WatchAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested && ex is not ReleaseWatchCanceledException)
        {
            var n = _rounds.Count;
            var reason = n == 0
                ? "Watch cancelled before its first round ended: nothing was evaluated."
                : $"Watch cancelled after {Rounds(n)}, before it reached a limit or its end: a cancelled watch is never a GO.";
            throw new ReleaseWatchCanceledException(reason,
                _last is null ? null : Final(_last, ReleaseDecision.NoGo, reason, stoppedEarly: true), ex, cancellationToken);
        }
    }

    private async Task<ReleaseReport> WatchAsync(CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        if (options.InitialDelay > TimeSpan.Zero)
        {
            await Task.Delay(options.InitialDelay, time, cancellationToken).ConfigureAwait(false);
        }

        ReleaseReport? last = null;
        for (var round = 1; options.Count is not { } count || round <= count; round++)
        {
            // Round n starts at InitialDelay + (n - 1) × Interval; one that starts past the duration is not run.
            var due = options.InitialDelay + (options.Interval * (round - 1));
            if (options.Duration is { } duration && due - options.InitialDelay > duration)
            {
                break;
            }

            var wait = due - time.GetElapsedTime(start);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }

            last = await evaluate(options.Request, new WatchLook(round, PlannedRounds(options)), cancellationToken).ConfigureAwait(false);
            _last = last;
            var record = Record(round, last);
            options.RoundCompleted?.Report(record);
            if (Limit() is { } stop)
            {
                return Final(last, stop.Decision, stop.Reason, stoppedEarly: true);
            }
        }

        var (decision, reason) = Completed(last!);
        return Final(last!, decision, reason, stoppedEarly: false);
    }

    private WatchRound Record(int number, ReleaseReport report)
    {
        var required = report.Gates.Where(g => g is { ReportOnly: false, Importance: GateImportance.Required }).ToList();
        var outcome = required.Any(g => g.Status == GateStatus.Failed)
            || (report.Decision == ReleaseDecision.NoGo && !required.Any(g => g.Status is GateStatus.Error or GateStatus.Skipped))
            ? WatchRoundOutcome.Failed
            : required.Any(g => g.Status == GateStatus.Error) ? WatchRoundOutcome.Error
            : required.Any(g => g.Status == GateStatus.Skipped) ? WatchRoundOutcome.Inconclusive
            : WatchRoundOutcome.Successful;
        (_failed, _inconclusive) = (_failed + (outcome == WatchRoundOutcome.Failed ? 1 : 0),
            _inconclusive + (outcome == WatchRoundOutcome.Inconclusive ? 1 : 0));
        _failedInARow = outcome == WatchRoundOutcome.Failed ? _failedInARow + 1 : 0;
        _errorsInARow = outcome == WatchRoundOutcome.Error ? _errorsInARow + 1 : 0;
        _successesInARow = outcome == WatchRoundOutcome.Successful ? _successesInARow + 1 : 0;
        var round = new WatchRound
        {
            Number = number,
            StartedAt = report.StartedAt,
            Duration = report.Duration,
            Decision = report.Decision,
            Outcome = outcome,
            Score = report.Score,
            FellShort = [.. report.Gates.Where(g => g.Status != GateStatus.Passed).Select(g => $"{g.Name}: {g.Status}: {g.Summary}")],
        };
        _rounds.Add(round);
        return round;
    }

    private (ReleaseDecision Decision, string Reason)? Limit()
    {
        var n = _rounds.Count;
        if (options.FailureLimit is { } failures && _failed > failures)
        {
            return (ReleaseDecision.NoGo, $"Watch stopped at round {n}: {Rounds(_failed)} failed, more than the failure limit of {failures}.");
        }

        if (options.ConsecutiveFailureLimit is { } inARow && _failedInARow >= inARow)
        {
            return (ReleaseDecision.NoGo, $"Watch stopped at round {n}: {Rounds(_failedInARow)} in a row failed (consecutive failure limit {inARow}).");
        }

        if (_errorsInARow >= options.ConsecutiveErrorLimit)
        {
            return (ReleaseDecision.NoGo,
                $"Watch stopped at round {n}: {Rounds(_errorsInARow)} in a row could not be evaluated (consecutive error limit {options.ConsecutiveErrorLimit}).");
        }

        if (options.InconclusiveLimit is { } inconclusive && _inconclusive > inconclusive)
        {
            return (ReleaseDecision.NoGo,
                $"Watch stopped at round {n}: {Rounds(_inconclusive)} were inconclusive, more than the inconclusive limit of {inconclusive}.");
        }

        if (options.ConsecutiveSuccessLimit is { } successes && _successesInARow >= successes)
        {
            var decision = _rounds.Any(r => r.Outcome != WatchRoundOutcome.Successful
                || r.Decision != ReleaseDecision.Go) ? ReleaseDecision.GoWithWarnings : ReleaseDecision.Go;
            return (decision, $"Watch ended at round {n}: {Rounds(successes)} in a row passed (consecutive success limit {successes}).");
        }

        return null;
    }

    /// <summary>The verdict of a watch that ran to its end within its limits: GO only when every round was GO.</summary>
    private (ReleaseDecision, string) Completed(ReleaseReport last)
    {
        var n = _rounds.Count;
        var successful = _rounds.Count(r => r.Outcome == WatchRoundOutcome.Successful);
        if (successful == 0)
        {
            return (ReleaseDecision.NoGo, $"Watch ended after {Rounds(n)} without a successful one: nothing showed the release is safe.");
        }

        if (last.Decision == ReleaseDecision.NoGo)
        {
            return (ReleaseDecision.NoGo, $"Watch ended after {Rounds(n)}; the last one was NO-GO.");
        }

        var shortfalls = n - successful;
        var warned = _rounds.Any(r => r.Decision != ReleaseDecision.Go);
        return shortfalls == 0 && !warned
            ? (ReleaseDecision.Go, $"Watch ended after {Rounds(n)}, all GO.")
            : (ReleaseDecision.GoWithWarnings,
                $"Watch ended after {Rounds(n)} within its limits: {successful} successful, {_failed} failed, {_inconclusive} inconclusive, {n - successful - _failed - _inconclusive} with errors.");
    }

    private ReleaseReport Final(ReleaseReport last, ReleaseDecision decision, string reason, bool stoppedEarly)
    {
        var watch = new WatchSummary { Rounds = [.. _rounds], Decision = decision, StoppedEarly = stoppedEarly, Reason = reason };
        return last.WithWatch(decision, reason, watch);
    }

    private static string Rounds(int n) => n.ToString(CultureInfo.InvariantCulture) + (n == 1 ? " round" : " rounds");

    /// <summary>
    /// The most rounds the watch can run: its <see cref="WatchOptions.Count"/>, or as many starts as fit its
    /// <see cref="WatchOptions.Duration"/> (round n starts (n − 1) intervals after the first), whichever is fewer.
    /// </summary>
    internal static int PlannedRounds(WatchOptions options)
    {
        var byDuration = options.Duration is { } duration ? (long)(duration.Ticks / options.Interval.Ticks) + 1 : long.MaxValue;
        return (int)Math.Min(Math.Min(options.Count ?? int.MaxValue, byDuration), int.MaxValue);
    }
}

/// <summary>Which round of a watch an evaluation is, of how many planned: handed to each gate (<see cref="GateContext.WatchRound"/>).</summary>
internal readonly record struct WatchLook(int Round, int Rounds);
