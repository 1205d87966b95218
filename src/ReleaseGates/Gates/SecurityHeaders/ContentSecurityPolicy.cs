namespace ReleaseGates;

/// <summary>
/// A parsed Content-Security-Policy: one or more policies (several headers, or comma-separated values), each a map of
/// directive → sources (lower-cased). Parsing follows Mozilla HTTP Observatory's rules: a policy shorter than 6 characters,
/// or a directive repeated in one policy (other than report-uri / report-to), makes the header invalid; an empty
/// <c>*-src</c> means <c>'none'</c>.
/// </summary>
internal sealed class ContentSecurityPolicy
{
    private static readonly string[] ReportDirectives = ["report-uri", "report-to"];

    private ContentSecurityPolicy(List<Dictionary<string, List<string>>> policies, string? error, bool duplicateReporting)
    {
        Policies = policies;
        Error = error;
        DuplicateReporting = duplicateReporting;
    }

    public IReadOnlyList<Dictionary<string, List<string>>> Policies { get; }

    /// <summary>Why the header cannot be parsed, or null.</summary>
    public string? Error { get; }

    /// <summary>report-uri or report-to appeared twice in a policy (kept first; not an error).</summary>
    public bool DuplicateReporting { get; }

    /// <summary>Directives a browser ignores in a <c>&lt;meta http-equiv&gt;</c> policy.</summary>
    private static readonly string[] DisallowedInMeta = ["frame-ancestors", "report-uri", "sandbox"];

    /// <summary>Parses the header policies and, for an HTML page, its <c>&lt;meta http-equiv="Content-Security-Policy"&gt;</c> policies (without the directives browsers ignore there).</summary>
    public static ContentSecurityPolicy Parse(IEnumerable<string> headerValues, IEnumerable<string> metaValues)
    {
        var headers = Parse(headerValues);
        var metas = metaValues.ToList();
        if (headers.Error is not null || metas.Count == 0)
        {
            return headers;
        }

        var meta = Parse(metas);
        if (meta.Error is not null)
        {
            return meta;
        }

        foreach (var policy in meta.Policies)
        {
            foreach (var directive in DisallowedInMeta)
            {
                policy.Remove(directive);
            }
        }

        return new([.. headers.Policies, .. meta.Policies.Where(p => p.Count > 0)], null, headers.DuplicateReporting || meta.DuplicateReporting);
    }

    public static ContentSecurityPolicy Parse(IEnumerable<string> headerValues)
    {
        var policies = new List<Dictionary<string, List<string>>>();
        var duplicateReporting = false;
        foreach (var text in headerValues.SelectMany(v => v.Split(',')))
        {
            var policyText = text.Trim();
            if (policyText.Length == 0)
            {
                continue;
            }

            if (policyText.Length < 6)
            {
                return new([], $"the policy '{policyText}' is too short to be a policy", false);
            }

            var policy = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var directiveText in policyText.Split(';'))
            {
                var tokens = directiveText.Trim().ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (tokens.Length == 0)
                {
                    continue;
                }

                var name = tokens[0];
                var sources = tokens.Skip(1).ToList();
                if (sources.Count == 0 && name.EndsWith("-src", StringComparison.Ordinal))
                {
                    sources.Add("'none'");
                }

                if (policy.ContainsKey(name))
                {
                    if (ReportDirectives.Contains(name))
                    {
                        duplicateReporting = true;
                        continue;
                    }

                    return new([], $"the directive '{name}' appears twice in one policy", false);
                }

                policy[name] = sources;
            }

            policies.Add(policy);
        }

        return new(policies, null, duplicateReporting);
    }

    /// <summary>True when any policy has <paramref name="directive"/>.</summary>
    public bool Has(string directive) => Policies.Any(p => p.ContainsKey(directive));

    /// <summary>
    /// The effective sources of a fetch directive in one policy: the directive, else <c>default-src</c>, else unrestricted
    /// (<c>*</c>); <c>'unsafe-inline'</c> dropped when a nonce or hash is present; with <c>'strict-dynamic'</c> (script-src)
    /// also scheme and host sources and <c>'self'</c>.
    /// </summary>
    public static List<string> Effective(Dictionary<string, List<string>> policy, string directive)
    {
        var sources = policy.TryGetValue(directive, out var own) ? own : policy.TryGetValue("default-src", out var fallback) ? fallback : ["*"];
        var result = sources.ToList();
        var hasNonceOrHash = result.Any(IsNonceOrHash);
        if (directive is "script-src" or "style-src" && hasNonceOrHash)
        {
            result.Remove("'unsafe-inline'");
        }

        if (directive == "script-src" && hasNonceOrHash && result.Contains("'strict-dynamic'"))
        {
            result = result.Where(s => s.StartsWith('\'')).Where(s => s != "'self'" && s != "'unsafe-inline'").ToList();
        }

        return result;
    }

    public static bool IsNonceOrHash(string source)
        => source.StartsWith("'nonce-", StringComparison.Ordinal) || source.StartsWith("'sha256-",
            StringComparison.Ordinal) || source.StartsWith("'sha384-", StringComparison.Ordinal) || source.StartsWith("'sha512-", StringComparison.Ordinal);

    /// <summary>Observatory's dangerously broad sources: any host, or a whole scheme.</summary>
    public static bool IsBroad(string source) =>
        source is "*" or "http:" or "https:" or "ftp:" or "http://*" or "https://*" or "http://*.*" or "https://*.*" or "ftp://*" or "ftp://*.*";

    /// <summary>True when every policy satisfies <paramref name="test"/> (a browser enforces all of them, so a weakness counts only when all share it).</summary>
    public bool All(Func<Dictionary<string, List<string>>, bool> test) => Policies.Count > 0 && Policies.All(test);
}
