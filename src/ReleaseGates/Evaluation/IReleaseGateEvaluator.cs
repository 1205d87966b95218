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
}
