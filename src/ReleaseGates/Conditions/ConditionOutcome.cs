using System.Globalization;
using System.Text;

namespace ReleaseGates;

/// <summary>The outcome of holding a value to a <see cref="GateCondition"/>.</summary>
/// <param name="Status">Passed, warning, failed, skipped (no baseline for a relative condition) or error (a value, baseline or limit that is not a finite number).</param>
/// <param name="Limit">The failure limit the value was compared with, in the value's unit (resolved against the baseline for relative conditions).</param>
/// <param name="WarningLimit">The warning limit in the value's unit, if any.</param>
/// <param name="Reason">Why the value did not pass; <see langword="null"/> when it passed.</param>
public readonly record struct ConditionOutcome(GateStatus Status, double? Limit, double? WarningLimit, string? Reason);
