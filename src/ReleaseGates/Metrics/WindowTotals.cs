namespace ReleaseGates.Metrics;

/// <summary>Totals over a window.</summary>
/// <param name="Start">The window's start.</param>
/// <param name="End">The window's end.</param>
/// <param name="Total">Events in it.</param>
/// <param name="Errors">Error events in it.</param>
public readonly record struct WindowTotals(DateTimeOffset Start, DateTimeOffset End, long Total, long Errors)
{
    /// <summary>Errors ÷ total; 0 when there were no events.</summary>
    public double ErrorRate => Total == 0 ? 0 : (double)Errors / Total;
}
