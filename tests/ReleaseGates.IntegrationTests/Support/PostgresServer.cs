using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ReleaseGates.IntegrationTests.Support;

/// <summary>
/// A real PostgreSQL server for the database tests: the one named by <c>RELEASEGATES_POSTGRES</c> (a connection string
/// with rights to create databases), or a throwaway cluster started from the local binaries (<c>initdb</c>, <c>pg_ctl</c>)
/// in a temporary folder on a free loopback port, as the <c>postgres</c> user when the tests run as root, and torn down
/// afterwards. When neither is possible the tests are skipped locally; with <c>CI=true</c> that is a failure.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string EnvironmentVariable = "RELEASEGATES_POSTGRES";
    private const string Password = "rg-Secret-7f3a";
    private string? _directory;
    private string? _runAs;
    private string? _binaries;

    /// <summary>The administrator's connection string (database <c>postgres</c>).</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>Why there is no server, or null.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>The superuser's password (the tests check it never appears in a report).</summary>
    public string AdminPassword => new NpgsqlConnectionStringBuilder(ConnectionString).Password ?? string.Empty;

    public async ValueTask InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } given)
        {
            ConnectionString = given;
            return;
        }

        try
        {
            await StartClusterAsync();
        }
        catch (Exception ex) when (!IsCi)
        {
            Unavailable = $"No PostgreSQL: set {EnvironmentVariable} or put initdb and pg_ctl on PATH ({ex.Message}).";
        }
    }

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Skips the calling test when there is no server (never in CI, where the fixture has already failed).</summary>
    public void RequireServer() => Assert.SkipWhen(Unavailable is not null, Unavailable ?? string.Empty);

    /// <summary>Creates a fresh database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        RequireServer();
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)].ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name, Pooling = false }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (_directory is null)
        {
            return;
        }

        try
        {
            await RunAsync(Tool("pg_ctl"), ["-D", Path.Combine(_directory, "data"), "-m", "immediate", "-w", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StartClusterAsync()
    {
        _binaries = FindBinaries() ?? throw new InvalidOperationException("initdb was not found on PATH or under /usr/lib/postgresql");
        _runAs = Environment.UserName == "root" ? (UserExists("postgres") ? "postgres" : "nobody") : null;
        _directory = Directory.CreateTempSubdirectory("releasegates-pg-").FullName;
        var data = Path.Combine(_directory, "data");
        var pwfile = Path.Combine(_directory, "pwfile");
        await File.WriteAllTextAsync(pwfile, Password);
        if (_runAs is not null)
        {
            await RunAsync("chown", ["-R", _runAs, _directory], asRoot: true);
        }

        await RunAsync(Tool("initdb"), ["-D", data, "-U", "releasegates", "--pwfile", pwfile, "--auth", "scram-sha-256", "-E", "UTF8", "--no-locale"]);
        var port = Ports.Free();
        await RunAsync(Tool("pg_ctl"), ["-D", data, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60", "-o", $"-p {port} -c listen_addresses=127.0.0.1 -k {_directory} -c fsync=off", "start"]);
        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "releasegates",
            Password = Password,
            Database = "postgres",
            Pooling = false,
        }.ConnectionString;
    }

    private string Tool(string name) => Path.Combine(_binaries!, name);

    private static string? FindBinaries()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator);
        var candidates = path.Concat(Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin"))
            : []);
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    private static bool UserExists(string user) => File.ReadLines("/etc/passwd").Any(l => l.StartsWith(user + ":", StringComparison.Ordinal));

    private async Task RunAsync(string file, string[] arguments, bool asRoot = false)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (_runAs is not null && !asRoot)
        {
            start.FileName = "runuser";
            foreach (var a in new[] { "-u", _runAs, "--", file })
            {
                start.ArgumentList.Add(a);
            }
        }
        else
        {
            start.FileName = file;
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} exited with {process.ExitCode}: {await stderr}{await stdout}");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresDefinition : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
