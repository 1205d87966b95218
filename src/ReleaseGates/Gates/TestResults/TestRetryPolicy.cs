namespace ReleaseGates;

/// <summary>How a test that appears more than once counts.</summary>
public enum TestRetryPolicy
{
    /// <summary>Every appearance counts: a test that failed once and passed on retry counts one failure and one pass.</summary>
    EveryAttempt,

    /// <summary>A test counts once, by identity (suite-independent full name): passed if any attempt passed (flaky tests retried to green).</summary>
    AnyAttemptPasses,

    /// <summary>A test counts once, by identity: failed if any attempt failed or errored.</summary>
    AnyAttemptFails,
}
