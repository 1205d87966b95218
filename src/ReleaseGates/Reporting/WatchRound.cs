namespace ReleaseGates;

/// <summary>One evaluation of a watch: when it ran, what it decided, and what fell short.</summary>
public sealed class WatchRound
{
    /// <summary>The round's number, from 1.</summary>
    public int Number { get; init; }

    /// <summary>When the round started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>How long the round's evaluation took.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>The round's own decision.</summary>
    public ReleaseDecision Decision { get; init; }

    /// <summary>How the round counts against the limits.</summary>
    public WatchRoundOutcome Outcome { get; init; }

    /// <summary>The round's score, when it had one.</summary>
    public double? Score { get; init; }

    /// <summary>Each gate that did not pass in this round, with its status and summary: <c>latency: Failed: p(95) 420 ms …</c>.</summary>
    public IReadOnlyList<string> FellShort { get; init; } = [];
}
