namespace ReleaseGates;

/// <summary>
/// A named query over the data that must hold after migration: either it returns no rows (duplicates, malformed
/// e-mails, orphans), or it returns one number held to a condition (template weights sum to one).
/// </summary>
public sealed class DataInvariant
{
    private DataInvariant(string name, string sql, GateCondition? condition)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        Name = name;
        Sql = sql;
        Condition = condition;
    }

    /// <summary>The invariant's name, shown in the report.</summary>
    public string Name { get; }

    /// <summary>The read-only query.</summary>
    public string Sql { get; }

    /// <summary>The condition on the scalar, or <see langword="null"/> when the query must return no rows.</summary>
    public GateCondition? Condition { get; }

    /// <summary>An invariant that holds when <paramref name="sql"/> returns no rows; the first offending rows are shown, secret-looking columns redacted.</summary>
    /// <param name="name">The invariant's name.</param>
    /// <param name="sql">The query, e.g. <c>SELECT login_id, COUNT(*) FROM users GROUP BY login_id HAVING COUNT(*) &gt; 1</c>.</param>
    /// <returns>The invariant.</returns>
    public static DataInvariant NoRows(string name, string sql) => new(name, sql, null);

    /// <summary>An invariant on the single value <paramref name="sql"/> returns.</summary>
    /// <param name="name">The invariant's name.</param>
    /// <param name="sql">The query, e.g. <c>SELECT SUM(weight) FROM templates</c>.</param>
    /// <param name="condition">The condition in text form (see docs/conditions.md), e.g. <c>sum between 0.999 and 1.001</c>.</param>
    /// <returns>The invariant.</returns>
    /// <exception cref="ConditionFormatException">The condition cannot be parsed.</exception>
    public static DataInvariant Scalar(string name, string sql, string condition) => new(name, sql, GateCondition.Parse(condition));
}
