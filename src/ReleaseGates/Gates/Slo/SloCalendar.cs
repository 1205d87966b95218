using System.Globalization;

namespace ReleaseGates;

/// <summary>
/// A calendar-aligned SLO window (OpenSLO's <c>calendar</c>): periods of <see cref="Period"/> from <see cref="Start"/> in
/// <see cref="TimeZone"/>, each with a budget of its own. The gate counts from the start of the current period.
/// </summary>
public sealed class SloCalendar
{
    /// <summary>When the first period starts, as a clock in <see cref="TimeZone"/> shows it (no offset). Required.</summary>
    public DateTime Start { get; set; }

    /// <summary>The time zone of <see cref="Start"/> and of every period's start, an IANA name (<c>Europe/Paris</c>). Default: UTC.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>
    /// The length of a period as OpenSLO writes it: a positive whole number and one of <c>h</c>, <c>d</c>, <c>w</c>,
    /// <c>M</c> (calendar months), <c>Q</c> (quarters) and <c>Y</c> (years), such as <c>1M</c> or <c>1w</c>. Default: <c>1M</c>.
    /// </summary>
    public string Period { get; set; } = "1M";

    /// <summary>
    /// The longest one period can last (31 days for <c>1M</c>, 92 for <c>1Q</c>, 366 for <c>1Y</c>): how far back the
    /// gate's source must keep intervals. Zero when <see cref="Period"/> is not valid.
    /// </summary>
    public TimeSpan LongestPeriod => ParsePeriod(Period) is var (count, unit) ? unit switch
    {
        'M' => TimeSpan.FromDays(31 * count),
        'Q' => TimeSpan.FromDays(92 * count),
        'Y' => TimeSpan.FromDays(366 * count),
        _ => Nominal(count, unit),
    } : TimeSpan.Zero;

    internal SloCalendar Copy() => (SloCalendar)MemberwiseClone();

    internal void Validate(ICollection<string> problems)
    {
        if (ParsePeriod(Period) is null)
        {
            problems.Add($"Calendar.{nameof(Period)} is a whole number and one of h, d, w, M, Q, Y (such as 1M or 1w), but was '{Period}'.");
        }

        if (Zone() is null)
        {
            problems.Add($"Calendar.{nameof(TimeZone)} '{TimeZone}' is not a time zone this machine knows (an IANA name such as Europe/Paris).");
        }
    }

    /// <summary>Whether the first period starts after <paramref name="now"/>.</summary>
    internal bool StartsAfter(DateTimeOffset now) => TimeZoneInfo.ConvertTime(now, Zone()!).DateTime < Start;

    /// <summary>The start (UTC) of the period that holds <paramref name="now"/>, and of the next one.</summary>
    internal (DateTimeOffset Start, DateTimeOffset End) PeriodAt(DateTimeOffset now)
    {
        var zone = Zone()!;
        var (count, unit) = ParsePeriod(Period)!.Value;
        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        var start = DateTime.SpecifyKind(Start, DateTimeKind.Unspecified);
        // A first guess of the number of whole periods from the start, then a step either way until the period holds now.
        var approximate = (local - start).Ticks / Nominal(count, unit).Ticks;
        var k = approximate;
        while (Advance(start, count, unit, k) > local)
        {
            k--;
        }

        while (Advance(start, count, unit, k + 1) <= local)
        {
            k++;
        }

        return (ToUtc(Advance(start, count, unit, k), zone), ToUtc(Advance(start, count, unit, k + 1), zone));
    }

    internal static (int Count, char Unit)? ParsePeriod(string? period)
        => period is { Length: >= 2 } && "hdwMQY".Contains(period[^1], StringComparison.Ordinal)
            && int.TryParse(period.AsSpan(0, period.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0
            ? (count, period[^1]) : null;

    private TimeZoneInfo? Zone()
    {
        try
        {
            return string.IsNullOrWhiteSpace(TimeZone) ? null : TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }

    private static DateTime Advance(DateTime start, int count, char unit, long periods) => unit switch
    {
        'h' => start.AddHours(count * (double)periods),
        'd' => start.AddDays(count * (double)periods),
        'w' => start.AddDays(7 * count * (double)periods),
        'M' => start.AddMonths(checked((int)(count * periods))),
        'Q' => start.AddMonths(checked((int)(3 * count * periods))),
        _ => start.AddYears(checked((int)(count * periods))),
    };

    private static TimeSpan Nominal(int count, char unit) => unit switch
    {
        'h' => TimeSpan.FromHours(count),
        'd' => TimeSpan.FromDays(count),
        'w' => TimeSpan.FromDays(7 * count),
        'M' => TimeSpan.FromDays(30.436875 * count),
        'Q' => TimeSpan.FromDays(91.310625 * count),
        _ => TimeSpan.FromDays(365.2425 * count),
    };

    /// <summary>A wall-clock time of the zone in UTC; a time skipped by a clock change is read as the moment after the gap.</summary>
    private static DateTimeOffset ToUtc(DateTime local, TimeZoneInfo zone)
    {
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
