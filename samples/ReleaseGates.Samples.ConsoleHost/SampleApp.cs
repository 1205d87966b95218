using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace ReleaseGates.Samples.ConsoleHost;

/// <summary>
/// The app under release: a small ASP.NET Core service on 127.0.0.1 with an https listener (a self-signed certificate made
/// at start-up) and a plain-http one that redirects to it, security headers, health checks and a SQLite database.
/// </summary>
internal sealed class SampleApp : IAsyncDisposable
{
    /// <summary>The meter of the orders cache (<c>cache.hits</c>, <c>cache.misses</c>), read by the sample's metric gate.</summary>
    public static readonly Meter CacheMeter = new("OrdersApi.Cache");

    public const string Version = "1.4.0";
    private readonly WebApplication _app;

    private SampleApp(WebApplication app, Uri https, Uri http, string thumbprint)
    {
        _app = app;
        BaseAddress = https;
        HttpAddress = http;
        CertificateThumbprint = thumbprint;
    }

    /// <summary>The https address.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The plain-http address (it redirects to https).</summary>
    public Uri HttpAddress { get; }

    /// <summary>The self-signed certificate's thumbprint, which the sample's clients trust (and no other).</summary>
    public string CertificateThumbprint { get; }

    /// <summary>The app's services: its health checks are what the health-checks gate runs.</summary>
    public IServiceProvider Services => _app.Services;

    /// <param name="breaks">What to break on purpose (see <see cref="SampleOptions"/>).</param>
    /// <param name="database">The SQLite connection string.</param>
    public static async Task<SampleApp> StartAsync(IReadOnlySet<string> breaks, string database, CancellationToken ct)
    {
        var certificate = CreateCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.AddServerHeader = false;
            o.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate));
            o.Listen(IPAddress.Loopback, 0);
        });
        builder.Services.AddHealthChecks()
            .AddCheck("database", () =>
            {
                using var connection = new SqliteConnection(database);
                connection.Open();
                return HealthCheckResult.Healthy("SQLite answers");
            })
            .AddCheck("payment-provider", () => breaks.Contains("health")
                ? HealthCheckResult.Unhealthy("payment provider: connection refused")
                : HealthCheckResult.Healthy("payment provider reachable"));

        var app = builder.Build();
        Uri? httpsAddress = null;
        app.Use(async (ctx, next) =>
        {
            if (!ctx.Request.IsHttps && !breaks.Contains("hsts"))
            {
                ctx.Response.Redirect(new Uri(httpsAddress!, ctx.Request.Path + ctx.Request.QueryString).ToString(), permanent: true, preserveMethod: true);
                return;
            }

            var headers = ctx.Response.Headers;
            headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; form-action 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Resource-Policy"] = "same-origin";
            if (!breaks.Contains("hsts"))
            {
                headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            }

            await next(ctx);
        });

        var orders = 0;
        var cache = new ConcurrentDictionary<int, bool>();
        var hits = CacheMeter.CreateCounter<long>("cache.hits");
        var misses = CacheMeter.CreateCounter<long>("cache.misses");
        app.MapGet("/api/orders/{id:int}", async (int id, CancellationToken token) =>
        {
            var n = Interlocked.Increment(ref orders);
            // An order cache: the first lookup of an id misses, the rest hit (--break cache: every lookup misses).
            (!breaks.Contains("cache") && !cache.TryAdd(id, true) ? hits : misses).Add(1);
            await Task.Delay(breaks.Contains("latency") ? 400 + (n % 5 * 50) : 2 + (n % 7), token);
            return breaks.Contains("errors") && n % 5 == 0
                ? Results.Problem("the payment provider timed out", statusCode: 503)
                : Results.Ok(new { id, status = "shipped" });
        });
        app.MapGet("/api/health", async (HealthCheckService health, CancellationToken token) =>
        {
            var report = await health.CheckHealthAsync(token);
            return Results.Json(new { status = report.Status.ToString() }, statusCode: report.Status == HealthStatus.Unhealthy ? 503 : 200);
        });
        app.MapGet("/api/version", () => Results.Json(new { version = Version }));
        app.MapGet("/api/download/{id:int}", (int id) => breaks.Contains("download")
            ? Results.NotFound()
            : Results.Json(new { id, url = $"/files/{id}.zip", size = 1024 }));

        await app.StartAsync(ct);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a + "/")).ToList();
        httpsAddress = addresses.Single(a => a.Scheme == Uri.UriSchemeHttps);
        return new SampleApp(app, httpsAddress, addresses.Single(a => a.Scheme == Uri.UriSchemeHttp), certificate.Thumbprint);
    }

    /// <summary>A client that trusts this app's certificate (and certificates the system trusts) and follows no redirects.</summary>
    public HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        MaxConnectionsPerServer = 8,
        SslOptions = { RemoteCertificateValidationCallback = (_, cert, _, errors) => errors == System.Net.Security.SslPolicyErrors.None || cert?.GetCertHashString() == CertificateThumbprint },
    })
    { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), password: null);
    }
}
