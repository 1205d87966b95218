using System.Globalization;

namespace ReleaseGates;

/// <summary>
/// A number with a unit, as written on the right-hand side of a condition: <c>300ms</c>, <c>85%</c>, <c>10</c>.
/// A relative threshold (<c>+10%</c>, <c>+50ms</c>, <c>-0.005</c>) is a change from the baseline.
/// </summary>
/// <param name="Value">The number. For a relative threshold, the signed change.</param>
/// <param name="Unit">The unit; <see cref="MetricUnit.None"/> takes the unit of the measured value.</param>
/// <param name="IsRelative">Whether this is a change from the baseline: <c>%</c> is a relative change, any other unit an absolute one.</param>
public readonly record struct Threshold(double Value, MetricUnit Unit = MetricUnit.None, bool IsRelative = false)
{
    /// <summary>A threshold in milliseconds (or the given precision of <paramref name="duration"/>).</summary>
    /// <param name="duration">The duration.</param>
    /// <returns>The threshold.</returns>
    public static Threshold FromDuration(TimeSpan duration) => new(duration.TotalMilliseconds, MetricUnit.Milliseconds);

    /// <summary>Resolves the threshold to an absolute limit in <paramref name="unit"/>.</summary>
    /// <param name="unit">The unit of the measured value.</param>
    /// <param name="baseline">The baseline value in <paramref name="unit"/>; required for a relative threshold.</param>
    /// <returns>The limit, or <see langword="null"/> for a relative threshold without a baseline.</returns>
    public double? Resolve(MetricUnit unit, double? baseline)
    {
        if (!IsRelative)
        {
            return MetricUnitFormat.Convert(Value, Unit, unit);
        }

        if (baseline is not { } b)
        {
            return null;
        }

        return Unit == MetricUnit.Percent ? b * (1 + (Value / 100)) : b + MetricUnitFormat.Convert(Value, Unit, unit);
    }

    /// <summary>The text form, as accepted by <see cref="GateCondition.Parse(string)"/>: <c>300ms</c>, <c>+10%</c>.</summary>
    /// <returns>The text form.</returns>
    public override string ToString()
    {
        if (Unit == MetricUnit.Grade && !IsRelative && LetterGrades.Letter(Value) is { } letter)
        {
            return letter;
        }

        var number = Value.ToString("R", CultureInfo.InvariantCulture);
        if (IsRelative && Value >= 0)
        {
            number = "+" + number;
        }

        return number + MetricUnitFormat.Symbol(Unit);
    }
}
