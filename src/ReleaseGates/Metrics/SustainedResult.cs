namespace ReleaseGates.Metrics;

/// <summary>The verdict of <see cref="RequestWindows.CheckSustained"/>.</summary>
/// <param name="Sustained">Whether every interval in the span breached.</param>
/// <param name="Intervals">How many intervals the span has.</param>
/// <param name="JudgedIntervals">How many had enough events to judge.</param>
/// <param name="BreachedIntervals">How many breached.</param>
/// <param name="Detail">The intervals, oldest first.</param>
public sealed record SustainedResult(bool Sustained, int Intervals, int JudgedIntervals, int BreachedIntervals, IReadOnlyList<WindowInterval> Detail);
