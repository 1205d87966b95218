namespace ReleaseGates;

/// <summary>Settings of a <see cref="SqliteReleaseHistory"/>.</summary>
public sealed class SqliteHistoryOptions
{
    /// <summary>How long a write waits for another process's write lock before it fails. Default 30 s.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock for record and mark times; <see langword="null"/> for the system clock.</summary>
    public TimeProvider? TimeProvider { get; set; }
}
