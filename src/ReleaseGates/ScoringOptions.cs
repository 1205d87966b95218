using System.Text.Json.Serialization;

namespace ReleaseGates;

/// <summary>
/// How gate statuses become scores and how the score becomes a decision. See <c>docs/scoring.md</c>. Set on
/// <see cref="ReleaseGatesOptions.Scoring"/>; a copy is kept in every <see cref="ReleaseReport"/>, so that a saved report
/// can be replayed with the settings it was decided with.
/// </summary>
public sealed class ScoringOptions
{
    /// <summary>The score at or above which the release may be GO. Default: 90.</summary>
    public double PassScore { get; set; } = 90;

    /// <summary>The score below which the release is NO-GO. Default: 75.</summary>
    public double WarningScore { get; set; } = 75;

    /// <summary>The score of a gate with status <see cref="GateStatus.Warning"/>. Default: 50. (Passed scores 100, failed and error 0.)</summary>
    public double WarningGateScore { get; set; } = 50;

    /// <summary>How gates are scored and how warnings weigh in the decision. Default: <see cref="ScoringMethod.Status"/>.</summary>
    public ScoringMethod Method { get; set; } = ScoringMethod.Status;

    /// <summary>
    /// Weights of categories in the overall score. A category not listed weighs the sum of its gates' weights, which makes
    /// the overall score the weighted mean over all gates. Default: empty.
    /// </summary>
    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public IDictionary<string, double> CategoryWeights { get; } = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);

    /// <summary>A copy that shares nothing with these settings.</summary>
    internal ScoringOptions Copy()
    {
        var copy = new ScoringOptions { PassScore = PassScore, WarningScore = WarningScore, WarningGateScore = WarningGateScore, Method = Method };
        foreach (var (category, weight) in CategoryWeights)
        {
            copy.CategoryWeights[category] = weight;
        }

        return copy;
    }

    internal void Validate(ICollection<string> problems)
    {
        static bool InRange(double v) => v >= 0 && v <= 100;
        if (!InRange(PassScore))
        {
            problems.Add($"Scoring.{nameof(PassScore)} must lie between 0 and 100, but was {PassScore}.");
        }

        if (!InRange(WarningScore))
        {
            problems.Add($"Scoring.{nameof(WarningScore)} must lie between 0 and 100, but was {WarningScore}.");
        }

        if (WarningScore > PassScore)
        {
            problems.Add($"Scoring.{nameof(WarningScore)} ({WarningScore}) must not exceed {nameof(PassScore)} ({PassScore}).");
        }

        if (!Enum.IsDefined(Method))
        {
            problems.Add($"Scoring.{nameof(Method)} must be Status or Objectives, but was {Method}.");
        }

        if (!InRange(WarningGateScore))
        {
            problems.Add($"Scoring.{nameof(WarningGateScore)} must lie between 0 and 100, but was {WarningGateScore}.");
        }

        foreach (var (category, weight) in CategoryWeights)
        {
            if (!(weight > 0) || double.IsInfinity(weight))
            {
                problems.Add($"Scoring.{nameof(CategoryWeights)}['{category}'] must be a positive number, but was {weight}.");
            }
        }
    }
}
