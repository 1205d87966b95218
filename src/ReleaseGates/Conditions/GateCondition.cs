using System.Globalization;
using System.Text;

namespace ReleaseGates;

/// <summary>
/// A condition a measured value is held to: a metric, a comparison, a threshold with its unit, and optionally a
/// warning threshold and a noise floor. The text form is the one k6 users know, extended with the Keptn relative form:
/// <c>p(95) &lt; 300ms</c>, <c>rate &lt; 0.1% warn 0.05%</c>, <c>line &gt;= 85%</c>, <c>p(95) &lt;= +10% floor 50ms</c>,
/// <c>mean between 10ms and 200ms</c>. See <c>docs/conditions.md</c> for the grammar.
/// </summary>
public sealed record GateCondition
{
    /// <summary>Creates a condition.</summary>
    /// <param name="metric">The metric the condition is about, such as <c>p(95)</c>, <c>rate</c> or <c>line</c>.</param>
    /// <param name="operator">The comparison.</param>
    /// <param name="threshold">The failure threshold (the lower bound for <see cref="ComparisonOperator.Between"/>).</param>
    public GateCondition(string metric, ComparisonOperator @operator, Threshold threshold)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(metric);
        Metric = metric;
        Operator = @operator;
        Threshold = threshold;
    }

    /// <summary>The metric the condition is about.</summary>
    public string Metric { get; init; }

    /// <summary>The comparison.</summary>
    public ComparisonOperator Operator { get; init; }

    /// <summary>The failure threshold: a value that does not satisfy <see cref="Operator"/> against it fails. The lower bound for <see cref="ComparisonOperator.Between"/>.</summary>
    public Threshold Threshold { get; init; }

    /// <summary>The upper bound of a <see cref="ComparisonOperator.Between"/> condition.</summary>
    public Threshold? UpperThreshold { get; init; }

    /// <summary>
    /// The stricter warning threshold: a value that satisfies <see cref="Operator"/> against <see cref="Threshold"/>
    /// but not against this one is a warning. <see langword="null"/> for no warning tier.
    /// </summary>
    public Threshold? WarningThreshold { get; init; }

    /// <summary>
    /// An absolute noise floor for a relative condition: a value that satisfies <see cref="Operator"/> against the floor
    /// passes whatever the baseline says (a 2 ms p95 that doubled is still fine).
    /// </summary>
    public Threshold? Floor { get; init; }

    /// <summary>Whether the condition compares with a baseline.</summary>
    public bool IsRelative => Threshold.IsRelative || (WarningThreshold?.IsRelative ?? false);

    /// <summary><c>metric &lt; threshold</c>.</summary>
    /// <param name="metric">The metric.</param>
    /// <param name="value">The threshold value.</param>
    /// <param name="unit">The threshold unit.</param>
    /// <returns>The condition.</returns>
    public static GateCondition LessThan(string metric, double value, MetricUnit unit = MetricUnit.None)
        => new(metric, ComparisonOperator.LessThan, new Threshold(value, unit));

    /// <summary><c>metric &lt;= threshold</c>.</summary>
    /// <param name="metric">The metric.</param>
    /// <param name="value">The threshold value.</param>
    /// <param name="unit">The threshold unit.</param>
    /// <returns>The condition.</returns>
    public static GateCondition AtMost(string metric, double value, MetricUnit unit = MetricUnit.None)
        => new(metric, ComparisonOperator.LessThanOrEqual, new Threshold(value, unit));

    /// <summary><c>metric &gt; threshold</c>.</summary>
    /// <param name="metric">The metric.</param>
    /// <param name="value">The threshold value.</param>
    /// <param name="unit">The threshold unit.</param>
    /// <returns>The condition.</returns>
    public static GateCondition GreaterThan(string metric, double value, MetricUnit unit = MetricUnit.None)
        => new(metric, ComparisonOperator.GreaterThan, new Threshold(value, unit));

    /// <summary><c>metric &gt;= threshold</c>.</summary>
    /// <param name="metric">The metric.</param>
    /// <param name="value">The threshold value.</param>
    /// <param name="unit">The threshold unit.</param>
    /// <returns>The condition.</returns>
    public static GateCondition AtLeast(string metric, double value, MetricUnit unit = MetricUnit.None)
        => new(metric, ComparisonOperator.GreaterThanOrEqual, new Threshold(value, unit));

    /// <summary>Returns a copy with a warning threshold.</summary>
    /// <param name="value">The warning threshold value.</param>
    /// <param name="unit">Its unit.</param>
    /// <returns>The condition.</returns>
    public GateCondition WithWarning(double value, MetricUnit unit = MetricUnit.None)
        => this with { WarningThreshold = new Threshold(value, unit, Threshold.IsRelative) };

    /// <summary>Parses the text form.</summary>
    /// <param name="text">A condition such as <c>p(95) &lt; 300ms</c>.</param>
    /// <returns>The condition.</returns>
    /// <exception cref="ConditionFormatException">The text is not a condition; the message names the column and what was expected.</exception>
    public static GateCondition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new ConditionParser(text).ParseCondition();
    }

    /// <summary>Tries to parse the text form.</summary>
    /// <param name="text">A condition.</param>
    /// <param name="condition">The condition, when the text parses.</param>
    /// <returns>Whether the text parsed.</returns>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out GateCondition? condition)
    {
        condition = null;
        if (text is null)
        {
            return false;
        }

        try
        {
            condition = Parse(text);
            return true;
        }
        catch (ConditionFormatException)
        {
            return false;
        }
    }

    /// <summary>Checks that the condition can hold a value in <paramref name="unit"/>; returns the problems found.</summary>
    /// <param name="unit">The unit of the values the condition will be held to.</param>
    /// <returns>Readable problems; empty when the condition fits.</returns>
    public IReadOnlyList<string> Validate(MetricUnit unit)
    {
        var problems = new List<string>();
        void Check(Threshold? t, string role)
        {
            if (t is { } x && !(x.IsRelative && x.Unit == MetricUnit.Percent) && !MetricUnitFormat.AreCompatible(x.Unit, unit))
            {
                problems.Add($"'{this}': the {role} is in {MetricUnitFormat.Symbol(x.Unit)}, but {Metric} is measured in {MetricUnitFormat.Symbol(unit)}.");
            }
        }

        Check(Threshold, "threshold");
        Check(UpperThreshold, "upper bound");
        Check(WarningThreshold, "warning threshold");
        Check(Floor, "floor");
        if (Operator == ComparisonOperator.Between && UpperThreshold is null)
        {
            problems.Add($"'{this}': 'between' needs an upper bound.");
        }

        if (Operator == ComparisonOperator.Between && WarningThreshold is not null)
        {
            problems.Add($"'{this}': 'between' takes no warning threshold.");
        }

        return problems;
    }

    /// <summary>Holds <paramref name="value"/> to the condition.</summary>
    /// <param name="value">The measured value.</param>
    /// <param name="unit">Its unit.</param>
    /// <param name="baseline">The baseline value, in <paramref name="unit"/>, for a relative condition.</param>
    /// <returns>
    /// The outcome: passed, warning or failed; skipped when a relative condition has no baseline; <see cref="GateStatus.Error"/>
    /// when the value, the baseline or a resolved limit is NaN or infinite (no comparison with such a number is evidence).
    /// </returns>
    public ConditionOutcome Evaluate(double value, MetricUnit unit, double? baseline = null)
    {
        if (!double.IsFinite(value))
        {
            return new ConditionOutcome(GateStatus.Error, null, null, $"{Metric}: the measured value is {Describe(value)}, so '{this}' cannot be judged");
        }

        if (baseline is { } b && !double.IsFinite(b))
        {
            return new ConditionOutcome(GateStatus.Error, null, null, $"{Metric}: the baseline value is {Describe(b)}, so '{this}' cannot be judged");
        }

        var limit = Threshold.Resolve(unit, baseline);
        if (limit is not { } failLimit)
        {
            return new ConditionOutcome(GateStatus.Skipped, null, null, $"{Metric}: no baseline to compare with");
        }

        var upperLimit = Operator == ComparisonOperator.Between ? UpperThreshold?.Resolve(unit, baseline) : null;
        var warnLimit = WarningThreshold?.Resolve(unit, baseline);
        var floorLimit = Floor?.Resolve(unit, baseline);
        if (!double.IsFinite(failLimit) || upperLimit is { } u && !double.IsFinite(u) || warnLimit is { } wl && !double.IsFinite(wl)
            || floorLimit is { } fl && !double.IsFinite(fl))
        {
            return new ConditionOutcome(GateStatus.Error, null, null,
                $"{Metric}: a limit of '{this}' is not a finite number in {MetricUnitFormat.Symbol(unit)}");
        }

        if (Operator == ComparisonOperator.Between)
        {
            var upper = upperLimit ?? double.PositiveInfinity;
            var inside = (value >= failLimit || NearlyEqual(value, failLimit)) && (value <= upper || NearlyEqual(value, upper));
            return new ConditionOutcome(inside ? GateStatus.Passed : GateStatus.Failed, failLimit, null,
                inside ? null : $"{Metric} {MetricUnitFormat.Format(value, unit)} is outside {this}");
        }

        if (floorLimit is { } floor && Holds(value, floor))
        {
            return new ConditionOutcome(GateStatus.Passed, failLimit, null, null);
        }

        if (!Holds(value, failLimit))
        {
            return new ConditionOutcome(GateStatus.Failed, failLimit, warnLimit,
                $"{Metric} {MetricUnitFormat.Format(value, unit)} does not satisfy {OperatorSymbol(Operator)} {MetricUnitFormat.Format(failLimit, unit)}");
        }

        if (warnLimit is { } w && !Holds(value, w))
        {
            return new ConditionOutcome(GateStatus.Warning, failLimit, warnLimit,
                $"{Metric} {MetricUnitFormat.Format(value, unit)} does not satisfy the warning threshold {OperatorSymbol(Operator)} {MetricUnitFormat.Format(w, unit)}");
        }

        return new ConditionOutcome(GateStatus.Passed, failLimit, warnLimit, null);
    }

    /// <summary>The canonical text form; <see cref="Parse(string)"/> reads it back to an equal condition.</summary>
    /// <returns>The text form.</returns>
    public override string ToString()
    {
        var sb = new StringBuilder(Metric);
        if (Operator == ComparisonOperator.Between)
        {
            sb.Append(" between ").Append(Threshold.ToString()).Append(" and ").Append(UpperThreshold?.ToString() ?? "?");
            return sb.ToString();
        }

        sb.Append(' ').Append(OperatorSymbol(Operator)).Append(' ').Append(Threshold.ToString());
        if (WarningThreshold is { } w)
        {
            sb.Append(" warn ").Append(w.ToString());
        }

        if (Floor is { } f)
        {
            sb.Append(" floor ").Append(f.ToString());
        }

        return sb.ToString();
    }

    /// <summary>The symbol of a comparison: <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c>, <c>==</c>, <c>between</c>.</summary>
    /// <param name="operator">The comparison.</param>
    /// <returns>The symbol.</returns>
    public static string OperatorSymbol(ComparisonOperator @operator) => @operator switch
    {
        ComparisonOperator.LessThan => "<",
        ComparisonOperator.LessThanOrEqual => "<=",
        ComparisonOperator.GreaterThan => ">",
        ComparisonOperator.GreaterThanOrEqual => ">=",
        ComparisonOperator.Equal => "==",
        ComparisonOperator.Between => "between",
        _ => throw new ArgumentOutOfRangeException(nameof(@operator), @operator, "Unknown comparison."),
    };

    private bool Holds(double value, double limit) => Operator switch
    {
        ComparisonOperator.LessThan => value < limit && !NearlyEqual(value, limit),
        ComparisonOperator.LessThanOrEqual => value <= limit || NearlyEqual(value, limit),
        ComparisonOperator.GreaterThan => value > limit && !NearlyEqual(value, limit),
        ComparisonOperator.GreaterThanOrEqual => value >= limit || NearlyEqual(value, limit),
        ComparisonOperator.Equal => NearlyEqual(value, limit),
        _ => false,
    };

    /// <summary>
    /// Equal to 12 significant digits. Thresholds are written in decimal and converted between units (85 % → 0.85,
    /// 300 ms → 0.3 s); binary floating point must not move a value that sits exactly on its threshold to the other side.
    /// </summary>
    private static bool NearlyEqual(double a, double b) => a == b || Math.Abs(a - b) <= 1e-12 * Math.Max(Math.Abs(a), Math.Abs(b));

    private static string Describe(double value) => double.IsNaN(value) ? "not a number (NaN)" : value > 0 ? "+∞" : "−∞";

    /// <summary>Formats a number the way the parser reads it.</summary>
    internal static string FormatNumber(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
