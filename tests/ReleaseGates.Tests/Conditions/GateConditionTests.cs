namespace ReleaseGates.Tests.Conditions;

public class GateConditionTests
{
    [Theory]
    [InlineData("p(95) < 300ms", "p(95)", ComparisonOperator.LessThan, 300, MetricUnit.Milliseconds)]
    [InlineData("p(95)<500", "p(95)", ComparisonOperator.LessThan, 500, MetricUnit.None)]
    [InlineData("rate < 0.1%", "rate", ComparisonOperator.LessThan, 0.1, MetricUnit.Percent)]
    [InlineData("line >= 85%", "line", ComparisonOperator.GreaterThanOrEqual, 85, MetricUnit.Percent)]
    [InlineData("count >= 10", "count", ComparisonOperator.GreaterThanOrEqual, 10, MetricUnit.None)]
    [InlineData("p(99.9) <= 2.5s", "p(99.9)", ComparisonOperator.LessThanOrEqual, 2.5, MetricUnit.Seconds)]
    [InlineData("throughput > 1000rps", "throughput", ComparisonOperator.GreaterThan, 1000, MetricUnit.PerSecond)]
    [InlineData("failed == 0", "failed", ComparisonOperator.Equal, 0, MetricUnit.None)]
    [InlineData("max < 250us", "max", ComparisonOperator.LessThan, 250, MetricUnit.Microseconds)]
    [InlineData("max < 250µs", "max", ComparisonOperator.LessThan, 250, MetricUnit.Microseconds)]
    [InlineData("  mean   <   1e3ns  ", "mean", ComparisonOperator.LessThan, 1000, MetricUnit.Nanoseconds)]
    public void Parses_the_k6_form(string text, string metric, ComparisonOperator op, double value, MetricUnit unit)
    {
        var c = GateCondition.Parse(text);
        Assert.Equal(metric, c.Metric);
        Assert.Equal(op, c.Operator);
        Assert.Equal(value, c.Threshold.Value);
        Assert.Equal(unit, c.Threshold.Unit);
        Assert.False(c.IsRelative);
    }

    [Fact]
    public void Parses_the_keptn_relative_form_with_a_floor()
    {
        var c = GateCondition.Parse("p(95) <= +10% floor 50ms");
        Assert.True(c.IsRelative);
        Assert.Equal(new Threshold(10, MetricUnit.Percent, IsRelative: true), c.Threshold);
        Assert.Equal(new Threshold(50, MetricUnit.Milliseconds), c.Floor);
    }

    [Fact]
    public void Parses_a_warning_threshold_and_between()
    {
        var warn = GateCondition.Parse("rate < 1% warn 0.1%");
        Assert.Equal(new Threshold(0.1, MetricUnit.Percent), warn.WarningThreshold);
        var between = GateCondition.Parse("mean between 10ms and 200ms");
        Assert.Equal(ComparisonOperator.Between, between.Operator);
        Assert.Equal(new Threshold(200, MetricUnit.Milliseconds), between.UpperThreshold);
    }

    [Theory]
    [InlineData("p(95) < 300ms")]
    [InlineData("rate < 0.1% warn 0.05%")]
    [InlineData("line >= 85%")]
    [InlineData("count >= 10")]
    [InlineData("p(95) <= +10% warn +5% floor 50ms")]
    [InlineData("line >= -0.005")]
    [InlineData("p(99) <= +50ms")]
    [InlineData("mean between 10ms and 200ms")]
    [InlineData("x == 0.30000000000000004")]
    public void Text_round_trips_through_the_typed_form(string text)
    {
        var parsed = GateCondition.Parse(text);
        var again = GateCondition.Parse(parsed.ToString());
        Assert.Equal(parsed, again);
        Assert.Equal(parsed.ToString(), again.ToString());
    }

    [Fact]
    public void Typed_form_round_trips_through_text()
    {
        var typed = GateCondition.LessThan("p(95)", 300, MetricUnit.Milliseconds).WithWarning(200, MetricUnit.Milliseconds);
        Assert.Equal("p(95) < 300ms warn 200ms", typed.ToString());
        Assert.Equal(typed, GateCondition.Parse(typed.ToString()));
    }

    [Theory]
    [InlineData("", 1, "a metric name")]
    [InlineData("p(95) << 300ms", 8, "a number")]
    [InlineData("p(95) 300ms", 7, "a comparison")]
    [InlineData("p(x) < 3", 3, "a number inside the parentheses")]
    [InlineData("p(95) < 300 parsecs", 13, "'warn', 'floor' or the end")]
    [InlineData("p(95) < 300ly", 12, "a unit")]
    [InlineData("p(95) < +10% warn 5%", 21, "a relative warning threshold")]
    [InlineData("p(95) < 300ms floor 50ms", 21, "no floor")]
    [InlineData("p(95) between 1 or 2", 17, "'and'")]
    [InlineData("p(95) < abc", 9, "a number")]
    public void A_parse_error_names_the_column_and_what_was_expected(string text, int column, string expected)
    {
        var ex = Assert.Throws<ConditionFormatException>(() => GateCondition.Parse(text));
        Assert.Equal(column, ex.Column);
        Assert.Contains(expected, ex.Expected, StringComparison.Ordinal);
        Assert.Contains($"column {column}", ex.Message, StringComparison.Ordinal);
        Assert.False(GateCondition.TryParse(text, out _));
    }

    [Theory]
    [InlineData(299.9, GateStatus.Passed)]
    [InlineData(300, GateStatus.Failed)]
    [InlineData(300.1, GateStatus.Failed)]
    public void Fails_when_p95_reaches_a_strict_threshold(double p95Ms, GateStatus expected)
        => Assert.Equal(expected, GateCondition.Parse("p(95) < 300ms").Evaluate(p95Ms, MetricUnit.Milliseconds).Status);

    [Theory]
    [InlineData(0.25, GateStatus.Passed)]
    [InlineData(0.299, GateStatus.Passed)]
    [InlineData(0.3, GateStatus.Failed)]
    public void Converts_units_of_the_same_dimension(double p95Seconds, GateStatus expected)
        => Assert.Equal(expected, GateCondition.Parse("p(95) < 300ms").Evaluate(p95Seconds, MetricUnit.Seconds).Status);

    [Theory]
    [InlineData(0.0005, GateStatus.Passed)]
    [InlineData(0.001, GateStatus.Warning)]
    [InlineData(0.0099, GateStatus.Warning)]
    [InlineData(0.01, GateStatus.Failed)]
    public void Warns_between_the_warning_and_failure_thresholds(double rate, GateStatus expected)
        => Assert.Equal(expected, GateCondition.Parse("rate < 1% warn 0.1%").Evaluate(rate, MetricUnit.Ratio).Status);

    [Theory]
    [InlineData(0.85, GateStatus.Passed)]
    [InlineData(0.8499, GateStatus.Failed)]
    [InlineData(85.0, GateStatus.Passed)]
    public void Coverage_at_the_threshold_passes(double value, GateStatus expected)
    {
        var unit = value > 1 ? MetricUnit.Percent : MetricUnit.Ratio;
        Assert.Equal(expected, GateCondition.Parse("line >= 85%").Evaluate(value, unit).Status);
    }

    [Theory]
    [InlineData(110, GateStatus.Passed)]
    [InlineData(110.01, GateStatus.Failed)]
    [InlineData(40, GateStatus.Passed)]
    public void Relative_condition_compares_with_the_baseline(double p95, GateStatus expected)
        => Assert.Equal(expected, GateCondition.Parse("p(95) <= +10%").Evaluate(p95, MetricUnit.Milliseconds, baseline: 100).Status);

    [Fact]
    public void Floor_passes_small_values_whatever_the_baseline()
    {
        var c = GateCondition.Parse("p(95) <= +10% floor 50ms");
        Assert.Equal(GateStatus.Passed, c.Evaluate(40, MetricUnit.Milliseconds, baseline: 10).Status);
        Assert.Equal(GateStatus.Failed, c.Evaluate(60, MetricUnit.Milliseconds, baseline: 10).Status);
    }

    [Fact]
    public void Relative_condition_without_a_baseline_is_inconclusive_never_a_pass()
    {
        var outcome = GateCondition.Parse("p(95) <= +10%").Evaluate(1, MetricUnit.Milliseconds, baseline: null);
        Assert.Equal(GateStatus.Skipped, outcome.Status);
        Assert.Contains("baseline", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Absolute_delta_is_added_to_the_baseline()
    {
        var c = GateCondition.Parse("p(99) <= +50ms");
        Assert.Equal(GateStatus.Passed, c.Evaluate(0.35, MetricUnit.Seconds, baseline: 0.3).Status);
        Assert.Equal(GateStatus.Failed, c.Evaluate(0.351, MetricUnit.Seconds, baseline: 0.3).Status);
    }

    [Theory]
    [InlineData(9.99, GateStatus.Failed)]
    [InlineData(10, GateStatus.Passed)]
    [InlineData(200, GateStatus.Passed)]
    [InlineData(200.01, GateStatus.Failed)]
    public void Between_is_inclusive(double value, GateStatus expected)
        => Assert.Equal(expected, GateCondition.Parse("mean between 10ms and 200ms").Evaluate(value, MetricUnit.Milliseconds).Status);

    [Theory]
    [InlineData("line >= 70%", 0.7, GateStatus.Passed)]      // 70 % is 0.7000000000000001 as a ratio in binary
    [InlineData("rate < 70%", 0.7, GateStatus.Failed)]
    [InlineData("x <= 44.77%", 0.4477, GateStatus.Passed)]
    [InlineData("p(95) == 300ms", 0.3, GateStatus.Passed)]
    public void A_value_exactly_on_its_threshold_stays_on_its_side_after_unit_conversion(string condition, double ratioOrSeconds, GateStatus expected)
    {
        var unit = condition.Contains("ms", StringComparison.Ordinal) ? MetricUnit.Seconds : MetricUnit.Ratio;
        Assert.Equal(expected, GateCondition.Parse(condition).Evaluate(ratioOrSeconds, unit).Status);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void A_value_that_is_not_finite_is_an_error_never_a_pass(double value)
    {
        foreach (var text in new[] { "p(95) < 1s", "rate <= 1%", "line >= 85%", "x == 3", "x > 2", "mean between 10ms and 200ms", "p(95) <= +10% floor 50ms" })
        {
            var outcome = GateCondition.Parse(text).Evaluate(value, MetricUnit.Seconds, baseline: 0.1);
            Assert.Equal(GateStatus.Error, outcome.Status);
            Assert.Contains("cannot be judged", outcome.Reason, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_baseline_that_is_not_finite_is_an_error(double baseline)
        => Assert.Equal(GateStatus.Error, GateCondition.Parse("p(95) <= +10%").Evaluate(0.2, MetricUnit.Seconds, baseline).Status);

    [Fact]
    public void A_threshold_that_overflows_in_the_values_unit_is_an_error()
        => Assert.Equal(GateStatus.Error, GateCondition.AtMost("x", double.MaxValue, MetricUnit.Seconds).Evaluate(5, MetricUnit.Nanoseconds).Status);

    [Fact]
    public void Validate_rejects_a_threshold_of_another_dimension()
    {
        var problems = GateCondition.Parse("p(95) < 85%").Validate(MetricUnit.Milliseconds);
        Assert.Single(problems);
        Assert.Contains("ms", problems[0], StringComparison.Ordinal);
        Assert.Empty(GateCondition.Parse("p(95) < 1s").Validate(MetricUnit.Milliseconds));
        Assert.Empty(GateCondition.Parse("p(95) <= +10%").Validate(MetricUnit.Milliseconds));
    }

    [Fact]
    public void Comparing_incompatible_units_throws_rather_than_guessing()
        => Assert.Throws<InvalidOperationException>(() => GateCondition.Parse("p(95) < 85%").Evaluate(1, MetricUnit.Milliseconds));

    [Theory]
    [InlineData("rate < 0.1 %", 0.0009, MetricUnit.Ratio, GateStatus.Passed)]
    [InlineData("rate < 0.1 %", 0.001, MetricUnit.Ratio, GateStatus.Failed)]
    [InlineData("p(95) < 300 ms warn 200 ms", 250, MetricUnit.Milliseconds, GateStatus.Warning)]
    [InlineData("age < 24 h", 86_399, MetricUnit.Seconds, GateStatus.Passed)]
    [InlineData("days >= 30d warn 60d", 45, MetricUnit.Days, GateStatus.Warning)]
    [InlineData("days >= 30 d", 29.5 * 86400, MetricUnit.Seconds, GateStatus.Failed)]
    [InlineData("memory < 512MB", 511_999_999, MetricUnit.Bytes, GateStatus.Passed)]
    [InlineData("memory < 512MiB", 536_870_912, MetricUnit.Bytes, GateStatus.Failed)]
    [InlineData("heap <= 2 GB", 1.8, MetricUnit.Gibibytes, GateStatus.Passed)]
    [InlineData("heap <= 2 GB", 1.9, MetricUnit.Gibibytes, GateStatus.Failed)]
    [InlineData("heap <= 2GiB", 2048, MetricUnit.Mebibytes, GateStatus.Passed)]
    public void Reads_the_units_people_write_with_or_without_a_space(string text, double value, MetricUnit unit, GateStatus expected)
        => Assert.Equal(expected, GateCondition.Parse(text).Evaluate(value, unit).Status);

    [Theory]
    [InlineData("rate < 0.1 %", "rate < 0.1%")]
    [InlineData("age < 24 h warn 12 h", "age < 24h warn 12h")]
    [InlineData("x between 1 and 5", "x between 1 and 5")]
    [InlineData("p(95) < 300 warn 200", "p(95) < 300 warn 200")]
    public void A_spaced_unit_reads_back_in_the_canonical_form(string text, string canonical)
        => Assert.Equal(canonical, GateCondition.Parse(text).ToString());

    [Fact]
    public void A_condition_about_another_metric_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Measurement.Evaluate("cpu", 0.5, MetricUnit.Ratio, GateCondition.Parse("memory < 80%")));
        Assert.Contains("'memory < 80%' is about 'memory', but the measurement is 'cpu'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("grade >= B", 8, GateStatus.Passed)]
    [InlineData("grade >= B", 7, GateStatus.Failed)]
    [InlineData("grade >= B warn A", 9, GateStatus.Warning)]
    [InlineData("grade >= A-", 12, GateStatus.Passed)]
    [InlineData("grade == F", 0, GateStatus.Passed)]
    public void Letter_grades_are_thresholds(string text, double rank, GateStatus expected)
    {
        var condition = GateCondition.Parse(text);
        Assert.Equal(expected, condition.Evaluate(rank, MetricUnit.Grade).Status);
        Assert.Equal(text, condition.ToString());
        Assert.Empty(condition.Validate(MetricUnit.Grade));
        Assert.NotEmpty(condition.Validate(MetricUnit.Milliseconds));
    }

    [Theory]
    [InlineData(8, "B")]
    [InlineData(12, "A+")]
    [InlineData(0, "F")]
    public void Grades_are_shown_as_letters(double rank, string letter)
        => Assert.Equal(letter, MetricUnitFormat.Format(rank, MetricUnit.Grade));
}
