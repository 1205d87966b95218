using System.Text.RegularExpressions;

namespace ReleaseGates.IO;

/// <summary>
/// Removes credentials from text before any report writer or logger sees it: the password (or token) in a URL's user
/// info, secret-looking query parameters, <c>Password=</c> in connection strings, and bearer or basic credentials.
/// What was there stays visible as <c>***</c>, so a reader can tell that a credential was sent, never what it was.
/// </summary>
internal static partial class Redaction
{
    public const string Mask = "***";

    /// <summary>The text with every credential it holds replaced by <see cref="Mask"/>; <see langword="null"/> stays null.</summary>
    public static string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        // Cheap pre-checks keep the common case (no URL, no credential) free of regex work.
        if (text.Contains("://", StringComparison.Ordinal))
        {
            text = UserInfo().Replace(text, static m => m.Groups["scheme"].Value + (m.Groups["user"].Success ? m.Groups["user"].Value + ":" : "") + Mask + "@");
        }

        if (text.Contains('=', StringComparison.Ordinal))
        {
            text = SecretParameter().Replace(text, static m => m.Groups["name"].Value + Mask);
            text = ConnectionStringPassword().Replace(text, static m => m.Groups["name"].Value + Mask);
        }

        if (text.Contains("Bearer", StringComparison.OrdinalIgnoreCase) || text.Contains("Basic", StringComparison.OrdinalIgnoreCase))
        {
            text = AuthorizationCredential().Replace(text, static m => m.Groups["scheme"].Value + Mask);
        }

        return text;
    }

    /// <summary>Whether a query parameter, header or field of this name holds a secret by its name alone.</summary>
    public static bool IsSecretName(string name) => SecretName().IsMatch(name);

    // scheme://user:password@host or scheme://token@host (a user info without a colon is often a token: keep none of it).
    [GeneratedRegex(@"(?<scheme>\b[a-zA-Z][a-zA-Z0-9+.\-]*://)(?:(?<user>[^:/?#@\s]*):)?[^/?#@\s]+@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfo();

    [GeneratedRegex(@"(?<name>[?&](?:[^=&#\s]*?(?:token|secret|passw(?:or)?d|pwd|apikey|api[_\-]key|signature|credential|session[_\-]?id)|key|sig|sas|auth|code_verifier)=)[^&#;\s""'<>]*", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SecretParameter();

    [GeneratedRegex(@"(?<name>(?<![?&\w])(?:password|pwd)\s*=\s*)(?:""[^""]*""|'[^']*'|[^;\s""']*)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionStringPassword();

    [GeneratedRegex(@"(?<scheme>\b(?:Bearer|Basic)\s+)[A-Za-z0-9\-._~+/]{6,}=*", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex AuthorizationCredential();

    [GeneratedRegex(@"^(?:.*(?:token|secret|passw(?:or)?d|pwd|apikey|api[_\-]key|signature|credential|cookie|session)|key|sig|sas|auth|authorization|proxy-authorization|x-api-key)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();
}
