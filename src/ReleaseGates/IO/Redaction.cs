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

    /// <summary>The shortest configured secret that is masked: shorter values would mask ordinary text (and guessing them is trivial).</summary>
    public const int MinimumSecretLength = 4;

    /// <summary>
    /// The forms a configured secret can be echoed in: as written, in base64 (with and without padding, as basic
    /// authentication and tokens carry it) and URL-encoded; longest first, so a longer form is masked before a part of it.
    /// </summary>
    public static IReadOnlyList<string> SecretForms(IEnumerable<string?> secrets)
    {
        var forms = new HashSet<string>(StringComparer.Ordinal);
        foreach (var secret in secrets)
        {
            if (secret is null || secret.Length < MinimumSecretLength)
            {
                continue;
            }

            var base64 = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(secret));
            forms.Add(secret);
            forms.Add(base64);
            forms.Add(base64.TrimEnd('='));
            forms.Add(Uri.EscapeDataString(secret));
        }

        return [.. forms.Where(f => f.Length >= MinimumSecretLength).OrderByDescending(f => f.Length).ThenBy(f => f, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The text with every form of the given secrets (<see cref="SecretForms"/>) replaced by <see cref="Mask"/>, then
    /// every credential <see cref="Redact(string?)"/> finds; <see langword="null"/> stays null.
    /// </summary>
    public static string? Redact(string? text, IReadOnlyList<string> secretForms)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (var form in secretForms)
        {
            if (text.Contains(form, StringComparison.Ordinal))
            {
                text = text.Replace(form, Mask, StringComparison.Ordinal);
            }
        }

        return Redact(text);
    }

    /// <summary>
    /// A header's value as a report may show it: as it is for an ordinary header; for <c>Set-Cookie</c> and <c>Cookie</c>
    /// each cookie's name and attributes with its value masked (<c>session=***; Path=/; HttpOnly</c>), so a reader can
    /// still see which flags are missing; for any other header whose name marks a credential, only that it was there.
    /// </summary>
    public static string? ShownHeaderValue(string name, string? value)
    {
        if (value is null || !IsCredentialHeader(name))
        {
            return value;
        }

        if (name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase))
        {
            // name=value; Attr; Attr=x — the first pair is the cookie, the rest are its attributes.
            var parts = value.Split(';');
            var equals = parts[0].IndexOf('=', StringComparison.Ordinal);
            parts[0] = (equals < 0 ? parts[0].Trim() : parts[0][..equals].Trim()) + "=" + Mask;
            return string.Join(";", parts);
        }

        if (name.Equals("Cookie", StringComparison.OrdinalIgnoreCase))
        {
            return string.Join("; ", value.Split(';').Select(c => c.Split('=')[0].Trim() + "=" + Mask));
        }

        return "(not shown: it carries credentials)";
    }

    /// <summary>
    /// Whether a request header carries a credential: <c>Authorization</c>, <c>Proxy-Authorization</c>, <c>Cookie</c>,
    /// or a secret by its name.
    /// </summary>
    public static bool IsCredentialHeader(string name)
        => name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) || name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase)
           || name.Equals("Cookie", StringComparison.OrdinalIgnoreCase) || IsSecretName(name);

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
