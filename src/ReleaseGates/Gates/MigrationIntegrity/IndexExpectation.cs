namespace ReleaseGates;

/// <summary>An index the schema must have.</summary>
/// <param name="Table">The table.</param>
/// <param name="Columns">The indexed columns, in order.</param>
public sealed record IndexExpectation(string Table, IReadOnlyList<string> Columns)
{
    /// <summary>Whether the index must be unique.</summary>
    public bool Unique { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{(Unique ? "unique " : string.Empty)}index on {Table}({string.Join(", ", Columns)})";
}
