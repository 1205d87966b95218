namespace ReleaseGates;

/// <summary>Validation shared by every gate option that takes conditions in text form.</summary>
internal static class ConditionList
{
    /// <summary>
    /// Parses each text, checks its metric is one the gate measures and its units fit, and adds a problem (prefixed
    /// <c>Conditions:</c>) for each that does not. Returns the text and parsed form of every condition that passed.
    /// </summary>
    /// <param name="texts">The conditions as written.</param>
    /// <param name="unitOf">The unit a metric is measured in, or <see langword="null"/> for a metric the gate does not measure.</param>
    /// <param name="measured">How the gate's metrics are named in the problem text: "line, branch and method".</param>
    /// <param name="problems">Where problems go.</param>
    public static List<(string Text, GateCondition Condition)> Validate(IEnumerable<string> texts, Func<string, MetricUnit?> unitOf,
        string measured, ICollection<string> problems)
    {
        var valid = new List<(string, GateCondition)>();
        foreach (var text in texts)
        {
            GateCondition condition;
            try
            {
                condition = GateCondition.Parse(text ?? "");
            }
            catch (ConditionFormatException ex)
            {
                problems.Add($"Conditions: {ex.Message}");
                continue;
            }

            if (unitOf(condition.Metric) is not { } unit)
            {
                problems.Add($"Conditions: '{text}' is about '{condition.Metric}', but this gate measures {measured}.");
                continue;
            }

            var before = problems.Count;
            foreach (var problem in condition.Validate(unit))
            {
                problems.Add($"Conditions: {problem}");
            }

            if (problems.Count == before)
            {
                valid.Add((text!, condition));
            }
        }

        return valid;
    }
}
