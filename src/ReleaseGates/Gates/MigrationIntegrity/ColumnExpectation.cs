namespace ReleaseGates;

/// <summary>A column the schema must have.</summary>
/// <param name="Table">The table.</param>
/// <param name="Column">The column.</param>
public sealed record ColumnExpectation(string Table, string Column)
{
    /// <summary>The expected type, or <see langword="null"/> for any.</summary>
    public string? Type { get; init; }

    /// <summary>Whether nulls must (true) or must not (false) be allowed, or <see langword="null"/> for either.</summary>
    public bool? Nullable { get; init; }
}
