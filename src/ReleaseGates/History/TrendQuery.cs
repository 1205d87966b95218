namespace ReleaseGates;

/// <summary>
/// One series over the recorded evaluations: a measurement's values, or a gate's status when <see cref="Measurement"/>
/// is <see langword="null"/>.
/// </summary>
public sealed class TrendQuery
{
    /// <summary>The service (ordinal); required.</summary>
    public required string Service { get; set; }

    /// <summary>The environment (ordinal); <see langword="null"/> for evaluations without one.</summary>
    public string? Environment { get; set; }

    /// <summary>Only this branch; <see langword="null"/> for every branch.</summary>
    public string? Branch { get; set; }

    /// <summary>The gate's name (ordinal); required.</summary>
    public required string Gate { get; set; }

    /// <summary>The measurement's name, such as <c>p(95)</c>; <see langword="null"/> for the gate's status.</summary>
    public string? Measurement { get; set; }

    /// <summary>The measurement's target (an endpoint, a file); <see langword="null"/> for the gate as a whole.</summary>
    public string? Target { get; set; }

    /// <summary>At most this many points, the newest. Default 100; at most <see cref="HistoryQuery.MaximumLimit"/>.</summary>
    public int Count { get; set; } = 100;

    /// <summary>Throws when the query is incomplete or its count out of range.</summary>
    /// <exception cref="ArgumentException">The service or gate is empty, or <see cref="Count"/> is out of range.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Service);
        ArgumentException.ThrowIfNullOrWhiteSpace(Gate);
        if (Count is < 1 or > HistoryQuery.MaximumLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(Count), Count, $"The count must be 1 to {HistoryQuery.MaximumLimit}.");
        }
    }
}
