using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ReleaseGates.Samples.ConsoleHost;

/// <summary>The app under release: a small ASP.NET Core service on 127.0.0.1, on a free port.</summary>
internal sealed class SampleApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SampleApp(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <param name="breaks">What to break on purpose: "errors" fails a fifth of the orders, "latency" slows them, "health" removes the health endpoint.</param>
    public static async Task<SampleApp> StartAsync(IReadOnlySet<string> breaks, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();

        var orders = 0;
        app.MapGet("/api/orders/{id:int}", async (int id, CancellationToken token) =>
        {
            var n = Interlocked.Increment(ref orders);
            await Task.Delay(breaks.Contains("latency") ? 60 + (n % 5 * 20) : 2 + (n % 7), token);
            return breaks.Contains("errors") && n % 5 == 0
                ? Results.Problem("the payment provider timed out", statusCode: 503)
                : Results.Ok(new { id, status = "shipped" });
        });
        if (!breaks.Contains("health"))
        {
            app.MapGet("/api/health", () => Results.Json(new { status = "Healthy" }));
        }

        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new SampleApp(app, new Uri(address + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
