namespace ReleaseGates;

/// <summary>
/// How <see cref="IReleaseGateEvaluator.WatchAsync"/> watches a rollout: evaluate every <see cref="Interval"/> for a
/// <see cref="Duration"/> or <see cref="Count"/> of rounds, after an <see cref="InitialDelay"/>, and stop early when a
/// limit is reached. The limits count rounds (as Argo Rollouts' analysis does), and a round counts by its required gates:
/// failed if one failed (or the round was NO-GO on its score), else error if one could not be evaluated, else
/// inconclusive if one had too little data, else successful.
/// </summary>
public sealed class WatchOptions
{
    /// <summary>Time from the start of one round to the start of the next; a round that runs longer is followed at once. Default: 1 minute.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long to keep starting rounds, counted after <see cref="InitialDelay"/>. Set this, <see cref="Count"/> or both.</summary>
    public TimeSpan? Duration { get; set; }

    /// <summary>At most this many rounds. Set this, <see cref="Duration"/> or both.</summary>
    public int? Count { get; set; }

    /// <summary>Wait this long before the first round (a canary's warm-up). Default: none.</summary>
    public TimeSpan InitialDelay { get; set; }

    /// <summary>
    /// NO-GO as soon as more than this many rounds failed in total; <see langword="null"/> for no total limit. Default:
    /// 0 (the first failed round stops the watch).
    /// </summary>
    public int? FailureLimit { get; set; } = 0;

    /// <summary>NO-GO as soon as this many rounds in a row failed; <see langword="null"/> for no such limit. Default: none.</summary>
    public int? ConsecutiveFailureLimit { get; set; }

    /// <summary>NO-GO as soon as this many rounds in a row could not be evaluated. Default: 4 (Argo Rollouts' default).</summary>
    public int ConsecutiveErrorLimit { get; set; } = 4;

    /// <summary>NO-GO as soon as more than this many rounds were inconclusive in total; <see langword="null"/> for no limit. Default: 0.</summary>
    public int? InconclusiveLimit { get; set; } = 0;

    /// <summary>End early with the round's GO after this many successful rounds in a row; <see langword="null"/> to watch to the end. Default: none.</summary>
    public int? ConsecutiveSuccessLimit { get; set; }

    /// <summary>The request of every round: tags, baseline, progress. Default: every gate.</summary>
    public EvaluationRequest? Request { get; set; }

    /// <summary>Told each round's report as soon as it is decided, e.g. to print a line per round. Default: none.</summary>
    public IProgress<WatchRound>? RoundCompleted { get; set; }

    /// <summary>The longest single wait a timer takes (a task delay: 2^32 − 2 milliseconds, about 49.7 days), rounded down to whole days.</summary>
    internal static readonly TimeSpan MaximumWait = TimeSpan.FromDays(49);

    internal WatchOptions Copy() => (WatchOptions)MemberwiseClone();

    internal void Validate()
    {
        var problems = new List<string>();
        if (Interval <= TimeSpan.Zero)
        {
            problems.Add($"{nameof(Interval)} must be positive, but was {Interval}.");
        }
        else if (Interval > MaximumWait)
        {
            problems.Add($"{nameof(Interval)} must be at most {MaximumWait.TotalDays:0} days (the longest a timer waits), but was {Interval}.");
        }

        if (Duration is null && Count is null)
        {
            problems.Add($"Set {nameof(Duration)}, {nameof(Count)} or both: a watch must end.");
        }

        if (Duration is { } d && d < TimeSpan.Zero)
        {
            problems.Add($"{nameof(Duration)} must not be negative, but was {d}.");
        }

        if (Count is < 1)
        {
            problems.Add($"{nameof(Count)} must be at least 1, but was {Count}.");
        }

        if (InitialDelay < TimeSpan.Zero)
        {
            problems.Add($"{nameof(InitialDelay)} must not be negative, but was {InitialDelay}.");
        }
        else if (InitialDelay > MaximumWait)
        {
            problems.Add($"{nameof(InitialDelay)} must be at most {MaximumWait.TotalDays:0} days (the longest a timer waits), but was {InitialDelay}.");
        }

        foreach (var (value, name, least) in new[]
        {
            (FailureLimit, nameof(FailureLimit), 0), (ConsecutiveFailureLimit, nameof(ConsecutiveFailureLimit), 1),
            ((int?)ConsecutiveErrorLimit, nameof(ConsecutiveErrorLimit), 1), (InconclusiveLimit, nameof(InconclusiveLimit), 0),
            (ConsecutiveSuccessLimit, nameof(ConsecutiveSuccessLimit), 1),
        })
        {
            if (value < least)
            {
                problems.Add($"{name} must be at least {least}, but was {value}.");
            }
        }

        if (problems.Count > 0)
        {
            throw new ReleaseGatesConfigurationException("The watch is misconfigured", problems);
        }
    }
}
