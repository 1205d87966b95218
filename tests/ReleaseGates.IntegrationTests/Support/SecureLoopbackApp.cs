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

/// <summary>A real Kestrel app on 127.0.0.1 with an https listener (a self-signed certificate made here) and a plain-http one, each on a free port.</summary>
public sealed class SecureLoopbackApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private readonly string _thumbprint;

    private SecureLoopbackApp(WebApplication app, Uri https, Uri http, string thumbprint)
    {
        _app = app;
        _thumbprint = thumbprint;
        HttpsAddress = https;
        HttpAddress = http;
    }

    public Uri HttpsAddress { get; }

    public Uri HttpAddress { get; }

    /// <summary>The self-signed certificate's thumbprint.</summary>
    public string CertificateThumbprint => _thumbprint;

    public static async Task<SecureLoopbackApp> StartAsync(Action<WebApplication> map, CancellationToken cancellationToken)
    {
        var certificate = CreateCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate));
            o.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        map(app);
        await app.StartAsync(cancellationToken);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a + "/")).ToList();
        return new SecureLoopbackApp(app, addresses.Single(a => a.Scheme == "https"), addresses.Single(a => a.Scheme == "http"), certificate.Thumbprint);
    }

    /// <summary>A client that trusts this app's self-signed certificate (and no other) and follows no redirects (so the gates record each hop).</summary>
    public HttpClient CreateTrustingClient() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, errors) => errors == System.Net.Security.SslPolicyErrors.None || certificate?.GetCertHashString() == _thumbprint },
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
