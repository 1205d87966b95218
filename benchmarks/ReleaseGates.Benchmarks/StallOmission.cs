using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ReleaseGates.Benchmarks;

/// <summary>
/// The size of coordinated omission, measured: a loopback Kestrel app that holds every response for 500 ms one second
/// after its first measured request, driven for 3 s by the open model (200 a second, 128 connections) and by the closed
/// loop (1 and 8 workers), each against a fresh app; their p50, p90, p99 and maximum beside the values computed from the
/// open model's schedule. Not a BenchmarkDotNet benchmark: the quantity is a latency distribution, not a cost.
/// </summary>
public static class StallOmission
{
    private static readonly TimeSpan StallAt = TimeSpan.FromSeconds(1), StallFor = TimeSpan.FromMilliseconds(500), Run = TimeSpan.FromSeconds(3);
    private const double Rate = 200;
    private const int WarmUp = 3;

    public static async Task RunAsync()
    {
        var expected = Enumerable.Range(0, (int)(Rate * Run.TotalSeconds)).Select(n => n / Rate)
            .Select(due => due >= StallAt.TotalSeconds && due < (StallAt + StallFor).TotalSeconds ? ((StallAt + StallFor).TotalSeconds - due) * 1000 : 0)
            .Order().ToArray();
        double Rank(double p) => expected[Math.Clamp((int)Math.Ceiling(p / 100 * expected.Length) - 1, 0, expected.Length - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"schedule      {expected.Length,7} requests  p50 {Rank(50),7:0.###} ms  p90 {Rank(90),7:0.###} ms  p99 {Rank(99),7:0.###} ms  max {Rank(100),7:0.###} ms"));
        foreach (var (name, configure) in new (string, Action<HttpLoadProbeOptions>)[]
        {
            ("open model", o => { o.RequestsPerSecond = Rate; o.Concurrency = 128; }),
            ("closed, 1", o => o.Concurrency = 1),
            ("closed, 8", o => o.Concurrency = 8),
        })
        {
            var (url, stalled, app) = await StartAsync();
            await using (app)
            {
                var options = new HttpLoadProbeOptions { Requests = 1_000_000, Duration = Run, WarmupRequests = WarmUp };
                options.Targets.Add(url);
                configure(options);
                var result = await HttpLoadProbe.RunAsync(options);
                double P(double p) => result.Latency.ValueAtPercentile(p) / 1e6;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name,-12}  {result.Total,7} requests  p50 {P(50),7:0.###} ms  p90 {P(90),7:0.###} ms  p99 {P(99),7:0.###} ms  max {P(100),7:0.###} ms  ({stalled()} held by the stall, {result.Dropped} dropped)"));
            }
        }
    }

    private static async Task<(Uri Url, Func<int> Stalled, WebApplication App)> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        long zero = 0;
        int seen = 0, stalled = 0;
        app.MapGet("/work", async () =>
        {
            var now = Stopwatch.GetTimestamp();
            if (Interlocked.Increment(ref seen) <= WarmUp)
            {
                return Results.Ok();
            }

            Interlocked.CompareExchange(ref zero, now, 0);
            var since = Stopwatch.GetElapsedTime(Interlocked.Read(ref zero), now);
            if (since >= StallAt && since < StallAt + StallFor)
            {
                Interlocked.Increment(ref stalled);
                await Task.Delay(StallAt + StallFor - since);
            }

            return Results.Ok();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return (new Uri(address + "/work"), () => Volatile.Read(ref stalled), app);
    }
}
