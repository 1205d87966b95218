namespace ReleaseGates.Metrics;

/// <summary>One interval of a <see cref="RequestWindows"/> ring.</summary>
/// <param name="Start">Its start (inclusive).</param>
/// <param name="End">Its end (exclusive).</param>
/// <param name="Total">Events in it.</param>
/// <param name="Errors">Error events in it.</param>
public readonly record struct WindowInterval(DateTimeOffset Start, DateTimeOffset End, long Total, long Errors)
{
    /// <summary>Errors ÷ total; 0 when there were no events.</summary>
    public double ErrorRate => Total == 0 ? 0 : (double)Errors / Total;
}
