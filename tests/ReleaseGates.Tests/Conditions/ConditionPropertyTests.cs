using ReleaseGates.Tests.Support;
using CsCheck;

namespace ReleaseGates.Tests.Conditions;

/// <summary>Conditions held to arbitrary doubles: NaN, infinities, subnormals, extremes. Fixed seeds, a fixed number of cases.</summary>
public class ConditionPropertyTests
{
    private const long Iterations = 20_000;

    /// <summary>Ordinary values, and the ones that broke conditions before: NaN, ±∞, subnormals, ±MaxValue, ±0.</summary>
    internal static readonly Gen<double> AnyDouble = Gen.Frequency(
        (4, Gen.Double),
        (2, Gen.Double[-1e6, 1e6]),
        (1, Gens.OneOfValues(double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue, 0.0, -0.0, 1e-310)));

    private static readonly Gen<ComparisonOperator> Operators = Gens.OneOfValues(
        ComparisonOperator.LessThan, ComparisonOperator.LessThanOrEqual, ComparisonOperator.GreaterThan, ComparisonOperator.GreaterThanOrEqual, ComparisonOperator.Equal, ComparisonOperator.Between);

    private static readonly Gen<MetricUnit> DurationUnits = Gens.OneOfValues(MetricUnit.Nanoseconds, MetricUnit.Milliseconds, MetricUnit.Seconds, MetricUnit.Minutes);

    [Fact]
    public void A_value_that_is_not_finite_never_passes_any_condition()
        => Gen.Select(AnyDouble, AnyDouble, AnyDouble, Operators, DurationUnits, DurationUnits).Sample(
            (value, threshold, upper, op, thresholdUnit, valueUnit) =>
            {
                var condition = Condition(op, threshold, upper, thresholdUnit);
                var outcome = condition.Evaluate(value, valueUnit);
                if (!double.IsFinite(value) || !double.IsFinite(threshold) || (op == ComparisonOperator.Between && !double.IsFinite(upper)))
                {
                    Assert.Equal(GateStatus.Error, outcome.Status);
                    Assert.NotNull(outcome.Reason);
                }
                else
                {
                    Assert.True(outcome.Status is GateStatus.Passed or GateStatus.Failed or GateStatus.Error, $"{condition} on {value}: {outcome}");
                }
            },
            seed: "0000000002W9", iter: Iterations, threads: 1);

    [Fact]
    public void A_finite_value_passes_exactly_when_the_comparison_holds()
        => Gen.Select(Gen.Double[-1e12, 1e12], Gen.Double[-1e12, 1e12], Operators.Where(o => o != ComparisonOperator.Between)).Sample(
            (value, threshold, op) =>
            {
                var outcome = Condition(op, threshold, 0, MetricUnit.None).Evaluate(value, MetricUnit.Count);
                var tolerance = 1e-12 * Math.Max(Math.Abs(value), Math.Abs(threshold));
                var equal = Math.Abs(value - threshold) <= tolerance;
                var holds = op switch
                {
                    ComparisonOperator.LessThan => value < threshold && !equal,
                    ComparisonOperator.LessThanOrEqual => value <= threshold || equal,
                    ComparisonOperator.GreaterThan => value > threshold && !equal,
                    ComparisonOperator.GreaterThanOrEqual => value >= threshold || equal,
                    _ => equal,
                };
                Assert.Equal(holds ? GateStatus.Passed : GateStatus.Failed, outcome.Status);
            },
            seed: "0000000003Xa", iter: Iterations, threads: 1);

    [Fact]
    public void A_relative_condition_on_a_baseline_that_is_not_finite_never_passes()
        => Gen.Select(Gen.Double[0, 1e6], AnyDouble, Gen.Double[-50, 200]).Sample(
            (value, baseline, percent) =>
            {
                var outcome = GateCondition.Parse($"p(95) <= +{Math.Abs(percent).ToString("R", System.Globalization.CultureInfo.InvariantCulture)}%").Evaluate(value, MetricUnit.Milliseconds, baseline);
                if (!double.IsFinite(baseline))
                {
                    Assert.Equal(GateStatus.Error, outcome.Status);
                }
            },
            seed: "0000000004Yb", iter: Iterations, threads: 1);

    private static GateCondition Condition(ComparisonOperator op, double threshold, double upper, MetricUnit unit)
        => op == ComparisonOperator.Between
            ? new GateCondition("x", op, new Threshold(Math.Min(threshold, upper), unit)) { UpperThreshold = new Threshold(Math.Max(threshold, upper), unit) }
            : new GateCondition("x", op, new Threshold(threshold, unit));
}
