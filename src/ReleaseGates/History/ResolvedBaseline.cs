namespace ReleaseGates;

/// <summary>A baseline chosen from a history: each gate's earlier measurements (combined by the rule) and how they were chosen.</summary>
/// <param name="Gates">The baseline of each gate by name (ordinal, case-insensitive).</param>
/// <param name="Report">What the report says about it: the rule, the evaluations used, notes.</param>
/// <param name="Subject">The newest evaluation used, for the writers' "compared with" line; <see langword="null"/> when none was.</param>
internal sealed record ResolvedBaseline(IReadOnlyDictionary<string, GateBaseline> Gates, HistoryReport Report, ReleaseSubject? Subject);
