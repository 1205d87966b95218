using System.Globalization;

namespace ReleaseGates;

/// <summary>How numbers and decisions read in every rendered report (text, Markdown, JUnit) and in decision reasons.</summary>
internal static class ReportFormat
{
    /// <summary>A score or weight with at most one decimal, invariant: <c>93.6</c>, <c>90</c>.</summary>
    public static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>A score, or <c>n/a</c> when nothing was scored.</summary>
    public static string Score(double? score) => score is { } s ? Number(s) : "n/a";

    /// <summary>The decision as people write it: GO, GO WITH WARNINGS, NO-GO.</summary>
    public static string Decision(ReleaseDecision decision) => decision switch
    {
        ReleaseDecision.Go => "GO",
        ReleaseDecision.GoWithWarnings => "GO WITH WARNINGS",
        _ => "NO-GO",
    };
}
