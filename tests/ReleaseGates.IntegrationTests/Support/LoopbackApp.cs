using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ReleaseGates.IntegrationTests.Support;

/// <summary>
/// A real Kestrel app on 127.0.0.1 with a free port, for tests that need a real HTTP server; with <c>https: true</c> also an
/// https listener on another free port, with a self-signed certificate made here.
/// </summary>
public sealed class LoopbackApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackApp(WebApplication app, Uri baseAddress, Uri? httpsAddress, string? thumbprint)
    {
        _app = app;
        BaseAddress = baseAddress;
        HttpsAddress = httpsAddress;
        CertificateThumbprint = thumbprint;
    }

    /// <summary>The plain-http address.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The https address, when started with https.</summary>
    public Uri? HttpsAddress { get; }

    /// <summary>The self-signed certificate's thumbprint, when started with https.</summary>
    public string? CertificateThumbprint { get; }

    public static async Task<LoopbackApp> StartAsync(Action<WebApplication> map, CancellationToken cancellationToken, bool https = false, Action<IServiceCollection>? services = null, Action<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>? configureKestrel = null)
    {
        var certificate = https ? CreateCertificate() : null;
        var builder = WebApplication.CreateSlimBuilder();
        services?.Invoke(builder.Services);
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            configureKestrel?.Invoke(o); // before Listen, so that endpoint defaults reach the listeners
            o.Listen(IPAddress.Loopback, 0);
            if (certificate is not null)
            {
                o.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate));
            }
        });
        var app = builder.Build();
        map(app);
        await app.StartAsync(cancellationToken);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a + "/")).ToList();
        return new LoopbackApp(app, addresses.Single(a => a.Scheme == "http"), addresses.SingleOrDefault(a => a.Scheme == "https"), certificate?.Thumbprint);
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A client that trusts this app's self-signed certificate (and no other) and follows no redirects (so the gates record each hop).</summary>
    public HttpClient CreateTrustingClient() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, errors) => errors == System.Net.Security.SslPolicyErrors.None || certificate?.GetCertHashString() == CertificateThumbprint },
    });

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
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), password: null);
    }
}
