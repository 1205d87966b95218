namespace ReleaseGates;

/// <summary>The database a <c>releasegates.json</c> history is kept in.</summary>
public enum HistoryStoreKind
{
    /// <summary>A SQLite file (package <c>ReleaseGates.History.Sqlite</c>): no server.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database (package <c>ReleaseGates.History.PostgreSql</c>), for teams and fleets of runners.</summary>
    PostgreSql,
}
