namespace ReleaseGates;

/// <summary>The scoring settings a report was decided with, kept in the report so that it can be replayed.</summary>
/// <param name="PassScore">The score at or above which the release may be GO.</param>
/// <param name="WarningScore">The score below which the release is NO-GO.</param>
/// <param name="WarningGateScore">The score of a gate that warned.</param>
public sealed record ReportScoring(double PassScore, double WarningScore, double WarningGateScore)
{
    /// <summary>Category weights that override the default (the sum of the category's gate weights).</summary>
    public IReadOnlyDictionary<string, double> CategoryWeights { get; init; } = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);

    internal static ReportScoring From(ScoringOptions options) => new(options.PassScore, options.WarningScore, options.WarningGateScore)
    {
        CategoryWeights = new Dictionary<string, double>(options.CategoryWeights, StringComparer.OrdinalIgnoreCase),
    };
}
