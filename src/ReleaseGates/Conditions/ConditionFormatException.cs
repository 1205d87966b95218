namespace ReleaseGates;

/// <summary>A condition's text form did not parse. The message names the column and what was expected.</summary>
public sealed class ConditionFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="text">The text that did not parse.</param>
    /// <param name="column">The 1-based column where parsing stopped.</param>
    /// <param name="expected">What was expected there.</param>
    public ConditionFormatException(string text, int column, string expected)
        : base($"Invalid condition '{text}' at column {column}: expected {expected}.")
    {
        Text = text;
        Column = column;
        Expected = expected;
    }

    /// <summary>The text that did not parse.</summary>
    public string Text { get; }

    /// <summary>The 1-based column where parsing stopped.</summary>
    public int Column { get; }

    /// <summary>What was expected at <see cref="Column"/>.</summary>
    public string Expected { get; }
}
