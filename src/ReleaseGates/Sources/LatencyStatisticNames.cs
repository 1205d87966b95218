using System.Text.RegularExpressions;

namespace ReleaseGates;

/// <summary>The names latency statistics go by in sources and conditions: <c>p(95)</c>, <c>med</c>, <c>avg</c>, <c>min</c>, <c>max</c>.</summary>
internal static partial class LatencyStatisticNames
{
    /// <summary>A percentile statistic, <c>p(N)</c> with N from 0 to 100.</summary>
    [GeneratedRegex(@"^p\((100|[0-9]{1,2}(\.[0-9]+)?)\)$")]
    internal static partial Regex Percentile();
}
