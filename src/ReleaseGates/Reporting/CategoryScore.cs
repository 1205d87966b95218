namespace ReleaseGates;

/// <summary>The score of one category.</summary>
/// <param name="Category">The category.</param>
/// <param name="Score">The weighted mean of its scored gates' scores, 0–100; <see langword="null"/> when none was scored.</param>
/// <param name="Weight">The category's weight in the overall score.</param>
/// <param name="Gates">How many gates it has (scored or not).</param>
public sealed record CategoryScore(string Category, double? Score, double Weight, int Gates);
