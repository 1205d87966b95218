namespace ReleaseGates;

/// <summary>The score of the gates of one importance tier (the seeds' Tier 1, 2 and 3).</summary>
/// <param name="Importance">The tier.</param>
/// <param name="Score">The weighted mean of its scored gates' scores, 0–100; <see langword="null"/> when none was scored.</param>
/// <param name="Gates">How many gates it has (scored or not).</param>
public sealed record ImportanceScore(GateImportance Importance, double? Score, int Gates);
