namespace ReleaseGates;

/// <summary>Which rules the security-headers gate applies besides the Observatory score.</summary>
public enum SecurityHeadersProfile
{
    /// <summary>Mozilla HTTP Observatory parity: the score and grade decide; each test's outcome is shown as information.</summary>
    Observatory,

    /// <summary>
    /// OWASP Secure Headers Project recommended values on top: HSTS <c>max-age=31536000; includeSubDomains</c>, nosniff,
    /// framing denied, a private Referrer-Policy and a CSP are required (errors); Permissions-Policy, COOP, COEP, CORP,
    /// X-Permitted-Cross-Domain-Policies and removing the Server header are recommended (warnings).
    /// </summary>
    Owasp,
}
