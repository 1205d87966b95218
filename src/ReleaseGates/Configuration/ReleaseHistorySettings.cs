namespace ReleaseGates;

/// <summary>
/// The <c>history</c> section of a <c>releasegates.json</c>, checked (<see cref="JsonConfigurationReleaseGatesBuilderExtensions.ReadHistorySettings"/>):
/// which store, the baseline rule, whether to record, the runner label and the timeout. The <c>release-gates</c> tool opens
/// the store from it; a host opens its own and passes an <see cref="EvaluationHistory"/>.
/// </summary>
public sealed class ReleaseHistorySettings
{
    /// <summary>The database.</summary>
    public HistoryStoreKind Store { get; init; }

    /// <summary>The SQLite file's full path (given relative to the configuration file); <see langword="null"/> for PostgreSQL.</summary>
    public string? Path { get; init; }

    /// <summary>
    /// The PostgreSQL connection string, read from the environment variable the file names (<c>${RELEASEGATES_HISTORY}</c>); a
    /// secret, never shown. <see langword="null"/> for SQLite.
    /// </summary>
    public string? ConnectionString { get; init; }

    /// <summary>The environment variable <see cref="ConnectionString"/> came from, for messages.</summary>
    public string? ConnectionStringVariable { get; init; }

    /// <summary>The baseline rule (its fingerprint fields included); <see langword="null"/> for none.</summary>
    public BaselineRule? Baseline { get; init; }

    /// <summary>Whether evaluations are recorded. Default: <see langword="true"/>.</summary>
    public bool Record { get; init; } = true;

    /// <summary>The runner label added to the machine's fingerprint; <see langword="null"/> for none.</summary>
    public string? RunnerLabel { get; init; }

    /// <summary>How long reading the baseline, and recording, may each take. Default 30 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}
