using System.Collections.Frozen;

namespace ReleaseGates;

/// <summary>
/// Every result the Observatory scorer can give, with its test and score modifier (mdn-http-observatory v1.6.3; the
/// cross-origin embedder and opener policies are algorithm 6 only). The one place modifiers are written: the scorer
/// names results, and docs/gates/security-headers.md is checked against this table.
/// </summary>
internal static class ObservatoryResults
{
    /// <summary>Test, result, modifier; in the order of the docs table.</summary>
    public static readonly IReadOnlyList<(string Test, string Result, int Modifier)> All =
    [
        ("content-security-policy", "csp-not-implemented-but-reporting-enabled", -25),
        ("content-security-policy", "csp-not-implemented", -25),
        ("content-security-policy", "csp-header-invalid", -25),
        ("content-security-policy", "csp-implemented-with-unsafe-inline", -20),
        ("content-security-policy", "csp-implemented-with-insecure-scheme", -20),
        ("content-security-policy", "csp-implemented-with-unsafe-eval", -10),
        ("content-security-policy", "csp-implemented-with-insecure-scheme-in-passive-content-only", -10),
        ("content-security-policy", "csp-implemented-with-unsafe-inline-in-style-src-only", 0),
        ("content-security-policy", "csp-implemented-with-no-unsafe-default-src-none", 10),
        ("content-security-policy", "csp-implemented-with-no-unsafe", 5),
        ("cookies", "cookies-not-found", 0),
        ("cookies", "cookies-secure-with-httponly-sessions-and-samesite", 5),
        ("cookies", "cookies-secure-with-httponly-sessions", 0),
        ("cookies", "cookies-session-without-secure-flag-but-protected-by-hsts", -10),
        ("cookies", "cookies-session-without-secure-flag", -40),
        ("cookies", "cookies-without-secure-flag-but-protected-by-hsts", -5),
        ("cookies", "cookies-without-secure-flag", -20),
        ("cookies", "cookies-session-without-httponly-flag", -30),
        ("cookies", "cookies-samesite-flag-invalid", -20),
        ("cookies", "cookies-anticsrf-without-samesite-flag", -20),
        ("cross-origin-resource-sharing", "cross-origin-resource-sharing-not-implemented", 0),
        ("cross-origin-resource-sharing", "cross-origin-resource-sharing-implemented-with-public-access", 0),
        ("cross-origin-resource-sharing", "cross-origin-resource-sharing-implemented-with-universal-access", -50),
        ("cross-origin-resource-sharing", "cross-origin-resource-sharing-implemented-with-restricted-access", 0),
        ("redirection", "redirection-not-needed-no-http", 0),
        ("redirection", "redirection-missing", -20),
        ("redirection", "redirection-not-to-https", -20),
        ("redirection", "redirection-not-to-https-on-initial-redirection", -10),
        ("redirection", "redirection-off-host-from-http", -5),
        ("redirection", "redirection-to-https", 0),
        ("referrer-policy", "referrer-policy-not-implemented", 0),
        ("referrer-policy", "referrer-policy-header-invalid", -5),
        ("referrer-policy", "referrer-policy-private", 5),
        ("referrer-policy", "referrer-policy-unsafe", -5),
        ("strict-transport-security", "hsts-not-implemented-no-https", -20),
        ("strict-transport-security", "hsts-not-implemented", -20),
        ("strict-transport-security", "hsts-header-invalid", -20),
        ("strict-transport-security", "hsts-implemented-max-age-less-than-six-months", -10),
        ("strict-transport-security", "hsts-implemented-max-age-at-least-six-months", 0),
        ("subresource-integrity", "sri-not-implemented-response-not-html", 0),
        ("subresource-integrity", "sri-not-implemented-but-no-scripts-loaded", 0),
        ("subresource-integrity", "sri-implemented-but-external-scripts-not-loaded-securely", -20),
        ("subresource-integrity", "sri-not-implemented-and-external-scripts-not-loaded-securely", -50),
        ("subresource-integrity", "sri-not-implemented-but-all-scripts-loaded-from-secure-origin", 0),
        ("subresource-integrity", "sri-implemented-and-external-scripts-loaded-securely", 5),
        ("subresource-integrity", "sri-not-implemented-but-external-scripts-loaded-securely", -5),
        ("x-content-type-options", "x-content-type-options-not-implemented", -5),
        ("x-content-type-options", "x-content-type-options-nosniff", 0),
        ("x-content-type-options", "x-content-type-options-header-invalid", -5),
        ("x-frame-options", "x-frame-options-implemented-via-csp", 5),
        ("x-frame-options", "x-frame-options-not-implemented", -20),
        ("x-frame-options", "x-frame-options-sameorigin-or-deny", 5),
        ("x-frame-options", "x-frame-options-allow-from-origin", 0),
        ("x-frame-options", "x-frame-options-header-invalid", -20),
        ("cross-origin-resource-policy", "corp-not-implemented", 0),
        ("cross-origin-resource-policy", "corp-implemented-with-same-origin", 10),
        ("cross-origin-resource-policy", "corp-implemented-with-cross-origin", 0),
        ("cross-origin-resource-policy", "corp-header-invalid", -5),
        ("cross-origin-embedder-policy", "coep-not-implemented", 0),
        ("cross-origin-embedder-policy", "coep-implemented-with-unsafe-none", 0),
        ("cross-origin-embedder-policy", "coep-implemented-with-require-corp", 10),
        ("cross-origin-embedder-policy", "coep-implemented-with-credentialless", 10),
        ("cross-origin-embedder-policy", "coep-header-invalid", -5),
        ("cross-origin-opener-policy", "coop-not-implemented", 0),
        ("cross-origin-opener-policy", "coop-implemented-with-unsafe-none", 0),
        ("cross-origin-opener-policy", "coop-implemented-with-same-origin", 10),
        ("cross-origin-opener-policy", "coop-implemented-with-same-origin-allow-popups", 10),
        ("cross-origin-opener-policy", "coop-implemented-with-noopener-allow-popups", 10),
        ("cross-origin-opener-policy", "coop-header-invalid", -5),
    ];

    private static readonly FrozenDictionary<string, int> Modifiers = All.ToFrozenDictionary(r => r.Result, r => r.Modifier, StringComparer.Ordinal);

    /// <summary>The modifier of a result; a result missing from the table is a programming error.</summary>
    public static int ModifierOf(string result) => Modifiers.TryGetValue(result, out var modifier)
        ? modifier
        : throw new InvalidOperationException($"The Observatory result '{result}' is not in the table of results.");
}
