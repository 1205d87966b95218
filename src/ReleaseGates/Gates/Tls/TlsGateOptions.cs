using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace ReleaseGates;

/// <summary>Options of the TLS gate (<c>AddTls</c>). See <c>docs/gates/tls.md</c>.</summary>
public sealed class TlsGateOptions : GateOptions
{
    /// <summary>Creates the options with the gate's defaults: category <see cref="GateCategories.Security"/>.</summary>
    public TlsGateOptions() => Category = GateCategories.Security;

    /// <summary>The endpoints: <c>https://host[:port]</c> addresses (the port defaults to 443). Required.</summary>
    public IList<Uri> Endpoints { get; private set; } = [];

    /// <summary>The fewest whole days the certificate must still be valid. Default: 30.</summary>
    public int MinimumDaysUntilExpiry { get; set; } = 30;

    /// <summary>Fewer days than this is a warning. Default: 60; <see langword="null"/> for none.</summary>
    public int? WarningDaysUntilExpiry { get; set; } = 60;

    /// <summary>
    /// The protocol versions the server may accept. Each of TLS 1.0 to 1.3 is tried on a handshake of its own: one outside
    /// this set that the server accepts fails the gate, and the server must accept at least one inside it. Default: TLS
    /// 1.2 and TLS 1.3.
    /// </summary>
    public SslProtocols AllowedProtocols { get; set; } = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>
    /// The protocol versions the server must accept, each tried on a handshake of its own (<c>Tls13</c> for "TLS 1.3
    /// required"): one the server refuses fails the gate, and one this machine cannot offer makes it <c>Error</c>
    /// (untestable), never a pass. Must lie within <see cref="AllowedProtocols"/>. Default: none.
    /// </summary>
    public SslProtocols RequiredProtocols { get; set; }

    /// <summary>The smallest RSA key, in bits. Default: 2048.</summary>
    public int MinimumRsaKeyBits { get; set; } = 2048;

    /// <summary>The smallest elliptic-curve key, in bits. Default: 256.</summary>
    public int MinimumEcKeyBits { get; set; } = 256;

    /// <summary>
    /// Roots to trust instead of the system's (an internal CA). Default: empty, the system's trust store. With roots here,
    /// only chains ending in one of them are valid.
    /// </summary>
    public X509Certificate2Collection TrustedRoots { get; private set; } = [];

    /// <summary>How long one handshake may take, connection included. Default: 10 seconds.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    protected internal override void Validate(ICollection<string> problems)
    {
        base.Validate(problems);
        if (Endpoints.Count == 0)
        {
            problems.Add($"{nameof(Endpoints)} must list at least one https:// address.");
        }

        foreach (var endpoint in Endpoints)
        {
            if (endpoint is null || !endpoint.IsAbsoluteUri || endpoint.Scheme != Uri.UriSchemeHttps)
            {
                problems.Add($"{nameof(Endpoints)}: '{endpoint}' is not an absolute https:// address.");
            }
        }

        if (MinimumDaysUntilExpiry < 0 || WarningDaysUntilExpiry < MinimumDaysUntilExpiry)
        {
            problems.Add($"{nameof(MinimumDaysUntilExpiry)} must not be negative and {nameof(WarningDaysUntilExpiry)} not below it, but they were {MinimumDaysUntilExpiry} and {WarningDaysUntilExpiry}.");
        }

        if ((AllowedProtocols & (SslProtocols.Tls12 | SslProtocols.Tls13)) == 0 && AllowedProtocols != SslProtocols.None)
        {
            problems.Add($"{nameof(AllowedProtocols)} must include TLS 1.2 or TLS 1.3, but was {AllowedProtocols}.");
        }

        if (AllowedProtocols == SslProtocols.None)
        {
            problems.Add($"{nameof(AllowedProtocols)} is empty: no server could pass.");
        }

        if ((RequiredProtocols & ~AllowedProtocols) != 0)
        {
            problems.Add($"{nameof(RequiredProtocols)} ({RequiredProtocols}) must lie within {nameof(AllowedProtocols)} ({AllowedProtocols}): a required "
                + "version that is not allowed fails every server.");
        }

        if (MinimumRsaKeyBits < 0 || MinimumEcKeyBits < 0)
        {
            problems.Add("The minimum key sizes must not be negative.");
        }

        if (HandshakeTimeout <= TimeSpan.Zero || HandshakeTimeout > TimeSpan.FromMinutes(5))
        {
            problems.Add($"{nameof(HandshakeTimeout)} must be above zero and at most 5 minutes, but was {HandshakeTimeout}.");
        }
    }

    /// <inheritdoc />
    protected internal override GateOptions Clone()
    {
        var copy = (TlsGateOptions)base.Clone();
        copy.Endpoints = [.. Endpoints];
        copy.TrustedRoots = [.. TrustedRoots];
        return copy;
    }
}
