namespace ReleaseGates;

/// <summary>
/// One step of a gate while an evaluation runs, told to <see cref="EvaluationRequest.Progress"/>: started, still running
/// (at most about four times a second per gate), finished. Gates run concurrently, so steps of different gates interleave
/// and may arrive on any thread.
/// </summary>
/// <param name="Gate">The gate's registered name.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Elapsed">How long the gate has been running.</param>
public sealed record GateProgress(string Gate, GateProgressKind Kind, TimeSpan Elapsed)
{
    /// <summary>How far a running gate got, in a few words (<c>1,200 requests</c>); <see langword="null"/> when it says nothing.</summary>
    public string? Detail { get; init; }

    /// <summary>The status of a finished gate; <see langword="null"/> before it finishes.</summary>
    public GateStatus? Status { get; init; }
}
