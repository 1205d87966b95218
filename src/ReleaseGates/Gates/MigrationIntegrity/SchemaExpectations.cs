namespace ReleaseGates;

/// <summary>What the live catalog must hold: tables, columns with type and nullability, indexes and unique constraints.</summary>
public sealed class SchemaExpectations
{
    /// <summary>The fewest tables the database must have (the seeds' "55 tables exist"). Journal tables count. Default: none.</summary>
    public int? MinimumTableCount { get; set; }

    /// <summary>Tables that must exist (names compared without regard to case).</summary>
    public IList<string> Tables { get; private set; } = [];

    /// <summary>Columns that must exist, optionally with a type and nullability.</summary>
    public IList<ColumnExpectation> Columns { get; private set; } = [];

    /// <summary>Indexes (or unique constraints) that must exist over exactly these columns, in this order.</summary>
    public IList<IndexExpectation> Indexes { get; private set; } = [];

    /// <summary>True when nothing is expected.</summary>
    internal bool IsEmpty => MinimumTableCount is null && Tables.Count == 0 && Columns.Count == 0 && Indexes.Count == 0;

    /// <summary>Requires tables to exist.</summary>
    /// <param name="tables">The table names.</param>
    /// <returns>These expectations.</returns>
    public SchemaExpectations RequireTables(params string[] tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        foreach (var t in tables)
        {
            Tables.Add(t);
        }

        return this;
    }

    /// <summary>Requires a column.</summary>
    /// <param name="table">The table.</param>
    /// <param name="column">The column.</param>
    /// <param name="type">The type as the catalog reports it (<c>text</c>, <c>integer</c>, <c>varchar</c>; common aliases such as <c>character varying</c> and <c>int4</c> match), or <see langword="null"/> for any.</param>
    /// <param name="nullable">Whether the column must (true) or must not (false) accept nulls, or <see langword="null"/> for either.</param>
    /// <returns>These expectations.</returns>
    public SchemaExpectations RequireColumn(string table, string column, string? type = null, bool? nullable = null)
    {
        Columns.Add(new ColumnExpectation(table, column) { Type = type, Nullable = nullable });
        return this;
    }

    /// <summary>Requires an index, or a unique index or constraint, over exactly <paramref name="columns"/> in order.</summary>
    /// <param name="table">The table.</param>
    /// <param name="columns">The indexed columns.</param>
    /// <param name="unique">Whether the index must be unique (a unique constraint counts).</param>
    /// <returns>These expectations.</returns>
    public SchemaExpectations RequireIndex(string table, IReadOnlyList<string> columns, bool unique = false)
    {
        Indexes.Add(new IndexExpectation(table, columns) { Unique = unique });
        return this;
    }

    internal void Validate(ICollection<string> problems)
    {
        if (MinimumTableCount is < 0)
        {
            problems.Add($"Schema.MinimumTableCount must not be negative, but was {MinimumTableCount}.");
        }

        foreach (var t in Tables.Where(string.IsNullOrWhiteSpace))
        {
            problems.Add("Schema.Tables holds an empty table name.");
        }

        foreach (var c in Columns.Where(c => string.IsNullOrWhiteSpace(c.Table) || string.IsNullOrWhiteSpace(c.Column)))
        {
            problems.Add($"Schema.Columns holds an expectation without a table or column name ({c}).");
        }

        foreach (var i in Indexes.Where(i => string.IsNullOrWhiteSpace(i.Table) || i.Columns is null || i.Columns.Count == 0
            || i.Columns.Any(string.IsNullOrWhiteSpace)))
        {
            problems.Add($"Schema.Indexes holds an expectation without a table or columns (table '{i.Table}').");
        }
    }

    /// <summary>A copy that shares no mutable state with these options.</summary>
    internal SchemaExpectations Copy()
    {
        var copy = (SchemaExpectations)MemberwiseClone();
        copy.Tables = [.. Tables];
        copy.Columns = [.. Columns];
        copy.Indexes = [.. Indexes.Select(i => i is null ? i! : i with { Columns = [.. i.Columns] })];
        return copy;
    }
}
