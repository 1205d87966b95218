using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ReleaseGates;

/// <summary>What one handshake showed: the protocol and cipher suite, the server's certificate and what was wrong with it, or why it failed.</summary>
internal sealed record TlsHandshakeResult(string? Failure, SslProtocols Protocol, TlsCipherSuite? Cipher, X509Certificate2? Certificate,
    SslPolicyErrors Errors, IReadOnlyList<string> ChainProblems)
{
    public bool Succeeded => Failure is null;

    /// <summary>False when there was no answer at all (no connection, or a handshake that stalled), so a failure proves nothing.</summary>
    public bool Connected { get; init; } = true;

    public static TlsHandshakeResult Failed(string failure, bool connected) => new(failure, SslProtocols.None, null, null,
        SslPolicyErrors.None, []) { Connected = connected };
}

/// <summary>
/// One TLS handshake with a server, restricted to given protocol versions, accepting any certificate so that everything
/// about it can be inspected (the gate judges). With trusted roots, the chain is built against them only.
/// </summary>
internal static class TlsHandshake
{
    private static readonly ConcurrentDictionary<SslProtocols, Lazy<Task<bool>>> LocalSupport = new();

    public static async Task<TlsHandshakeResult> RunAsync(string host, int port, SslProtocols protocols,
        X509Certificate2Collection trustedRoots, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(host, port, deadline.Token).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            return TlsHandshakeResult.Failed($"cannot connect to {host}:{port}: {ex.Message}", connected: false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return TlsHandshakeResult.Failed($"connecting to {host}:{port} took longer than {timeout.TotalSeconds:0.#} s", connected: false);
        }

        X509Certificate2? leaf = null;
        var errors = SslPolicyErrors.None;
        IReadOnlyList<string> problems = [];
        bool Inspect(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors policyErrors)
        {
            leaf = certificate is null ? null : LoadCertificate(certificate.GetRawCertData());
            (errors, problems) = trustedRoots.Count > 0 && leaf is not null ? AgainstRoots(leaf, policyErrors, trustedRoots) : (policyErrors, Problems(chain));
            return true;
        }

        // Every certificate is accepted on purpose: nothing is sent over this connection, and the gate judges what Inspect saw.
#pragma warning disable CA5359
        await using var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, Inspect);
#pragma warning restore CA5359
        try
        {
            await ssl.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions { TargetHost = host, EnabledSslProtocols = protocols,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck },
                deadline.Token).ConfigureAwait(false);
            return new TlsHandshakeResult(null, ssl.SslProtocol, ssl.NegotiatedCipherSuite, leaf, errors, problems);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            return TlsHandshakeResult.Failed($"the handshake failed: {ex.Message}", connected: true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A server that stalls has not refused anything: this is no answer, not a "no".
            return TlsHandshakeResult.Failed($"the handshake took longer than {timeout.TotalSeconds:0.#} s", connected: false);
        }
    }

    /// <summary>
    /// Whether this machine's TLS library can make a handshake with <paramref name="protocol"/> at all (a loopback server
    /// and client of this process, once per protocol): where it cannot, a refusal by the server shows nothing.
    /// </summary>
    public static Task<bool> SupportedLocallyAsync(SslProtocols protocol)
        => LocalSupport.GetOrAdd(protocol, p => new Lazy<Task<bool>>(() => SelfTestAsync(p))).Value;

    private static async Task<bool> SelfTestAsync(SslProtocols protocol)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100));
        using var certificate = LoadPkcs12(created.Export(X509ContentType.Pfx));
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var serverSide = Task.Run(
                async () =>
                {
                    using var accepted = await listener.AcceptTcpClientAsync(timeout.Token).ConfigureAwait(false);
                    await using var server = new SslStream(accepted.GetStream());
                    await server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate,
                        EnabledSslProtocols = protocol }, timeout.Token).ConfigureAwait(false);
                },
                timeout.Token);
            var client = await RunAsync("localhost", ((IPEndPoint)listener.LocalEndpoint).Port, protocol, [], TimeSpan.FromSeconds(10),
                CancellationToken.None).ConfigureAwait(false);
            try
            {
                await serverSide.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException or SocketException or System.ComponentModel.Win32Exception)
            {
                return false;
            }

            return client.Succeeded;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or SocketException or OperationCanceledException)
        {
            return false;
        }
        finally
        {
            listener.Stop();
        }
    }

#if NET9_0_OR_GREATER
    private static X509Certificate2 LoadCertificate(byte[] der) => X509CertificateLoader.LoadCertificate(der);

    private static X509Certificate2 LoadPkcs12(byte[] pfx) => X509CertificateLoader.LoadPkcs12(pfx, password: null);
#else
    private static X509Certificate2 LoadCertificate(byte[] der) => new(der);

    private static X509Certificate2 LoadPkcs12(byte[] pfx) => new(pfx, (string?)null);
#endif

    private static (SslPolicyErrors Errors, IReadOnlyList<string> Problems) AgainstRoots(X509Certificate2 leaf,
        SslPolicyErrors policyErrors, X509Certificate2Collection roots)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        var valid = chain.Build(leaf);
        var errors = (policyErrors & ~SslPolicyErrors.RemoteCertificateChainErrors) | (valid ? SslPolicyErrors.None
            : SslPolicyErrors.RemoteCertificateChainErrors);
        return (errors, Problems(chain));
    }

    private static IReadOnlyList<string> Problems(X509Chain? chain)
        => chain is null ? []
            : [.. chain.ChainStatus.Where(s => s.Status != X509ChainStatusFlags.NoError).Select(s =>
            $"{s.Status}: {s.StatusInformation.Trim()}").Distinct(StringComparer.Ordinal)];
}
