using System.Globalization;
using System.Text.RegularExpressions;

namespace ReleaseGates;

/// <summary>Adds a typed percentile condition to <see cref="LatencyGateOptions"/>.</summary>
public readonly struct LatencyConditionBuilder
{
    private readonly LatencyGateOptions _options;
    private readonly string _metric;

    internal LatencyConditionBuilder(LatencyGateOptions options, string metric)
    {
        _options = options;
        _metric = metric;
    }

    /// <summary>The percentile must be below <paramref name="maximum"/>; at or above <paramref name="warning"/> it warns.</summary>
    /// <param name="maximum">The failure threshold.</param>
    /// <param name="warning">The optional warning threshold, below <paramref name="maximum"/>.</param>
    /// <returns>The options.</returns>
    public LatencyGateOptions Below(TimeSpan maximum, TimeSpan? warning = null)
    {
        var condition = GateCondition.LessThan(_metric, maximum.TotalMilliseconds, MetricUnit.Milliseconds);
        if (warning is { } w)
        {
            condition = condition.WithWarning(w.TotalMilliseconds, MetricUnit.Milliseconds);
        }

        _options.Conditions.Add(condition.ToString());
        return _options;
    }
}
