namespace ReleaseGates;

/// <summary>
/// One multiwindow burn-rate alert of the SRE workbook: the error budget burns faster than <see cref="Threshold"/> times
/// the sustainable rate over both the long and the short window (the short one says it is still happening).
/// </summary>
public sealed class SloBurnRateRule
{
    /// <summary>The long window, for example 1 hour.</summary>
    public TimeSpan LongWindow { get; set; }

    /// <summary>The short window, at most the long one; the workbook uses a twelfth of it (5 minutes for 1 hour).</summary>
    public TimeSpan ShortWindow { get; set; }

    /// <summary>The burn rate both windows must exceed to breach, for example 14.4 (2 % of a 30-day budget in an hour).</summary>
    public double Threshold { get; set; }

    /// <summary>The SRE workbook's three rules for a 30-day window: 1 h / 5 min at 14.4, 6 h / 30 min at 6, 3 days / 6 h at 1.</summary>
    /// <returns>The rules, new instances each call.</returns>
    public static IList<SloBurnRateRule> WorkbookDefaults() =>
    [
        new() { LongWindow = TimeSpan.FromHours(1), ShortWindow = TimeSpan.FromMinutes(5), Threshold = 14.4 },
        new() { LongWindow = TimeSpan.FromHours(6), ShortWindow = TimeSpan.FromMinutes(30), Threshold = 6 },
        new() { LongWindow = TimeSpan.FromDays(3), ShortWindow = TimeSpan.FromHours(6), Threshold = 1 },
    ];

    internal SloBurnRateRule Copy() => (SloBurnRateRule)MemberwiseClone();

    internal void Validate(ICollection<string> problems, int index)
    {
        if (ShortWindow <= TimeSpan.Zero || ShortWindow > LongWindow)
        {
            problems.Add($"BurnRates[{index}]: the short window ({ShortWindow}) must be positive and at most the long window ({LongWindow}).");
        }

        if (!(Threshold > 0 && double.IsFinite(Threshold)))
        {
            problems.Add($"BurnRates[{index}].{nameof(Threshold)} must be a positive number, but was {Threshold}.");
        }
    }
}
