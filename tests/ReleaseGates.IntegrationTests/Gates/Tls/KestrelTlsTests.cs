using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ReleaseGates.IntegrationTests.Gates.Tls;

/// <summary>The TLS gate against Kestrel on 127.0.0.1, with certificates made here: a root of the test's own, and leaves that are valid, expiring, expired, for another host, or self-signed.</summary>
public sealed class KestrelTlsTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly X509Certificate2 _root = CreateRoot();
    private readonly List<IAsyncDisposable> _apps = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task A_valid_certificate_from_a_trusted_root_over_tls_1_2_and_1_3_passes()
    {
        var gate = await EvaluateAsync(Leaf(_root, validFor: TimeSpan.FromDays(365)), trustRoot: true);

        Assert.True(gate.Status == GateStatus.Passed, Describe(gate));
        TestContext.Current.TestOutputHelper?.WriteLine(Describe(gate));
        Assert.InRange(gate.Measurements.Single(m => m.Name == "days-until-expiry").Value, 363, 365);
        Assert.Equal(2048, gate.Measurements.Single(m => m.Name == "key-bits").Value);
        Assert.Equal(1, gate.Measurements.Single(m => m.Name == "TLS 1.2 accepted").Value);
        Assert.Contains(gate.Findings, f => f.Code == "tls.negotiated" && f.Message.Contains("RSA 2048 bits", StringComparison.Ordinal));
        Assert.DoesNotContain(gate.Measurements, m => m.Name is "TLS 1.0 accepted" or "TLS 1.1 accepted" && m.Value == 1);
    }

    [Theory]
    [InlineData(10, GateStatus.Failed)]
    [InlineData(45, GateStatus.Warning)]
    public async Task Days_until_expiry_are_held_to_30_warn_60(int days, GateStatus expected)
    {
        var gate = await EvaluateAsync(Leaf(_root, validFor: TimeSpan.FromDays(days) + TimeSpan.FromHours(1)), trustRoot: true);
        var expiry = gate.Measurements.Single(m => m.Name == "days-until-expiry");
        Assert.Equal((double)days, expiry.Value);
        Assert.Equal(expected, expiry.Status);
        Assert.Equal(expected, gate.Status);
    }

    [Fact]
    public async Task An_expired_certificate_fails_its_chain_and_its_days()
    {
        var gate = await EvaluateAsync(Leaf(_root, validFor: TimeSpan.FromDays(-2)), trustRoot: true);
        Assert.Equal(GateStatus.Failed, gate.Status);
        Assert.True(gate.Measurements.Single(m => m.Name == "days-until-expiry").Value < 0);
        Assert.Contains("NotTimeValid", Assert.Single(gate.Findings, f => f.Code == "tls.chain-invalid").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_for_another_host_is_a_name_mismatch()
    {
        var gate = await EvaluateAsync(Leaf(_root, validFor: TimeSpan.FromDays(365), dnsName: "orders.example.com"), trustRoot: true);
        Assert.Equal(GateStatus.Failed, gate.Status);
        Assert.Equal("orders.example.com", Assert.Single(gate.Findings, f => f.Code == "tls.name-mismatch").Observed);
    }

    [Fact]
    public async Task A_self_signed_certificate_no_root_vouches_for_is_an_invalid_chain()
    {
        var gate = await EvaluateAsync(SelfSigned(), trustRoot: true);
        Assert.Equal(GateStatus.Failed, gate.Status);
        Assert.Contains(gate.Findings, f => f.Code == "tls.chain-invalid");
    }

    [Fact]
    public async Task A_server_restricted_to_tls_1_2_fails_a_gate_that_allows_only_1_3()
    {
        var gate = await EvaluateAsync(Leaf(_root, validFor: TimeSpan.FromDays(365)), trustRoot: true, serverProtocols: SslProtocols.Tls12, allowed: SslProtocols.Tls13);
        Assert.Equal(GateStatus.Failed, gate.Status);
        Assert.Equal(0, gate.Measurements.Single(m => m.Name == "TLS 1.3 accepted").Value);
        Assert.Equal(GateStatus.Failed, gate.Measurements.Single(m => m.Name == "TLS 1.2 accepted").Status);
        Assert.Contains(gate.Findings, f => f.Code == "tls.protocol-not-allowed" && f.Message.Contains("accepts TLS 1.2", StringComparison.Ordinal));
        Assert.Contains(gate.Findings, f => f.Code == "tls.no-allowed-protocol");
    }

    [Fact]
    public async Task Tls_1_3_required_fails_a_server_restricted_to_1_2_and_passes_one_that_offers_it()
    {
        // Seed 001's "TLS 1.3 required": TLS 1.2 stays allowed, but a server without 1.3 no longer passes.
        var old = await EvaluateAsync(Leaf(_root, validFor: TimeSpan.FromDays(365)), trustRoot: true, serverProtocols: SslProtocols.Tls12,
            required: SslProtocols.Tls13);
        Assert.Equal(GateStatus.Failed, old.Status);
        Assert.Equal(GateStatus.Failed, old.Measurements.Single(m => m.Name == "TLS 1.3 accepted").Status);
        var refused = Assert.Single(old.Findings, f => f.Code == "tls.required-protocol-refused");
        Assert.Contains("refuses TLS 1.3, which is required", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(old.Findings, f => f.Code == "tls.protocol-not-allowed");

        var current = await EvaluateAsync(Leaf(_root, validFor: TimeSpan.FromDays(365)), trustRoot: true, required: SslProtocols.Tls13);
        Assert.Equal(GateStatus.Passed, current.Status);
        Assert.Equal(1, current.Measurements.Single(m => m.Name == "TLS 1.3 accepted").Value);
    }

    [Fact]
    public async Task A_required_version_this_machine_cannot_offer_is_an_error_never_a_pass()
    {
#pragma warning disable SYSLIB0039, CA5397 // the point of the test: TLS 1.0 required, which OpenSSL 3's policy does not offer here
        var gate = await EvaluateAsync(Leaf(_root, validFor: TimeSpan.FromDays(365)), trustRoot: true,
            allowed: SslProtocols.Tls | SslProtocols.Tls12 | SslProtocols.Tls13, required: SslProtocols.Tls);
        var offered = await TlsHandshake.SupportedLocallyAsync(SslProtocols.Tls);
#pragma warning restore SYSLIB0039, CA5397

        Assert.NotEqual(GateStatus.Passed, gate.Status);
        if (!offered)
        {
            Assert.Equal(GateStatus.Error, gate.Status);
            Assert.Contains("TLS 1.0 is required but cannot be tried from this machine", gate.Summary, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(gate.Findings, f => f.Code == "tls.required-protocol-refused");   // Kestrel's defaults refuse TLS 1.0
        }
    }

    [Fact]
    public async Task An_endpoint_without_tls_is_an_error_naming_it()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var report = await ReleaseGate.CreateBuilder().AddTls("tls", o => o.Endpoints.Add(new Uri($"https://127.0.0.1:{port}/"))).EvaluateAsync(Ct);
        Assert.Equal(GateStatus.Error, report.Gates[0].Status);
        Assert.Contains($"127.0.0.1:{port}: cannot connect", report.Gates[0].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tls_gate_in_releasegates_json_trusts_the_root_files_it_names_and_reads_its_protocol_list()
    {
        var port = await StartAsync(Leaf(_root, validFor: TimeSpan.FromDays(365)), SslProtocols.Tls12);
        var folder = Directory.CreateTempSubdirectory("rg-tls-config-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "root.pem"), _root.ExportCertificatePem());
            File.WriteAllText(Path.Combine(folder, "releasegates.json"), $$"""
                { "gates": { "tls": { "type": "tls", "endpoints": ["https://127.0.0.1:{{port}}/"], "allowedProtocols": "Tls12, Tls13", "trustedRootFiles": ["root.pem"] } } }
                """);
            var trusted = await ReleaseGate.CreateBuilder().AddFromJsonFile(Path.Combine(folder, "releasegates.json")).EvaluateAsync(Ct);
            Assert.True(trusted.Gates[0].Status == GateStatus.Passed, Describe(trusted.Gates[0]));

            // The same server without the root file: nothing vouches for its chain.
            File.WriteAllText(Path.Combine(folder, "releasegates.json"), $$"""
                { "gates": { "tls": { "type": "tls", "endpoints": ["https://127.0.0.1:{{port}}/"], "allowedProtocols": "tls12,tls13" } } }
                """);
            var untrusted = await ReleaseGate.CreateBuilder().AddFromJsonFile(Path.Combine(folder, "releasegates.json")).EvaluateAsync(Ct);
            Assert.Equal(GateStatus.Failed, untrusted.Gates[0].Status);

            File.WriteAllText(Path.Combine(folder, "not-a-cert.pem"), "hello");
            File.WriteAllText(Path.Combine(folder, "releasegates.json"), """
                { "gates": { "tls": { "type": "tls", "endpoints": ["https://127.0.0.1/"], "allowedProtocols": "Tls12, Tls4", "trustedRootFiles": ["missing.pem", "not-a-cert.pem"] } } }
                """);
            var error = Assert.Throws<ReleaseGatesConfigurationException>(() => ReleaseGate.CreateBuilder().AddFromJsonFile(Path.Combine(folder, "releasegates.json")));
            Assert.Contains(error.Problems, p => p.Contains("gates.tls.allowedProtocols: 'Tls12, Tls4' is not one or more of", StringComparison.Ordinal));
            Assert.Contains(error.Problems, p => p.Contains("the certificate file missing.pem does not exist", StringComparison.Ordinal));
            Assert.Contains(error.Problems, p => p.Contains("not-a-cert.pem is not a readable certificate file", StringComparison.Ordinal));
        }
        finally
        {
            foreach (var app in _apps)
            {
                await app.DisposeAsync();
            }

            _apps.Clear();
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<GateReport> EvaluateAsync(X509Certificate2 certificate, bool trustRoot, SslProtocols serverProtocols = SslProtocols.None,
        SslProtocols allowed = SslProtocols.Tls12 | SslProtocols.Tls13, SslProtocols required = SslProtocols.None)
    {
        var port = await StartAsync(certificate, serverProtocols);
        var report = await ReleaseGate.CreateBuilder().AddTls("tls", o =>
        {
            o.Endpoints.Add(new Uri($"https://127.0.0.1:{port}/"));
            o.AllowedProtocols = allowed;
            o.RequiredProtocols = required;
            if (trustRoot)
            {
                o.TrustedRoots.Add(_root);
            }
        }).EvaluateAsync(Ct);
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        _apps.Clear();

        return report.Gates[0];
    }

    private async Task<int> StartAsync(X509Certificate2 certificate, SslProtocols protocols)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate, h => h.SslProtocols = protocols)));
        var app = builder.Build();
        app.MapGet("/", () => "ok");
        await app.StartAsync(Ct);
        _apps.Add(app);
        return new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;
    }

    private static string Describe(GateReport gate)
        => string.Join("\n", gate.Measurements.Select(m => $"{m.Name} {m.Value} {m.Status} {m.Target}").Concat(gate.Findings.Select(f => $"{f.Code}: {f.Message}")));

    private static X509Certificate2 CreateRoot()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=ReleaseGates Test Root", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        using var root = request.CreateSelfSigned(Now.AddDays(-30), Now.AddYears(10));
        return X509CertificateLoader.LoadPkcs12(root.Export(X509ContentType.Pfx), password: null);
    }

    /// <summary>A leaf for 127.0.0.1 (or <paramref name="dnsName"/>) signed by <paramref name="root"/>, valid from 30 days ago for <paramref name="validFor"/> from now.</summary>
    private static X509Certificate2 Leaf(X509Certificate2 root, TimeSpan validFor, string? dnsName = null)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(dnsName is null ? "CN=127.0.0.1" : $"CN={dnsName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        if (dnsName is null)
        {
            san.AddIpAddress(IPAddress.Loopback);
        }
        else
        {
            san.AddDnsName(dnsName);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var notAfter = Now + validFor;
        using var signed = request.Create(root, Now.AddDays(-30), notAfter < Now.AddDays(-29) ? Now.AddDays(-29) : notAfter, RandomNumberGenerator.GetBytes(8));
        using var withKey = signed.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), password: null);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(Now.AddDays(-1), Now.AddDays(365));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), password: null);
    }
}
