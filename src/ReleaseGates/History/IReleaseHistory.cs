namespace ReleaseGates;

/// <summary>
/// A store of recorded evaluations: each an immutable record of its subject, decision, measurements, fingerprint and
/// whole report, with dated marks (invalidated, pinned, blessed) kept beside it. Baselines are chosen from it by a
/// <see cref="BaselineRule"/>. The stores are separate packages: <c>ReleaseGates.History.Sqlite</c> (a file, no server) and
/// <c>ReleaseGates.History.PostgreSql</c>; every member of every store passes the same contract tests.
/// </summary>
/// <remarks>
/// A store creates or upgrades its schema on first use and refuses one written by a newer version with a
/// <see cref="ReleaseHistoryException"/>; every failure to read or write is that exception, its message naming the store
/// without credentials.
/// </remarks>
public interface IReleaseHistory
{
    /// <summary>The store in a few words, without credentials: <c>SQLite .releasegates/history.db</c>.</summary>
    string Description { get; }

    /// <summary>Records an evaluation: its report, measurements and the machine it ran on, in one transaction.</summary>
    /// <param name="report">The evaluation's report.</param>
    /// <param name="fingerprint">The machine it ran on.</param>
    /// <param name="cancellationToken">Cancels the write; a cancelled write records nothing.</param>
    /// <returns>The recorded entry, with its new id.</returns>
    /// <exception cref="ReleaseHistoryException">The store cannot be written.</exception>
    Task<HistoryEntry> RecordAsync(ReleaseReport report, EnvironmentFingerprint fingerprint, CancellationToken cancellationToken = default);

    /// <summary>The recorded evaluations that match <paramref name="query"/>, newest first, each with its marks.</summary>
    /// <param name="query">The filter.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entries.</returns>
    /// <exception cref="ReleaseHistoryException">The store cannot be read.</exception>
    Task<IReadOnlyList<HistoryEntry>> ListAsync(HistoryQuery query, CancellationToken cancellationToken = default);

    /// <summary>One recorded evaluation by id, with its marks.</summary>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entry, or <see langword="null"/> when there is none with that id.</returns>
    /// <exception cref="ReleaseHistoryException">The store cannot be read.</exception>
    Task<HistoryEntry?> FindAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>
    /// The report recorded with an evaluation, read back as <see cref="ReleaseReport.FromJson"/> reads any report (decided
    /// again from its evidence; a report of a newer schema is refused).
    /// </summary>
    /// <param name="id">The evaluation's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The report, or <see langword="null"/> when there is no evaluation with that id.</returns>
    /// <exception cref="ReleaseHistoryException">The store cannot be read, or the stored report is not a valid report.</exception>
    Task<ReleaseReport?> ReadReportAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Adds a dated mark to a recorded evaluation; the record itself never changes.</summary>
    /// <param name="id">The evaluation's id.</param>
    /// <param name="kind">Invalidated, pinned or blessed.</param>
    /// <param name="markedBy">Who marks it, such as a user name or a pipeline.</param>
    /// <param name="reason">Why; required to invalidate.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The mark as stored, with its time.</returns>
    /// <exception cref="ArgumentException">An invalidation without a reason, or an empty <paramref name="markedBy"/>.</exception>
    /// <exception cref="ReleaseHistoryException">There is no evaluation with that id, or the store cannot be written.</exception>
    Task<HistoryMark> MarkAsync(long id, HistoryMarkKind kind, string markedBy, string? reason, CancellationToken cancellationToken = default);

    /// <summary>
    /// The last values of one measurement (or one gate's status) over the recorded evaluations of a service, newest first.
    /// Invalidated evaluations are left out.
    /// </summary>
    /// <param name="query">The series.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The points.</returns>
    /// <exception cref="ReleaseHistoryException">The store cannot be read.</exception>
    Task<IReadOnlyList<TrendPoint>> TrendAsync(TrendQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the evaluations <paramref name="retention"/> does not keep, with their measurements and marks. Pinned and
    /// blessed evaluations are always kept.
    /// </summary>
    /// <param name="retention">What to keep.</param>
    /// <param name="cancellationToken">Cancels the deletion; a cancelled prune deletes nothing.</param>
    /// <returns>How many evaluations were deleted.</returns>
    /// <exception cref="ReleaseHistoryException">The store cannot be written.</exception>
    Task<int> PruneAsync(HistoryRetention retention, CancellationToken cancellationToken = default);
}
