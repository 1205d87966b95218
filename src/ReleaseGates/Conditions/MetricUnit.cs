namespace ReleaseGates;

/// <summary>The unit of a measured value or a threshold.</summary>
/// <remarks>
/// Units of the same dimension compare with each other (<c>300ms</c> against a value in seconds; <c>85%</c> against a ratio);
/// units of different dimensions never do. <see cref="None"/> takes the unit of whatever it is compared with.
/// </remarks>
public enum MetricUnit
{
    /// <summary>No unit: a bare number, read in the unit of the value it is compared with.</summary>
    None = 0,

    /// <summary>A count of things (tests, requests, tables).</summary>
    Count,

    /// <summary>A fraction between 0 and 1.</summary>
    Ratio,

    /// <summary>A fraction written as a percentage between 0 and 100.</summary>
    Percent,

    /// <summary>Nanoseconds.</summary>
    Nanoseconds,

    /// <summary>Microseconds.</summary>
    Microseconds,

    /// <summary>Milliseconds.</summary>
    Milliseconds,

    /// <summary>Seconds.</summary>
    Seconds,

    /// <summary>Minutes.</summary>
    Minutes,

    /// <summary>Requests (or events) per second.</summary>
    PerSecond,

    /// <summary>Bytes.</summary>
    Bytes,

    /// <summary>A 0–100 score.</summary>
    Score,

    /// <summary>Hours (<c>h</c>), a duration.</summary>
    Hours,

    /// <summary>Days of 24 hours (<c>d</c>), a duration: certificate lifetimes, data ages.</summary>
    Days,

    /// <summary>Kilobytes, 1000 bytes (<c>kB</c>).</summary>
    Kilobytes,

    /// <summary>Megabytes, 1000² bytes (<c>MB</c>).</summary>
    Megabytes,

    /// <summary>Gigabytes, 1000³ bytes (<c>GB</c>).</summary>
    Gigabytes,

    /// <summary>Kibibytes, 1024 bytes (<c>KiB</c>).</summary>
    Kibibytes,

    /// <summary>Mebibytes, 1024² bytes (<c>MiB</c>).</summary>
    Mebibytes,

    /// <summary>Gibibytes, 1024³ bytes (<c>GiB</c>).</summary>
    Gibibytes,

    /// <summary>
    /// A letter grade, F to A+, as Mozilla HTTP Observatory gives them; written as letters in conditions
    /// (<c>grade &gt;= B</c>) and held as a rank: F = 0, D- = 1, D = 2, … B = 8, … A = 11, A+ = 12.
    /// </summary>
    Grade,
}

/// <summary>The families of units that can be compared with each other.</summary>
internal enum UnitDimension
{
    Dimensionless,
    Count,
    Fraction,
    Duration,
    Throughput,
    Size,
    Score,
    Grade,
}
