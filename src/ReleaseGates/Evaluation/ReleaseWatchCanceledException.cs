namespace ReleaseGates;

/// <summary>
/// Thrown by <see cref="IReleaseGateEvaluator.WatchAsync"/> when its cancellation token is cancelled (a pipeline that
/// stops the job, SIGINT or SIGTERM). It is an <see cref="OperationCanceledException"/>, so code that catches those keeps
/// working, and it carries what the watch saw before it was stopped: a NO-GO report of the rounds evaluated so far, so a
/// host can still write it. A cancelled watch is never a GO: nothing showed that the rest of the rollout was safe.
/// </summary>
public sealed class ReleaseWatchCanceledException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was cancelled, and when.</param>
    /// <param name="report">The NO-GO report of the rounds completed before the cancellation; <see langword="null"/> when none was.</param>
    /// <param name="innerException">The cancellation that stopped the watch.</param>
    /// <param name="token">The token that was cancelled.</param>
    public ReleaseWatchCanceledException(string message, ReleaseReport? report, Exception? innerException, CancellationToken token)
        : base(message, innerException, token)
    {
        Report = report;
    }

    /// <summary>
    /// The report of the rounds completed before the cancellation, with the decision NO-GO and the reason first among its
    /// reasons; <see langword="null"/> when the watch was cancelled before its first round ended.
    /// </summary>
    public ReleaseReport? Report { get; }
}
