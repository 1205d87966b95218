using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace ReleaseGates.IntegrationTests.Support;

/// <summary>
/// A real Prometheus server (Debian's <c>prometheus</c> package) on a free 127.0.0.1 port, with a temporary config and
/// storage, scraping every second two instances of a small Kestrel app that export OpenTelemetry metrics in Prometheus
/// format: ASP.NET Core's <c>http.server.request.duration</c> and a cache counter pair. Without a <c>prometheus</c>
/// binary the tests are skipped locally; with <c>CI=true</c> that is a failure.
/// </summary>
public class PrometheusServer : IAsyncLifetime
{
    public const string Job = "shop";
    private readonly List<LoopbackApp> _instances = [];
    private Process? _process;
    private string? _directory;

    /// <summary>The server's address.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1:1/");

    /// <summary>The scraped instances.</summary>
    public IReadOnlyList<LoopbackApp> Instances => _instances;

    /// <summary>The scrape job of the instances.</summary>
    public virtual string JobName => Job;

    /// <summary>The scrape job's <c>static_configs</c> entries, indented to sit under it: by default one group of every instance.</summary>
    protected virtual string TargetGroups(IReadOnlyList<LoopbackApp> instances)
        => $"      - targets: [{string.Join(", ", instances.Select(a => $"'{a.BaseAddress.Authority}'"))}]";

    /// <summary>Further scrape jobs, indented as entries of <c>scrape_configs</c>, or empty.</summary>
    protected virtual string ExtraScrapeConfigs => "";

    /// <summary>A rules file for the server to evaluate every second (recording rules), or null.</summary>
    protected virtual string? Rules => null;

    /// <summary>Prometheus feature flags to enable (<c>--enable-feature</c>).</summary>
    protected virtual IReadOnlyList<string> Features => [];

    /// <summary>Starts the instances to scrape: by default two shops.</summary>
    protected virtual async Task<IReadOnlyList<LoopbackApp>> StartInstancesAsync()
        => [await LoopbackApp.StartAsync(MapShop, CancellationToken.None, services: AddMetrics),
            await LoopbackApp.StartAsync(MapShop, CancellationToken.None, services: AddMetrics)];

    /// <summary>Why there is no server, or null.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>A connection to the server.</summary>
    public PrometheusConnection Connection() => new() { BaseAddress = BaseAddress, MaximumRetries = 1 };

    public async ValueTask InitializeAsync()
    {
        var binary = Find("prometheus");
        if (binary is null)
        {
            var reason = "No prometheus binary on PATH (apt-get install prometheus).";
            Assert.False(PostgresServer.IsCi, reason + " CI=true: the Prometheus tests must run.");
            Unavailable = reason;
            return;
        }

        _instances.AddRange(await StartInstancesAsync());

        _directory = Directory.CreateTempSubdirectory("releasegates-prometheus-").FullName;
        var port = Ports.Free();
        var config = Path.Combine(_directory, "prometheus.yml");
        var rules = Rules is { } text ? Path.Combine(_directory, "rules.yml") : null;
        if (rules is not null)
        {
            await File.WriteAllTextAsync(rules, Rules);
        }

        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files: [{(rules is null ? "" : "'" + rules + "'")}]
            scrape_configs:
              - job_name: {JobName}
                scrape_interval: 1s
                static_configs:
            {TargetGroups(_instances)}
            {ExtraScrapeConfigs}
            """);
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                "--config.file=" + config,
                "--storage.tsdb.path=" + Path.Combine(_directory, "data"),
                $"--web.listen-address=127.0.0.1:{port}",
                "--log.level=warn",
            },
        };
        foreach (var feature in Features)
        {
            start.ArgumentList.Add("--enable-feature=" + feature);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        await WaitReadyAsync();
        await WaitForValueAsync($"sum(up{{job=\"{JobName}\"}})", _instances.Count);
    }

    /// <summary>Skips the calling test when there is no server (never in CI, where the fixture has already failed).</summary>
    public void RequireServer() => Assert.SkipWhen(Unavailable is not null, Unavailable ?? string.Empty);

    /// <summary>Evaluates <paramref name="query"/> until it gives <paramref name="expected"/> (both instances scraped after the traffic), for at most 30 s.</summary>
    public async Task WaitForValueAsync(string query, double expected)
    {
        var client = new PrometheusClient(Connection(), TimeProvider.System);
        var deadline = Stopwatch.StartNew();
        double? last = null;
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            var result = await client.QueryAsync(query, DateTimeOffset.UtcNow, CancellationToken.None);
            last = result.Series.Count == 1 ? result.Series[0].Samples[0].Value : null;
            if (last == expected)
            {
                return;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"'{query}' did not reach {expected} within 30 s; last {last?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no value"}.");
    }

    /// <summary>Evaluates <paramref name="query"/> until it gives at least <paramref name="least"/>, for at most 30 s.</summary>
    public async Task WaitForAtLeastAsync(string query, double least)
    {
        var client = new PrometheusClient(Connection(), TimeProvider.System);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            var result = await client.QueryAsync(query, DateTimeOffset.UtcNow, CancellationToken.None);
            if (result.Series.Count == 1 && result.Series[0].Samples[0].Value >= least)
            {
                return;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"'{query}' did not reach {least} within 30 s.");
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        await DisposeInstancesAsync();

        if (_directory is not null)
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Stops the instances.</summary>
    protected virtual async ValueTask DisposeInstancesAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }
    }

    /// <summary>The services the SLO counters are made for: each test counts its own.</summary>
    public static readonly string[] SloServices = ["checkout", "openslo-strict", "recorded"];

    /// <summary>The shop's endpoints: work of a given length, a failure, and cache lookups that count hits and misses.</summary>
    private static void MapShop(WebApplication app)
    {
        var meter = app.Services.GetRequiredService<IMeterFactory>().Create("Shop.Cache");
        var hits = meter.CreateCounter<long>("cache.hits");
        var misses = meter.CreateCounter<long>("cache.misses");
        // An SLO's counters, one series per service and outcome, each made at 0 when the app starts: Prometheus then sees
        // every series from its first scrape, so rate() over any window starts from zero rather than extrapolating.
        // (Made once the app has started: the exporter's meter provider only listens from then on.)
        var slo = app.Services.GetRequiredService<IMeterFactory>().Create("Shop.Slo").CreateCounter<long>("slo.requests");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var service in SloServices)
            {
                slo.Add(0, new("service", service), new("outcome", "ok"));
                slo.Add(0, new("service", service), new("outcome", "error"));
            }
        });

        app.MapGet("/slo/{service}/{fail:bool}", (string service, bool fail) =>
        {
            slo.Add(1, new("service", service), new("outcome", fail ? "error" : "ok"));
            return fail ? Results.StatusCode(500) : Results.Ok();
        });
        // Gauges a test sets on each instance: shop_gauge{name="..."}, absent until set.
        var gauges = new System.Collections.Concurrent.ConcurrentDictionary<string, double>(StringComparer.Ordinal);
        app.Services.GetRequiredService<IMeterFactory>().Create("Shop.Gauges").CreateObservableGauge("shop.gauge",
            () => gauges.Select(g => new Measurement<double>(g.Value, new KeyValuePair<string, object?>("name", g.Key))));
        app.MapPut("/gauge/{name}/{value:double}", (string name, double value) =>
        {
            gauges[name] = value;
            return Results.Ok();
        });
        app.MapPrometheusScrapingEndpoint();
        app.MapGet("/work/{ms:int}", async (int ms) => { await Task.Delay(ms); return Results.Ok(); });
        app.MapGet("/mixed/{ms:int}", async (int ms) => { await Task.Delay(ms); return ms >= 100 ? Results.StatusCode(503) : Results.Ok(); });
        app.MapGet("/watched/{fail:bool}", (bool fail) => fail ? Results.StatusCode(500) : Results.Ok());
        app.MapGet("/cache/{hit:bool}", (bool hit) =>
        {
            (hit ? hits : misses).Add(1);
            return Results.Ok();
        });
    }

    /// <summary>
    /// Both instances run in this process, and a meter listener hears every meter of a name: each instance's exporter
    /// keeps only the meters its own container made (their scope is its meter factory), as separate processes would.
    /// </summary>
    protected static void AddMetrics(IServiceCollection services)
        => services.AddOpenTelemetry().WithMetrics(m =>
        {
            m.AddMeter("Microsoft.AspNetCore.Hosting", "Shop.Cache", "Shop.Slo", "Shop.Gauges").AddPrometheusExporter();
            ((IDeferredMeterProviderBuilder)m).Configure((provider, builder) =>
            {
                var own = provider.GetRequiredService<IMeterFactory>();
                builder.AddView(instrument => ReferenceEquals(instrument.Meter.Scope, own) ? null : MetricStreamConfiguration.Drop);
            });
        });

    private async Task WaitReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with {_process.ExitCode} at start.");
            }

            try
            {
                if ((await http.GetAsync(new Uri(BaseAddress, "-/ready"))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("prometheus was not ready within 60 s.");
    }

    private static string? Find(string name)
        => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
