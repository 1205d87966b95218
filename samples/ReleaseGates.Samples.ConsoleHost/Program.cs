// The ReleaseGates sample host: starts a small ASP.NET Core app on 127.0.0.1, sends it a bounded burst of traffic,
// captures latency and errors from the runtime's own HTTP metrics, evaluates release gates, prints the report,
// writes JSON, Markdown and JUnit files and exits with the decision's exit code.
//
//   dotnet run --project samples/ReleaseGates.Samples.ConsoleHost                 GO
//   dotnet run --project samples/ReleaseGates.Samples.ConsoleHost -- --break errors,latency,health
//   options: --output <dir> (default release-report), --requests <n> (default 600), --fail-on-warnings
using System.Diagnostics;
using ReleaseGates;
using ReleaseGates.Metrics;
using ReleaseGates.Samples.ConsoleHost;

var options = SampleOptions.Parse(args);
if (options is null)
{
    return ReleaseExitCodes.InvalidConfiguration;
}

using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
var console = new ConsoleWriter();
try
{
    using var collector = new HttpMetricsCollector();
    await using var app = await SampleApp.StartAsync(options.Breaks, cancel.Token);
    console.Line($"Sample app listening on {app.BaseAddress}" + (options.Breaks.Count > 0 ? $" (broken on purpose: {string.Join(", ", options.Breaks)})" : ""));

    using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 8 }) { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
    await LoadAsync(client, options.Requests, concurrency: 8, TimeSpan.FromSeconds(20), console, cancel.Token);

    var orders = new HttpEndpoint(HttpMetricSource.Server, "GET", "/api/orders/{id:int}");
    await WaitForMetricsAsync(collector, orders, options.Requests, cancel.Token);

    var evaluator = ReleaseGate.CreateBuilder()
        .Configure(o => o.Subject = new ReleaseSubject { Service = "orders-api", Version = "1.4.0", Environment = "staging" })
        .AddLatency("orders-latency", o =>
        {
            o.Source = RequestMetricsSources.FromHttpMetrics(collector, orders);
            o.Conditions.Add("p(50) < 50ms");
            o.Percentile(95).Below(TimeSpan.FromMilliseconds(100), warning: TimeSpan.FromMilliseconds(50));
            o.Conditions.Add("p(99) < 250ms");
            o.MinimumSamples = 100;
        })
        .AddErrorRate("orders-errors", o =>
        {
            o.Source = RequestMetricsSources.FromHttpMetrics(collector, orders);
            o.Maximum = 0.01;
            o.Warning = 0.001;
        })
        // Two custom gates: what a team writes for checks the library does not ship (yet).
        .AddGate("health-endpoint", SampleGates.JsonEndpoint(client, new Uri(app.BaseAddress, "api/health")),
            o => { o.Category = GateCategories.Operations; o.Timeout = TimeSpan.FromSeconds(10); })
        .AddGate("release-notes", (_, _) => ValueTask.FromResult(GateResult.Passed("changelog entry present for 1.4.0")),
            o => { o.Category = GateCategories.Quality; o.Importance = GateImportance.Optional; })
        .Build();

    var report = await evaluator.EvaluateAsync(cancellationToken: cancel.Token);
    console.Report(report);
    await WriteOutputsAsync(report, options.Output, cancel.Token);
    console.Line($"Wrote {Path.Combine(options.Output, "report.json")}, report.md and junit.xml");
    return report.GetExitCode(options.FailOnWarnings);
}
catch (ReleaseGatesConfigurationException ex)
{
    Console.Error.WriteLine(ex.Message);
    return ReleaseExitCodes.InvalidConfiguration;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("Cancelled.");
    return ReleaseExitCodes.EvaluationError;
}

static async Task LoadAsync(HttpClient client, int requests, int concurrency, TimeSpan maximum, ConsoleWriter console, CancellationToken ct)
{
    using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
    deadline.CancelAfter(maximum);
    var next = 0;
    var done = 0;
    var started = Stopwatch.GetTimestamp();
    async Task Worker()
    {
        while (Interlocked.Increment(ref next) is var n && n <= requests && !deadline.IsCancellationRequested)
        {
            try
            {
                using var response = await client.GetAsync($"api/orders/{n}", deadline.Token);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Counted by the runtime's client metrics; the server side is what the gates read.
            }

            var d = Interlocked.Increment(ref done);
            if (d % 100 == 0 || d == requests)
            {
                console.Progress(d, requests, Stopwatch.GetElapsedTime(started));
            }
        }
    }

    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Worker()));
    console.EndProgress();
}

static async Task WaitForMetricsAsync(HttpMetricsCollector collector, HttpEndpoint endpoint, int expected, CancellationToken ct)
{
    // The hosting layer records a request's duration as it ends, a moment after the client has the response.
    var until = DateTime.UtcNow.AddSeconds(2);
    while ((collector.GetEndpoint(endpoint)?.Total ?? 0) < expected && DateTime.UtcNow < until)
    {
        await Task.Delay(10, ct);
    }
}

static async Task WriteOutputsAsync(ReleaseReport report, string directory, CancellationToken ct)
{
    Directory.CreateDirectory(directory);
    await using (var json = File.Create(Path.Combine(directory, "report.json")))
    {
        await report.WriteJsonAsync(json, ct);
    }

    await File.WriteAllTextAsync(Path.Combine(directory, "report.md"), report.ToMarkdown(), ct);
    await File.WriteAllTextAsync(Path.Combine(directory, "junit.xml"), report.ToJUnitXml(), ct);
}
