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

/// <summary>One test case as read from a results file.</summary>
/// <param name="Suite">The suite: the JUnit <c>testsuite</c> name, or the TRX file name.</param>
/// <param name="Name">The test's name.</param>
/// <param name="Outcome">Its outcome.</param>
/// <param name="Duration">How long it took, if known.</param>
/// <param name="Message">The failure or skip message, if any.</param>
/// <param name="File">The results file it came from.</param>
public sealed record TestCaseResult(string Suite, string Name, TestCaseOutcome Outcome, TimeSpan? Duration, string? Message, string File);
