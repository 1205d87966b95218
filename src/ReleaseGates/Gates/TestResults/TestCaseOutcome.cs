namespace ReleaseGates;

/// <summary>The outcome of one test case, normalised across TRX and JUnit.</summary>
public enum TestCaseOutcome
{
    /// <summary>It passed.</summary>
    Passed,

    /// <summary>An assertion failed (TRX <c>Failed</c>, JUnit <c>failure</c>).</summary>
    Failed,

    /// <summary>It could not complete: an unexpected exception, a timeout or an abort (TRX <c>Error</c>/<c>Timeout</c>/<c>Aborted</c>, JUnit <c>error</c>).</summary>
    Error,

    /// <summary>It did not run (TRX <c>NotExecuted</c>/<c>Inconclusive</c>/…, JUnit <c>skipped</c>).</summary>
    Skipped,
}
