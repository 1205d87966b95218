namespace ReleaseGates;

/// <summary>How a value is compared with a threshold.</summary>
public enum ComparisonOperator
{
    /// <summary><c>&lt;</c>: the value must be below the threshold.</summary>
    LessThan,

    /// <summary><c>&lt;=</c>: the value must be at most the threshold.</summary>
    LessThanOrEqual,

    /// <summary><c>&gt;</c>: the value must be above the threshold.</summary>
    GreaterThan,

    /// <summary><c>&gt;=</c>: the value must be at least the threshold.</summary>
    GreaterThanOrEqual,

    /// <summary><c>==</c>: the value must equal the threshold.</summary>
    Equal,

    /// <summary><c>between A and B</c>: the value must lie in the closed range.</summary>
    Between,
}
