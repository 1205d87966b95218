namespace ReleaseGates;

/// <summary>
/// The <c>history</c> section as written in the file, bound by its public properties and then checked into <see
/// cref="ReleaseHistorySettings"/>.
/// </summary>
internal sealed class HistoryFileForm
{
    /// <summary>The database: <c>sqlite</c> or <c>postgresql</c>.</summary>
    public HistoryStoreKind Store { get; set; }

    /// <summary>For SQLite: the file, relative to this configuration file, such as <c>.releasegates/history.db</c>.</summary>
    public string? Path { get; set; }

    /// <summary>For PostgreSQL: a reference to the environment variable holding the connection string, such as <c>${RELEASEGATES_HISTORY}</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The baseline rule: <c>last passing</c>, <c>median of 5</c>, <c>mean of 3 including warnings</c>, <c>pinned</c>,
    /// <c>pinned 2.3.1</c>, <c>blessed</c>, … <c>same branch</c>; <c>none</c> for no baseline. Default: <c>last
    /// passing</c>.
    /// </summary>
    public string Baseline { get; set; } = "last passing";

    /// <summary>The fingerprint fields a performance-like baseline must match. Default: cpuModel, coreCount, runtimeMajorVersion.</summary>
    public List<FingerprintFields>? Fingerprint { get; set; }

    /// <summary>Whether evaluations are recorded. Default: true.</summary>
    public bool Record { get; set; } = true;

    /// <summary>A label for the runner, added to the machine's fingerprint, such as <c>${RUNNER_LABEL}</c>.</summary>
    public string? Runner { get; set; }

    /// <summary>How long reading the baseline, and recording, may each take. Default 30s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
