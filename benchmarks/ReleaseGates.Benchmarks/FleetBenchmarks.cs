using System.Diagnostics;
using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ReleaseGates.Metrics;

namespace ReleaseGates.Benchmarks;

/// <summary>
/// A fleet of 1,000 instances read by <see cref="RequestMetricsSource.FromFleet"/>: each instance's document (1,000
/// log-normal requests over four routes, every request's series as <see cref="HttpMetricsCollector.ExportHistograms"/> writes it for a fleet) served by a
/// real Kestrel on its own 127.0.0.1 port in another process, fetched in parallel over HTTP and merged (end to end); and the merge alone
/// (reading the 1,000 documents and merging their histograms and counts), without the network.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 3, warmupCount: 3, iterationCount: 10)]
public class FleetBenchmarks
{
    private const int Instances = 1000;
    private Process? _servers;
    private string _directory = "";
    private RequestMetricsSource _source = null!;
    private FleetRequestMetrics _merger = null!;
    private List<Uri> _urls = [];
    private List<byte[]> _documents = [];
    private List<byte[]> _totals = [];
    private GateContext _context = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        var latencies = BenchmarkData.Nanoseconds(BenchmarkData.DataSet.LogNormal);
        string[] routes = ["/orders/{id}", "/orders", "/health", "/products/{sku}"];
        for (var i = 0; i < Instances; i++)
        {
            // A clock of its own, so no collector starts a window thread; only the document is kept.
            using var collector = new HttpMetricsCollector(new HttpMetricsCollectorOptions { CaptureServer = false, InstanceName = $"web-{i}" }, new Clock());
            for (var k = 0; k < 1000; k++)
            {
                var ns = latencies[(i * 1000 + k) % latencies.Length];
                collector.Record(new HttpRequestObservation(HttpMetricSource.Server, "GET", routes[k & 3], k % 97 == 0 ? 503 : 200, null,
                    TimeSpan.FromTicks(ns / 100)));
            }

            _documents.Add(collector.ExportHistograms(includeEndpoints: false));   // what the source asks for: every request
        }

        _totals = [.. _documents.Select(d => InstanceHistograms.Read(d, "web").Series.Single(x => x.IsTotal).Histogram)];
        Console.WriteLine($"// fleet: documents of {_documents.Average(d => d.Length):0} bytes on average, the every-request histogram {_totals.Average(t => t.Length):0} bytes");

        // The instances are another process, as they are in production: their Kestrel heap (a thousand listeners and
        // connections) must not be collected with the reading process's garbage.
        _directory = Directory.CreateTempSubdirectory("fleet-documents-").FullName;
        for (var i = 0; i < Instances; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(_directory, $"{i:0000}.json"), _documents[i]);
        }

        _servers = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { typeof(FleetBenchmarks).Assembly.Location, "--serve-fleet", _directory },
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        })!;
        for (var i = 0; i < Instances; i++)
        {
            var line = await _servers.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("The fleet's servers did not start.");
            _urls.Add(new Uri(line));
        }

        var options = new FleetRequestMetricsOptions();
        _urls.ForEach(options.Instances.Add);
        _source = RequestMetricsSource.FromFleet(options);
        _merger = new FleetRequestMetrics(options, TimeProvider.System);
        _context = new GateContext("fleet", new ServiceCollection().BuildServiceProvider(), TimeProvider.System, NullLogger.Instance);
        var warm = await _source.ReadAsync(_context, CancellationToken.None);
        if (warm.Total != Instances * 1000L)
        {
            throw new InvalidOperationException($"The fleet read {warm.Total} requests, not {Instances * 1000}.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_servers is { HasExited: false })
        {
            _servers.StandardInput.Close();   // the servers stop when their input ends
            _servers.WaitForExit(10_000);
        }

        _servers?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>
    /// The fleet's servers (<c>--serve-fleet DIR</c>): one Kestrel listening on a loopback port per document in
    /// <paramref name="directory"/>, each answering its document as <c>MapReleaseGatesHistograms</c> answers; prints the
    /// URLs in the documents' order, and stops when its standard input ends.
    /// </summary>
    public static async Task ServeAsync(string directory)
    {
        var documents = Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            foreach (var _ in documents)
            {
                o.Listen(IPAddress.Loopback, 0);
            }
        });
        var app = builder.Build();
        var byPort = new Dictionary<int, byte[]>();
        app.MapGet("/releasegates/histograms", async context =>
        {
            // As MapReleaseGatesHistograms answers: with its length, not chunked.
            var body = byPort[context.Connection.LocalPort];
            context.Response.ContentType = HttpMetricsCollector.HistogramsMediaType;
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body);
        });
        await app.StartAsync();
        var ports = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a).Port).ToList();
        for (var i = 0; i < documents.Count; i++)
        {
            byPort[ports[i]] = documents[i];
            Console.WriteLine($"http://127.0.0.1:{ports[i]}/releasegates/histograms");
        }

        await Console.In.ReadToEndAsync();
        await app.StopAsync();
    }

    [Benchmark(Description = "fleet: fetch 1,000 instances over HTTP and merge")]
    public async Task<long> FetchAndMerge() => (await _source.ReadAsync(_context, CancellationToken.None)).Total;

    /// <summary>The floor of the end-to-end figure on this machine: the same 1,000 GETs with a bare HttpClient, 64 at a time, bodies read and dropped.</summary>
    [Benchmark(Description = "floor: 1,000 bare HttpClient GETs, 64 at a time (no retries, no parsing)")]
    public async Task<long> BareGets()
    {
        long bytes = 0;
        using var gate = new SemaphoreSlim(64);
        await Task.WhenAll(_urls.Select(async url =>
        {
            await gate.WaitAsync();
            try
            {
                var body = await Bare.GetByteArrayAsync(url);
                Interlocked.Add(ref bytes, body.Length);
            }
            finally
            {
                gate.Release();
            }
        }));
        return bytes;
    }

    private static readonly HttpClient Bare = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) });

    [Benchmark(Description = "fleet: merge 1,000 instance documents (no network)")]
    public long MergeOnly() => _merger.Merge(_urls, _documents).Total;

    [Benchmark(Description = "fleet: AddSerialized of the 1,000 every-request histograms only")]
    public long AddSerializedOnly()
    {
        var merged = LatencyHistogram.FromByteArray(_totals[0]);
        for (var i = 1; i < _totals.Count; i++)
        {
            merged.AddSerialized(_totals[i]);
        }

        return merged.Count;
    }

    [Benchmark(Description = "fleet: read 1,000 instance documents (JSON and base64 only)")]
    public int ReadOnly()
    {
        var series = 0;
        for (var i = 0; i < _documents.Count; i++)
        {
            series += InstanceHistograms.Read(_documents[i], "web").Series.Count;
        }

        return series;
    }

    private sealed class Clock : TimeProvider;
}
