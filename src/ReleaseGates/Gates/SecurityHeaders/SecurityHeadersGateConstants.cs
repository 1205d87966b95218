namespace ReleaseGates;

/// <summary>The security-headers gate's finding codes, each listed on its docs page, and where that page is.</summary>
internal static class SecurityHeadersGateConstants
{
    /// <summary>The gate's page, which documents every finding code below.</summary>
    public const string DocsPage = "docs/gates/security-headers.md";

    /// <summary>Followed by the lower-case header name: <c>disclosure.x-powered-by</c>.</summary>
    public const string DisclosurePrefix = "disclosure.";

    public const string DisclosureServer = "disclosure.server";

    public const string DisclosureServerVersion = "disclosure.server-version";

    public const string HeaderForbiddenPresent = "header.forbidden-present";

    public const string HeaderRequiredMissing = "header.required-missing";

    public const string HeaderValueMismatch = "header.value-mismatch";

    public const string OwaspCookiesOverHttp = "owasp.cookies-over-http";

    public const string OwaspCorsGetReflectsOrigin = "owasp.cors-get-reflects-origin";

    public const string XXssProtectionEnabled = "x-xss-protection-enabled";
}
