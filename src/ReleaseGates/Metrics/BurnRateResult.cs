namespace ReleaseGates.Metrics;

/// <summary>The verdict of <see cref="RequestWindows.GetBurnRate"/>.</summary>
/// <param name="LongBurnRate">The burn rate over the long window.</param>
/// <param name="ShortBurnRate">The burn rate over the short window.</param>
/// <param name="Threshold">The threshold both had to exceed.</param>
/// <param name="Breached">Whether both exceeded it (and both windows had enough events).</param>
/// <param name="Conclusive">Whether both windows had enough events to judge.</param>
/// <param name="LongWindow">The long window's totals.</param>
/// <param name="ShortWindow">The short window's totals.</param>
public sealed record BurnRateResult(double LongBurnRate, double ShortBurnRate, double Threshold, bool Breached, bool Conclusive,
    WindowTotals LongWindow, WindowTotals ShortWindow);
