namespace ReleaseGates;

/// <summary>Evaluates the registered gates and decides GO, GO WITH WARNINGS or NO-GO.</summary>
public interface IReleaseGateEvaluator
{
    /// <summary>The registered gates, in registration order.</summary>
    IReadOnlyList<GateRegistration> Registrations { get; }

    /// <summary>Evaluates the gates the request selects.</summary>
    /// <param name="request">Tags and baseline; <see langword="null"/> for every gate and no baseline.</param>
    /// <param name="cancellationToken">Cancels the whole evaluation; the only cancellation that propagates.</param>
    /// <returns>The release report. Gates that throw or time out are in it with status <see cref="GateStatus.Error"/>.</returns>
    Task<ReleaseReport> EvaluateAsync(EvaluationRequest? request = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Watches a rollout: evaluates every <see cref="WatchOptions.Interval"/> until the count or duration ends or a
    /// limit stops it (NO-GO after too many failed, erroring or inconclusive rounds; GO after enough successful ones in
    /// a row, if asked). The report is the last round's, with the watch's decision and every round in
    /// <see cref="ReleaseReport.Watch"/>. Waits use the evaluator's <see cref="TimeProvider"/>.
    /// </summary>
    /// <param name="options">The schedule and limits.</param>
    /// <param name="cancellationToken">Cancels the watch.</param>
    /// <returns>The final report.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The options are invalid.</exception>
    Task<ReleaseReport> WatchAsync(WatchOptions options, CancellationToken cancellationToken = default);
}
