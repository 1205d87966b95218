using Npgsql;
using ReleaseGates.IntegrationTests.Support;
using static ReleaseGates.IntegrationTests.History.HistoryFixtures;

namespace ReleaseGates.IntegrationTests.History;

/// <summary>The history contract on the real PostgreSQL server the tests start (<see cref="PostgresServer"/>), and its own failures.</summary>
[Collection(PostgresDefinition.Name)]
public sealed class PostgreSqlHistoryTests(PostgresServer server) : HistoryStoreContract, IAsyncDisposable
{
    private readonly List<PostgreSqlReleaseHistory> _opened = [];

    protected override async Task<IReleaseHistory> CreateAsync(TimeProvider? time = null)
    {
        var history = new PostgreSqlReleaseHistory(await server.CreateDatabaseAsync("history"), time);
        _opened.Add(history);
        return history;
    }

    protected override IReleaseHistory Reopen(IReleaseHistory history)
    {
        var database = history.Description[(history.Description.LastIndexOf('/') + 1)..];
        var reopened = new PostgreSqlReleaseHistory(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = database, Pooling = false }.ConnectionString);
        _opened.Add(reopened);
        return reopened;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var history in _opened)
        {
            await history.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_wrong_password_is_an_error_that_never_echoes_it_and_the_report_is_still_made()
    {
        var connection = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync("history")) { Password = "Wr0ng-Secret-9d2b" }.ConnectionString;
        await using var history = new PostgreSqlReleaseHistory(connection);

        var report = await EvaluateAsync(history, "median of 3", 100, "1.0.0");

        Assert.Equal(GateStatus.Error, report.History!.Status);
        Assert.Contains("refused the password", report.History.BaselineError, StringComparison.Ordinal);
        Assert.Contains("not recorded", Assert.Single(report.History.Problems), StringComparison.Ordinal);
        Assert.Equal(ReleaseDecision.GoWithWarnings, report.Decision);
        Assert.StartsWith("History:", report.Reasons[0], StringComparison.Ordinal);
        Assert.DoesNotContain("Wr0ng-Secret-9d2b", report.ToJson(), StringComparison.Ordinal);
        Assert.DoesNotContain(server.AdminPassword, report.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_does_not_answer_is_an_error_within_the_timeout()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start(); // accepts the connection and never speaks
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        await using var history = new PostgreSqlReleaseHistory($"Host=127.0.0.1;Port={port};Database=x;Username=u;Password=p;Timeout=60");
        var request = new EvaluationRequest
        {
            History = new EvaluationHistory(history) { Baseline = BaselineRule.LastPassing, Fingerprint = Machine, Timeout = TimeSpan.FromSeconds(2) },
        };

        var report = await Evaluator(100).EvaluateAsync(request, Ct);

        Assert.Equal(GateStatus.Error, report.History!.Status);
        Assert.Contains("did not answer within 2 s", report.History.BaselineError, StringComparison.Ordinal);
        Assert.Contains("did not answer within 2 s", Assert.Single(report.History.Problems), StringComparison.Ordinal);
    }
}
