namespace ReleaseGates;

/// <summary>One test case as read from a results file.</summary>
/// <param name="Suite">The suite: the JUnit <c>testsuite</c> name, or the TRX file name.</param>
/// <param name="Name">The test's name.</param>
/// <param name="Outcome">Its outcome.</param>
/// <param name="Duration">How long it took, if known.</param>
/// <param name="Message">The failure or skip message, if any.</param>
/// <param name="File">The results file it came from.</param>
public sealed record TestCaseResult(string Suite, string Name, TestCaseOutcome Outcome, TimeSpan? Duration, string? Message, string File);
