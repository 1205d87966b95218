namespace ReleaseGates;

/// <summary>Conversions, symbols and parsing of <see cref="MetricUnit"/>.</summary>
internal static class MetricUnitFormat
{
    public static UnitDimension DimensionOf(MetricUnit unit) => unit switch
    {
        MetricUnit.None => UnitDimension.Dimensionless,
        MetricUnit.Count => UnitDimension.Count,
        MetricUnit.Ratio or MetricUnit.Percent => UnitDimension.Fraction,
        MetricUnit.Nanoseconds or MetricUnit.Microseconds or MetricUnit.Milliseconds or MetricUnit.Seconds or MetricUnit.Minutes
            or MetricUnit.Hours or MetricUnit.Days => UnitDimension.Duration,
        MetricUnit.PerSecond => UnitDimension.Throughput,
        MetricUnit.Bytes or MetricUnit.Kilobytes or MetricUnit.Megabytes or MetricUnit.Gigabytes
            or MetricUnit.Kibibytes or MetricUnit.Mebibytes or MetricUnit.Gibibytes => UnitDimension.Size,
        MetricUnit.Score => UnitDimension.Score,
        MetricUnit.Grade => UnitDimension.Grade,
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown unit."),
    };

    public static bool AreCompatible(MetricUnit a, MetricUnit b)
        => a == MetricUnit.None || b == MetricUnit.None || DimensionOf(a) == DimensionOf(b)
           || (DimensionOf(a), DimensionOf(b)) is (UnitDimension.Count, UnitDimension.Dimensionless) or (UnitDimension.Dimensionless, UnitDimension.Count);

    /// <summary>Converts <paramref name="value"/> from <paramref name="from"/> to <paramref name="to"/>; <see cref="MetricUnit.None"/> converts as identity.</summary>
    public static double Convert(double value, MetricUnit from, MetricUnit to)
    {
        if (from == to || from == MetricUnit.None || to == MetricUnit.None)
        {
            return value;
        }

        if (!AreCompatible(from, to))
        {
            throw new InvalidOperationException($"Cannot compare a value in {Symbol(from)} with one in {Symbol(to)}.");
        }

        return FromBase(ToBase(value, from), to);
    }

    // Dividing by exact integers (100, 1000) keeps 70 % -> 0.7 and 300 ms -> 0.3 s exact to the nearest double;
    // multiplying by 0.01 or 0.001 would give 0.7000000000000001 and fail a value sitting exactly on its threshold.
    private static double ToBase(double value, MetricUnit unit) => unit switch
    {
        MetricUnit.Percent => value / 100,
        MetricUnit.Nanoseconds => value / 1e9,
        MetricUnit.Microseconds => value / 1e6,
        MetricUnit.Milliseconds => value / 1e3,
        MetricUnit.Minutes => value * 60,
        MetricUnit.Hours => value * 3600,
        MetricUnit.Days => value * 86400,
        MetricUnit.Kilobytes => value * 1e3,
        MetricUnit.Megabytes => value * 1e6,
        MetricUnit.Gigabytes => value * 1e9,
        MetricUnit.Kibibytes => value * 1024,
        MetricUnit.Mebibytes => value * 1048576,
        MetricUnit.Gibibytes => value * 1073741824,
        _ => value,
    };

    private static double FromBase(double value, MetricUnit unit) => unit switch
    {
        MetricUnit.Percent => value * 100,
        MetricUnit.Nanoseconds => value * 1e9,
        MetricUnit.Microseconds => value * 1e6,
        MetricUnit.Milliseconds => value * 1e3,
        MetricUnit.Minutes => value / 60,
        MetricUnit.Hours => value / 3600,
        MetricUnit.Days => value / 86400,
        MetricUnit.Kilobytes => value / 1e3,
        MetricUnit.Megabytes => value / 1e6,
        MetricUnit.Gigabytes => value / 1e9,
        MetricUnit.Kibibytes => value / 1024,
        MetricUnit.Mebibytes => value / 1048576,
        MetricUnit.Gibibytes => value / 1073741824,
        _ => value,
    };

    /// <summary>A ratio as a percentage without binary noise: 0.7 → 70, not 70.00000000000001.</summary>
    public static double RatioToPercent(double ratio) => Math.Round(ratio * 100, 10);

    /// <summary>A window in the largest unit that divides it, as PromQL and burn-rate rules name windows: 5m, 1h, 3d, 90s.</summary>
    public static string ShortDuration(TimeSpan window) => window.Ticks % TimeSpan.TicksPerDay == 0 ? $"{window.Days}d"
        : window.Ticks % TimeSpan.TicksPerHour == 0 ? $"{(long)window.TotalHours}h"
        : window.Ticks % TimeSpan.TicksPerMinute == 0 ? $"{(long)window.TotalMinutes}m"
        : window.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + "s";

    public static string Symbol(MetricUnit unit) => unit switch
    {
        MetricUnit.None => "",
        MetricUnit.Count => "count",
        MetricUnit.Ratio => "ratio",
        MetricUnit.Percent => "%",
        MetricUnit.Nanoseconds => "ns",
        MetricUnit.Microseconds => "us",
        MetricUnit.Milliseconds => "ms",
        MetricUnit.Seconds => "s",
        MetricUnit.Minutes => "min",
        MetricUnit.PerSecond => "rps",
        MetricUnit.Bytes => "B",
        MetricUnit.Score => "score",
        MetricUnit.Hours => "h",
        MetricUnit.Days => "d",
        MetricUnit.Kilobytes => "kB",
        MetricUnit.Megabytes => "MB",
        MetricUnit.Gigabytes => "GB",
        MetricUnit.Kibibytes => "KiB",
        MetricUnit.Mebibytes => "MiB",
        MetricUnit.Gibibytes => "GiB",
        MetricUnit.Grade => "grade",
        _ => unit.ToString(),
    };

    /// <summary>Reads a unit suffix as written in a condition; <see langword="null"/> when unknown.</summary>
    public static MetricUnit? FromSymbol(ReadOnlySpan<char> symbol) => symbol switch
    {
        "" => MetricUnit.None,
        "count" => MetricUnit.Count,
        "ratio" => MetricUnit.Ratio,
        "%" => MetricUnit.Percent,
        "ns" => MetricUnit.Nanoseconds,
        "us" or "µs" or "μs" => MetricUnit.Microseconds,
        "ms" => MetricUnit.Milliseconds,
        "s" => MetricUnit.Seconds,
        "min" => MetricUnit.Minutes,
        "rps" or "/s" => MetricUnit.PerSecond,
        "B" => MetricUnit.Bytes,
        "score" => MetricUnit.Score,
        "h" => MetricUnit.Hours,
        "d" => MetricUnit.Days,
        "kB" or "KB" => MetricUnit.Kilobytes,
        "MB" => MetricUnit.Megabytes,
        "GB" => MetricUnit.Gigabytes,
        "KiB" => MetricUnit.Kibibytes,
        "MiB" => MetricUnit.Mebibytes,
        "GiB" => MetricUnit.Gibibytes,
        "grade" => MetricUnit.Grade,
        _ => null,
    };

    /// <summary>Formats a value with its unit for people: <c>312.5 ms</c>, <c>85.2 %</c> (ratios as percentages), <c>0.0012</c>.</summary>
    public static string Format(double value, MetricUnit unit)
    {
        if (unit is MetricUnit.Ratio or MetricUnit.Percent)
        {
            return Number(unit == MetricUnit.Ratio ? value * 100 : value) + " %";
        }

        if (unit == MetricUnit.Grade && LetterGrades.Letter(value) is { } letter)
        {
            return letter;
        }

        var symbol = Symbol(unit);
        return symbol.Length == 0 || unit == MetricUnit.Count ? Number(value) : Number(value) + " " + symbol;
    }

    /// <summary>Three significant decimals where they matter: 283, 28.3, 2.83, 0.0283.</summary>
    private static string Number(double value)
    {
        var magnitude = Math.Abs(value);
        var format = magnitude >= 100 || value == Math.Round(value) ? "0.#" : magnitude >= 10 ? "0.##" : magnitude >= 1 ? "0.###" : "0.####";
        return value.ToString(format, System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>Letter grades F to A+ as ranks 0 to 12, the scale of <see cref="MetricUnit.Grade"/>.</summary>
internal static class LetterGrades
{
    private static readonly string[] Letters = ["F", "D-", "D", "D+", "C-", "C", "C+", "B-", "B", "B+", "A-", "A", "A+"];

    /// <summary>The rank of a grade (case-insensitive), or null when it is not one.</summary>
    public static int? Rank(ReadOnlySpan<char> grade)
    {
        for (var i = 0; i < Letters.Length; i++)
        {
            if (grade.Equals(Letters[i], StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return null;
    }

    /// <summary>The letter of a whole rank from 0 to 12, or null.</summary>
    public static string? Letter(double rank) => rank >= 0 && rank < Letters.Length && rank == Math.Floor(rank) ? Letters[(int)rank] : null;
}
