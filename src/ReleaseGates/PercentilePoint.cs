namespace ReleaseGates;

/// <summary>One point of a <see cref="PercentileCurve"/>: the value at a percentile.</summary>
/// <param name="Percentile">0 to 100.</param>
/// <param name="Value">The value at that percentile, in the curve's unit.</param>
public sealed record PercentilePoint(double Percentile, double Value);
