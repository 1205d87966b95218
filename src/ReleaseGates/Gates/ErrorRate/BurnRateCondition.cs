namespace ReleaseGates;

/// <summary>
/// The SRE Workbook's multiwindow burn rate: burn = error rate ÷ (1 − SLO); the gate fails when both the long and the
/// short window burn faster than <see cref="Threshold"/>. Defaults: the 30-day page row, 1 h / 5 min at 14.4 for 99.9 %.
/// </summary>
public sealed class BurnRateCondition
{
    /// <summary>The objective, strictly between 0 and 1. Default: 0.999.</summary>
    public double Slo { get; set; } = 0.999;

    /// <summary>The long window. Default: 1 hour.</summary>
    public TimeSpan LongWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The short window, at most the long one. Default: 5 minutes.</summary>
    public TimeSpan ShortWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The burn-rate threshold. Default: 14.4 (2 % of a 30-day budget in one hour).</summary>
    public double Threshold { get; set; } = 14.4;

    /// <summary>The fewest requests each window needs; fewer is inconclusive. Default: 1.</summary>
    public long MinimumRequests { get; set; } = 1;

    internal void Validate(ICollection<string> problems)
    {
        if (!(Slo > 0 && Slo < 1))
        {
            problems.Add($"BurnRate.{nameof(Slo)} lies strictly between 0 and 1 (0.999 for 99.9 %), but was {Slo}.");
        }

        if (ShortWindow <= TimeSpan.Zero || ShortWindow > LongWindow)
        {
            problems.Add($"BurnRate: the short window ({ShortWindow}) must be positive and at most the long window ({LongWindow}).");
        }

        if (!(Threshold > 0))
        {
            problems.Add($"BurnRate.{nameof(Threshold)} must be positive, but was {Threshold}.");
        }
    }

    /// <summary>A copy that shares no mutable state with these options.</summary>
    internal BurnRateCondition Copy()
    {
        var copy = (BurnRateCondition)MemberwiseClone();
        return copy;
    }
}
