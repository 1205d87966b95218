namespace ReleaseGates;

/// <summary>What a <see cref="MetricSource"/> read: a value, or no data and why.</summary>
public sealed record MetricReading
{
    /// <summary>The value, or <see langword="null"/> when there was nothing to read (an empty query result, an instrument not yet published).</summary>
    public double? Value { get; init; }

    /// <summary>Where the value came from (the series, the instrument) or, without a value, why there is none.</summary>
    public string? Detail { get; init; }

    /// <summary>A value.</summary>
    /// <param name="value">The value.</param>
    /// <param name="detail">Where it came from.</param>
    /// <returns>The reading.</returns>
    public static MetricReading Of(double value, string? detail = null) => new() { Value = value, Detail = detail };

    /// <summary>No value, and why.</summary>
    /// <param name="reason">Why there is none, with what was asked (the resolved query, the instrument's name).</param>
    /// <returns>The reading.</returns>
    public static MetricReading NoData(string reason) => new() { Detail = reason };
}
