using Microsoft.Extensions.Time.Testing;

namespace ReleaseGates.Tests.Evaluation;

/// <summary>Every limit of WatchAsync on a fake clock, with a gate that follows a script of statuses round by round.</summary>
public class WatchTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly FakeTimeProvider _time = new(Start);

    // Rounds whose scripted gate has started, and rounds the watch has told as completed: the fake clock moves only while
    // no round is being evaluated, so a machine slow enough to hold a round's continuation for many clock steps cannot run
    // the evaluation's own deadlines out in the middle of it.
    private int _started;
    private int _completed;

    private bool BetweenRounds => Volatile.Read(ref _started) <= Volatile.Read(ref _completed);

    /// <summary>A gate that returns the next status of the script each time it runs (the last one from then on).</summary>
    private IReleaseGateEvaluator Scripted(params GateStatus[] script)
    {
        var round = 0;
        return ReleaseGate.CreateBuilder()
            .UseTimeProvider(_time)
            .Configure(o => { o.Scoring.PassScore = 50; o.Scoring.WarningScore = 40; })   // a warning round is GO WITH WARNINGS
            .AddGate("canary", (_, _) =>
            {
                Interlocked.Increment(ref _started);
                var status = script[Math.Min(Interlocked.Increment(ref round) - 1, script.Length - 1)];
                return ValueTask.FromResult(new GateResult(status, $"round {round}: {status}", [], []));
            })
            .Build();
    }

    /// <summary>Runs the watch, moving the fake clock a quarter interval at a time whenever the watch waits between rounds.</summary>
    private async Task<ReleaseReport> Watch(IReleaseGateEvaluator evaluator, WatchOptions options)
    {
        options.RoundCompleted = CountingCompleted(options.RoundCompleted);
        var watch = evaluator.WatchAsync(options, Ct);
        await AdvanceBetweenRounds(watch, options.Interval);
        return await watch;
    }

    /// <summary>Until the watch ends, moves the fake clock a quarter interval every millisecond in which no round is being evaluated.</summary>
    private async Task AdvanceBetweenRounds(Task watch, TimeSpan interval)
    {
        for (var i = 0; i < 100_000 && !watch.IsCompleted; i++)
        {
            await Task.Delay(1, Ct);
            if (BetweenRounds)
            {
                _time.Advance(interval / 4);
            }
        }
    }

    /// <summary>Counts each completed round, synchronously (as the watch reports it), then tells <paramref name="inner"/>.</summary>
    private Told CountingCompleted(IProgress<WatchRound>? inner) => new(_ => Interlocked.Increment(ref _completed), inner);

    private static WatchOptions Every(int count) => new() { Interval = TimeSpan.FromMinutes(1), Count = count };

    private const GateStatus P = GateStatus.Passed;
    private const GateStatus F = GateStatus.Failed;
    private const GateStatus E = GateStatus.Error;
    private const GateStatus S = GateStatus.Skipped;
    private const GateStatus W = GateStatus.Warning;

    [Fact]
    public async Task Each_gate_knows_the_round_of_the_watch_and_the_most_rounds_it_can_run()
    {
        var seen = new List<(int? Round, int? Rounds)>();
        var evaluator = ReleaseGate.CreateBuilder()
            .UseTimeProvider(_time)
            .AddGate("looks", (context, _) =>
            {
                lock (seen)
                {
                    seen.Add((context.WatchRound, context.WatchRounds));
                }

                return ValueTask.FromResult(GateResult.Passed("fine"));
            })
            .Build();

        // At most 20 rounds, but a 10-minute duration fits the rounds starting at minutes 0 to 10: 11.
        await Watch(evaluator, new WatchOptions { Interval = TimeSpan.FromMinutes(1), Duration = TimeSpan.FromMinutes(10), Count = 20 });
        await evaluator.EvaluateAsync(cancellationToken: Ct);

        Assert.Equal([.. Enumerable.Range(1, 11).Select(r => ((int?)r, (int?)11)), (null, null)], seen);
    }

    [Fact]
    public async Task A_cancelled_watch_throws_with_a_no_go_report_of_the_rounds_it_completed()
    {
        using var stop = new CancellationTokenSource();
        var options = Every(10);
        // Told synchronously, as the watch reports the round: the cancellation comes before the third round can start.
        options.RoundCompleted = CountingCompleted(new Told(r =>
        {
            if (r.Number == 2)
            {
                stop.Cancel();
            }
        }));
        var watch = Scripted(P).WatchAsync(options, stop.Token);
        await AdvanceBetweenRounds(watch, options.Interval);

        var cancelled = await Assert.ThrowsAsync<ReleaseWatchCanceledException>(() => watch);

        Assert.IsAssignableFrom<OperationCanceledException>(cancelled);
        var report = Assert.IsType<ReleaseReport>(cancelled.Report);
        Assert.Equal(ReleaseDecision.NoGo, report.Decision);   // every round so far was GO: cancelled is still never GO
        Assert.True(report.Watch!.Rounds.Count >= 2);
        Assert.StartsWith("Watch cancelled after", report.Reasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_watch_cancelled_before_its_first_round_ended_has_no_report()
    {
        using var stop = new CancellationTokenSource();
        var options = Every(3);
        options.InitialDelay = TimeSpan.FromMinutes(5);
        var watch = Scripted(P).WatchAsync(options, stop.Token);
        await stop.CancelAsync();

        var cancelled = await Assert.ThrowsAsync<ReleaseWatchCanceledException>(() => watch);

        Assert.Null(cancelled.Report);
        Assert.Contains("before its first round ended", cancelled.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(50, 0)]
    [InlineData(1, 50)]
    public void Waits_longer_than_a_timer_holds_are_refused_when_the_watch_starts(int intervalDays, int initialDelayDays)
    {
        var options = new WatchOptions { Interval = TimeSpan.FromDays(intervalDays), InitialDelay = TimeSpan.FromDays(initialDelayDays), Count = 1 };

        var ex = Assert.Throws<ReleaseGatesConfigurationException>(() => { _ = Scripted(P).WatchAsync(options, Ct); });
        Assert.Contains("at most 49 days", Assert.Single(ex.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completes_with_go_when_every_round_is_go_one_interval_apart_after_the_initial_delay()
    {
        var options = Every(4);
        options.InitialDelay = TimeSpan.FromMinutes(2);

        var report = await Watch(Scripted(P), options);

        Assert.Equal(ReleaseDecision.Go, report.Decision);
        Assert.False(report.Watch!.StoppedEarly);
        Assert.Equal([1, 2, 3, 4], report.Watch.Rounds.Select(r => r.Number));
        for (var k = 0; k < 4; k++)
        {
            var due = Start + TimeSpan.FromMinutes(2 + k);
            Assert.InRange(report.Watch.Rounds[k].StartedAt, due, due + TimeSpan.FromSeconds(15));   // within one clock step
        }
    }

    [Fact]
    public async Task The_first_failed_round_stops_the_watch_with_no_go_by_default()
    {
        var report = await Watch(Scripted(P, P, F, P), Every(10));

        Assert.Equal(ReleaseDecision.NoGo, report.Decision);
        Assert.True(report.Watch!.StoppedEarly);
        Assert.Equal(3, report.Watch.Rounds.Count);
        Assert.Equal(WatchRoundOutcome.Failed, report.Watch.Rounds[^1].Outcome);
        Assert.Contains("canary: Failed: round 3", report.Watch.Rounds[^1].FellShort[0], StringComparison.Ordinal);
        Assert.StartsWith("Watch stopped at round 3: 1 round failed, more than the failure limit of 0", report.Reasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failure_limit_counts_failed_rounds_in_total()
    {
        var options = Every(10);
        options.FailureLimit = 2;

        var report = await Watch(Scripted(F, P, F, P, F, P), options);

        Assert.Equal(ReleaseDecision.NoGo, report.Decision);
        Assert.Equal(5, report.Watch!.Rounds.Count);
    }

    [Fact]
    public async Task Consecutive_failure_limit_stops_only_on_failures_in_a_row()
    {
        var options = Every(10);
        options.FailureLimit = null;
        options.ConsecutiveFailureLimit = 2;

        var stopped = await Watch(Scripted(F, P, F, P, F, F, P), options);
        var survived = await Watch(Scripted(F, P, F, P), Every(4) is var o ? Limits(o, failures: null, inARow: 2) : null!);

        Assert.Equal(6, stopped.Watch!.Rounds.Count);
        Assert.Contains("2 rounds in a row failed (consecutive failure limit 2)", stopped.Reasons[0], StringComparison.Ordinal);
        Assert.Equal(ReleaseDecision.GoWithWarnings, survived.Decision);   // within the limits, but two rounds failed
        Assert.False(survived.Watch!.StoppedEarly);
    }

    private static WatchOptions Limits(WatchOptions options, int? failures, int? inARow)
    {
        options.FailureLimit = failures;
        options.ConsecutiveFailureLimit = inARow;
        return options;
    }

    [Fact]
    public async Task Errors_in_a_row_stop_the_watch_and_a_success_resets_them()
    {
        var options = Every(10);
        options.ConsecutiveErrorLimit = 3;

        var stopped = await Watch(Scripted(E, E, P, E, E, E, P), options);

        Assert.Equal(ReleaseDecision.NoGo, stopped.Decision);
        Assert.Equal(6, stopped.Watch!.Rounds.Count);
        Assert.Equal(WatchRoundOutcome.Error, stopped.Watch.Rounds[^1].Outcome);
        Assert.Contains("consecutive error limit 3", stopped.Reasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inconclusive_rounds_count_against_their_own_limit()
    {
        var options = Every(10);
        options.InconclusiveLimit = 1;

        var report = await Watch(Scripted(S, P, S, P), options);

        Assert.Equal(ReleaseDecision.NoGo, report.Decision);
        Assert.Equal(3, report.Watch!.Rounds.Count);
        Assert.Equal(WatchRoundOutcome.Inconclusive, report.Watch.Rounds[^1].Outcome);
    }

    [Fact]
    public async Task A_watch_without_one_successful_round_is_no_go()
    {
        var options = Every(3);
        options.InconclusiveLimit = null;

        var report = await Watch(Scripted(S), options);

        Assert.Equal(ReleaseDecision.NoGo, report.Decision);
        Assert.Contains("without a successful one", report.Reasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consecutive_successes_end_the_watch_early_with_go()
    {
        var options = Every(10);
        options.ConsecutiveSuccessLimit = 3;

        var report = await Watch(Scripted(P), options);
        var warned = await Watch(Scripted(W, P, P, P), options);

        Assert.Equal(ReleaseDecision.Go, report.Decision);
        Assert.True(report.Watch!.StoppedEarly);
        Assert.Equal(3, report.Watch.Rounds.Count);
        Assert.Equal(ReleaseDecision.GoWithWarnings, warned.Decision);   // a warning round earlier is not forgotten
        Assert.Equal(3, warned.Watch!.Rounds.Count);        // a warning round is a successful one
    }

    [Fact]
    public async Task Duration_bounds_the_rounds_started()
    {
        var options = new WatchOptions { Interval = TimeSpan.FromMinutes(1), Duration = TimeSpan.FromMinutes(5) };

        var report = await Watch(Scripted(P), options);

        Assert.Equal(6, report.Watch!.Rounds.Count);   // at 0, 1, 2, 3, 4 and 5 minutes
        Assert.Equal(ReleaseDecision.Go, report.Decision);
    }

    [Fact]
    public async Task The_history_survives_json_and_replay_never_betters_the_watch()
    {
        var options = Every(10);
        options.InconclusiveLimit = 0;
        var report = await Watch(Scripted(P, S), options);

        var read = ReleaseReport.FromJson(report.ToJson());
        var replayed = read.Replay(new ScoringOptions { PassScore = 0, WarningScore = 0 });

        Assert.Equal(2, read.Watch!.Rounds.Count);
        Assert.Equal(WatchRoundOutcome.Inconclusive, read.Watch.Rounds[1].Outcome);
        Assert.Equal(report.Watch!.Rounds[1].StartedAt, read.Watch.Rounds[1].StartedAt);
        Assert.Equal(ReleaseDecision.NoGo, replayed.Decision);
        Assert.Contains("Watch", report.ToMarkdown(), StringComparison.Ordinal);
        Assert.Contains("Round", report.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_options_name_every_problem()
    {
        var evaluator = Scripted(P);

        var ex = await Assert.ThrowsAsync<ReleaseGatesConfigurationException>(() => evaluator.WatchAsync(new WatchOptions { Interval = TimeSpan.Zero, ConsecutiveErrorLimit = 0 }, Ct));

        Assert.Contains(ex.Problems, p => p.Contains("Interval must be positive", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("a watch must end", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("ConsecutiveErrorLimit must be at least 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancelling_stops_the_watch_while_it_waits()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var watch = Scripted(P).WatchAsync(Every(10), cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watch);
    }

    [Fact]
    public async Task Each_round_is_told_as_it_is_decided()
    {
        var told = new List<WatchRound>();
        var options = Every(3);
        options.RoundCompleted = new Told(r =>
        {
            lock (told)
            {
                told.Add(r);
            }
        });

        await Watch(Scripted(P), options);

        Assert.Equal([1, 2, 3], told.Select(r => r.Number));
    }

    /// <summary>A progress that is told on the reporting thread, before the watch goes on (Progress&lt;T&gt; posts to the pool).</summary>
    private sealed class Told(Action<WatchRound> action, IProgress<WatchRound>? then = null) : IProgress<WatchRound>
    {
        public void Report(WatchRound value)
        {
            action(value);
            then?.Report(value);
        }
    }
}
