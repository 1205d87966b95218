namespace ReleaseGates;

/// <summary>The TLS gate's finding codes, each listed on its docs page, and where that page is.</summary>
internal static class TlsGateConstants
{
    /// <summary>The gate's page, which documents every finding code below.</summary>
    public const string DocsPage = "docs/gates/tls.md";

    public const string ChainInvalid = "tls.chain-invalid";

    public const string NameMismatch = "tls.name-mismatch";

    public const string WeakSignature = "tls.weak-signature";

    public const string ProtocolNotAllowed = "tls.protocol-not-allowed";

    public const string NoAllowedProtocol = "tls.no-allowed-protocol";

    public const string RequiredProtocolRefused = "tls.required-protocol-refused";

    public const string ProtocolUntestable = "tls.protocol-untestable";

    public const string Negotiated = "tls.negotiated";
}
