using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ReleaseGates.Benchmarks;

/// <summary>
/// The load probe against wrk on the same loopback server (a separate process, so the probe's process measures only
/// the probe): achieved requests per second as a ratio of wrk's, p50/p99 agreement, and the probe's own CPU and
/// allocations per request. wrk and the probe take turns; both use the same number of connections.
/// Not a BenchmarkDotNet benchmark: wrk is an external program, and the quantity is throughput under a fixed duration.
/// Knobs for investigating (environment): OPEN_CONNECTIONS (the open model's connections, default 8), SHOW_WINDOWS=1
/// (requests completed per 100 ms of each open-model run), SERVER_TIERED_COMPILATION (DOTNET_TieredCompilation of the
/// server process only).
/// </summary>
public static partial class ProbeVersusWrk
{
    private const int Connections = 8;

    public static async Task ServeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/hello", () => "hello");
        await app.StartAsync();
        Console.WriteLine("listening " + app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        await Task.Delay(Timeout.Infinite, app.Lifetime.ApplicationStopping).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>Starts the loopback app in a process of its own, runs <paramref name="measure"/> against its URL, then stops it.</summary>
    private static async Task WithServerAsync(Func<Uri, int, Task> measure)
    {
        var self = typeof(ProbeVersusWrk).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { ArgumentList = { self, "--serve" }, RedirectStandardOutput = true };
        if (Environment.GetEnvironmentVariable("SERVER_TIERED_COMPILATION") is { } tiered)
        {
            start.Environment["DOTNET_TieredCompilation"] = tiered;
        }

        using var server = Process.Start(start)!;
        try
        {
            var line = await server.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the server did not start");
            await measure(new Uri(line["listening ".Length..] + "/hello"), server.Id);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
        }
    }

    public static async Task RunAsync(int seconds)
    {
        await WithServerAsync(async (url, serverId) =>
        {
            Console.WriteLine($"server {url} (pid {serverId}); {Connections} connections, {seconds} s each, alternating wrk / probe, 3 rounds");
            for (var round = 1; round <= 3; round++)
            {
                var wrk = RunWrk(url, seconds);
                var probe = await RunProbeAsync(url, seconds);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round}: wrk {wrk.Rps:0} req/s p50 {wrk.P50Ms:0.###} ms p99 {wrk.P99Ms:0.###} ms | probe {probe.Rps:0} req/s p50 {probe.P50Ms:0.###} ms p99 {probe.P99Ms:0.###} ms | ratio {probe.Rps / wrk.Rps:0.00} | probe CPU {probe.CpuUsPerRequest:0.#} µs/req, {probe.BytesPerRequest:0} B/req"));
            }
        });
    }

    /// <summary>
    /// The open model against wrk: each round measures wrk's requests per second, then runs the open model at that rate
    /// and, while it cannot sustain it (drops, or an achieved rate under 99 % of the intended), 5 % lower, down to half;
    /// the closed-loop probe runs in the same round for its CPU and allocations per request beside the open model's.
    /// </summary>
    public static async Task RunOpenModelAsync(int seconds, int rounds = 3)
    {
        await WithServerAsync(async (url, serverId) =>
        {
            Console.WriteLine($"server {url} (pid {serverId}); wrk and the closed loop on {Connections} connections, the open model on up to {OpenConnections}; {seconds} s each, {rounds} rounds");
            for (var round = 1; round <= rounds; round++)
            {
                var wrk = RunWrk(url, seconds);
                var closed = await RunProbeAsync(url, seconds);
                var rate = Math.Round(wrk.Rps);
                (double Rps, double P50Ms, double P99Ms, double CpuUsPerRequest, double BytesPerRequest, long Dropped, long Late) open;
                while (true)
                {
                    open = await RunOpenAsync(url, seconds, rate);
                    if ((open.Dropped == 0 && open.Rps >= 0.99 * rate) || rate < wrk.Rps / 2)
                    {
                        break;
                    }

                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {rate:0}/s not sustained: {open.Rps:0} achieved, {open.Dropped} dropped; 5 % lower"));
                    rate = Math.Round(rate * 0.95);
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round}: wrk {wrk.Rps:0} req/s | open model at {rate:0}/s: {open.Rps:0} req/s p50 {open.P50Ms:0.###} ms p99 {open.P99Ms:0.###} ms, {open.Late} late, {open.Dropped} dropped, {open.CpuUsPerRequest:0.#} µs CPU/req, {open.BytesPerRequest:0} B/req | ratio {open.Rps / wrk.Rps:0.00} | closed loop {closed.Rps:0} req/s, {closed.CpuUsPerRequest:0.#} µs CPU/req, {closed.BytesPerRequest:0} B/req"));
            }
        });
    }

    /// <summary>The open model alone at a fixed rate, for profiling the probe's process.</summary>
    public static async Task RunOpenAtAsync(double rate, int seconds)
    {
        await WithServerAsync(async (url, serverId) =>
        {
            Console.WriteLine($"server {url} (pid {serverId}), probe pid {Environment.ProcessId}");
            for (var run = 1; run <= 2; run++)
            {
                var open = await RunOpenAsync(url, seconds, rate);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"run {run}: open model at {rate:0}/s: {open.Rps:0} req/s p50 {open.P50Ms:0.###} ms p99 {open.P99Ms:0.###} ms, {open.Late} late, {open.Dropped} dropped, {open.CpuUsPerRequest:0.#} µs CPU/req, {open.BytesPerRequest:0} B/req"));
            }
        });
    }

    private static readonly int OpenConnections = int.TryParse(Environment.GetEnvironmentVariable("OPEN_CONNECTIONS"), out var c) ? c : 8;

    private static async Task<(double Rps, double P50Ms, double P99Ms, double CpuUsPerRequest, double BytesPerRequest, long Dropped, long Late)> RunOpenAsync(
        Uri url, int seconds, double rate)
    {
        var options = new HttpLoadProbeOptions
        {
            RequestsPerSecond = rate, Concurrency = OpenConnections, Requests = HttpLoadProbeOptions.MaximumRequests,
            Duration = TimeSpan.FromSeconds(seconds), WarmupRequests = 200,
            WindowInterval = Environment.GetEnvironmentVariable("SHOW_WINDOWS") == "1" ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(1),
        };
        options.Targets.Add(url);
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var result = await HttpLoadProbe.RunAsync(options);
        process.Refresh();
        var cpuUs = (process.TotalProcessorTime - cpu).TotalMicroseconds;
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        var requests = result.Total + options.WarmupRequests;
        if (Environment.GetEnvironmentVariable("SHOW_WINDOWS") == "1")
        {
            Console.WriteLine("  per 100 ms: " + string.Join(" ", result.Windows!.GetIntervals(TimeSpan.FromSeconds(seconds + 10)).Select(w => w.Total.ToString(CultureInfo.InvariantCulture))));
        }

        if (result.StartDelays is { Count: > 0 } delays)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  start delays at {rate:0}/s: p50 {delays.ValueAtPercentile(50) / 1e3:0.#} µs, p90 {delays.ValueAtPercentile(90) / 1e3:0.#} µs, p99 {delays.ValueAtPercentile(99) / 1e3:0.#} µs"));
        }

        return (result.RequestsPerSecond, result.Latency.ValueAtPercentile(50) / 1e6, result.Latency.ValueAtPercentile(99) / 1e6, cpuUs / requests,
            (double)bytes / requests, result.Dropped, result.LateStarts);
    }

    private static (double Rps, double P50Ms, double P99Ms) RunWrk(Uri url, int seconds)
    {
        using var wrk = Process.Start(new ProcessStartInfo("wrk") { ArgumentList = { "-t1", $"-c{Connections}", $"-d{seconds}s", "--latency", url.ToString() }, RedirectStandardOutput = true })!;
        var output = wrk.StandardOutput.ReadToEnd();
        wrk.WaitForExit();
        double Latency(string percentile)
        {
            var m = Regex.Match(output, @"^\s*" + Regex.Escape(percentile) + @"\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
            var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return m.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
        }

        var rps = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        return (rps, Latency("50%"), Latency("99%"));
    }

    private static async Task<(double Rps, double P50Ms, double P99Ms, double CpuUsPerRequest, double BytesPerRequest)> RunProbeAsync(Uri url, int seconds)
    {
        var options = new HttpLoadProbeOptions { Concurrency = Connections, Requests = HttpLoadProbeOptions.MaximumRequests, Duration = TimeSpan.FromSeconds(seconds), WarmupRequests = 200 };
        options.Targets.Add(url);
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var result = await HttpLoadProbe.RunAsync(options);
        process.Refresh();
        var cpuUs = (process.TotalProcessorTime - cpu).TotalMicroseconds;
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        var requests = result.Total + options.WarmupRequests;
        return (result.RequestsPerSecond, result.Latency.ValueAtPercentile(50) / 1e6, result.Latency.ValueAtPercentile(99) / 1e6, cpuUs / requests, (double)bytes / requests);
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();
}
