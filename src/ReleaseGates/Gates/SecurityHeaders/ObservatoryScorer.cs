using System.Globalization;
using System.Text.RegularExpressions;

namespace ReleaseGates;

/// <summary>One Observatory test's outcome: Observatory's result name, its score modifier (from <see cref="ObservatoryResults"/>), and what was seen.</summary>
internal sealed record ObservatoryTest(string Test, string Result, string Description)
{
    /// <summary>The result's score modifier, as the table gives it.</summary>
    public int Modifier => ObservatoryResults.ModifierOf(Result);

    public string? Observed { get; init; }

    public string? Remediation { get; init; }
}

/// <summary>What the security-headers gate looked at.</summary>
internal sealed class SecurityHeadersInput
{
    /// <summary>The response to the configured URL (after redirects).</summary>
    public required ProbeResponse Response { get; init; }

    /// <summary>The response chain starting from the plain-http URL, or null when it was not probed.</summary>
    public ProbeResponse? FromHttp { get; init; }

    /// <summary>Whether nothing listens on plain http (Observatory: redirection not needed).</summary>
    public bool NoHttpListener { get; init; }

    /// <summary>The answer to the CORS preflight (OPTIONS with a foreign Origin), the only response the scanner's CORS test reads; null when not sent.</summary>
    public ProbeResponse? Preflight { get; init; }

    /// <summary>The Origin the preflight sent.</summary>
    public string PreflightOrigin { get; init; } = "";
}

/// <summary>
/// Mozilla HTTP Observatory scoring (mdn-http-observatory v1.6.3, algorithm version 5: ten tests; version 6, the project's
/// head, adds Cross-Origin-Embedder-Policy and Cross-Origin-Opener-Policy), each test with a modifier;
/// <c>score = 100 + Σ negative modifiers</c>, plus the positive ones only when that is at least 90; grades A+ to F. Three
/// deliberate differences, each where Observatory is wrong about browsers: a quoted or non-numeric HSTS <c>max-age</c> is
/// invalid (Observatory grades it as at least six months), <c>max-age=0</c> (which turns HSTS off) counts as not
/// implemented, and <c>frame-ancestors</c> in a <c>&lt;meta&gt;</c> policy is not framing protection.
/// The HSTS preload-list bonus is not given (no network list is consulted).
/// </summary>
internal static partial class ObservatoryScorer
{
    public const int SixMonths = 15_552_000;
    private static readonly string[] PrivateReferrers = ["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"];
    private static readonly string[] UnsafeReferrers = ["origin", "origin-when-cross-origin", "unsafe-url", "no-referrer-when-downgrade"];

    private static readonly (int Minimum, string Grade)[] GradeChart =
    [
        (100, "A+"), (90, "A"), (85, "A-"), (80, "B+"), (70, "B"), (65, "B-"), (60, "C+"), (50, "C"), (45, "C-"), (40, "D+"), (30, "D"), (25, "D-"), (0, "F"),
    ];

    public static (int Score, string Grade) Score(IEnumerable<ObservatoryTest> tests)
    {
        var list = tests.ToList();
        var uncurved = 100 + list.Where(t => t.Modifier < 0).Sum(t => t.Modifier);
        var score = Math.Max(uncurved >= 90 ? 100 + list.Sum(t => t.Modifier) : uncurved, 0);
        return (score, Grade(score));
    }

    public static string Grade(int score)
    {
        var key = Math.Min(score - (score % 5), 100);
        return GradeChart.First(g => key >= g.Minimum).Grade;
    }

    /// <summary>The lowest score that earns <paramref name="grade"/>, or null when it is not a grade.</summary>
    public static int? MinimumScore(string grade) => GradeChart.Where(g => string.Equals(g.Grade, grade.Trim(), StringComparison.OrdinalIgnoreCase)).Select(g => (int?)g.Minimum).FirstOrDefault();

    public static List<ObservatoryTest> Run(SecurityHeadersInput input, ObservatoryAlgorithm algorithm = ObservatoryAlgorithm.Version5)
    {
        var r = input.Response;
        var metaPolicies = MetaPolicies(r);
        var csp = ContentSecurityPolicy.Parse(r.All("Content-Security-Policy"), metaPolicies);
        var headerCsp = ContentSecurityPolicy.Parse(r.All("Content-Security-Policy"));
        var hsts = Hsts(r);
        List<ObservatoryTest> tests =
        [
            ContentSecurityPolicyTest(r, csp, metaPolicies),
            Cookies(r, hstsProtects: hsts.Result.StartsWith("hsts-implemented", StringComparison.Ordinal)),
            Cors(input),
            Redirection(input),
            ReferrerPolicy(r),
            hsts,
            SubresourceIntegrity(r),
            XContentTypeOptions(r),
            XFrameOptions(r, headerCsp), // browsers ignore frame-ancestors in <meta>
            CrossOriginResourcePolicy(r),
        ];
        if (algorithm == ObservatoryAlgorithm.Version6)
        {
            tests.Add(CrossOriginIsolation(r, "cross-origin-embedder-policy", "Cross-Origin-Embedder-Policy", "coep", ["require-corp", "credentialless"]));
            tests.Add(CrossOriginIsolation(r, "cross-origin-opener-policy", "Cross-Origin-Opener-Policy", "coop", ["same-origin", "same-origin-allow-popups", "noopener-allow-popups"]));
        }

        return tests;
    }

    private static ObservatoryTest CrossOriginIsolation(ProbeResponse r, string test, string header, string prefix, string[] good)
    {
        var value = r.Header(header);
        var v = value?.Trim().ToLowerInvariant();
        var fix = $"ctx.Response.Headers[\"{header}\"] = \"{good[0]}\";";
        return v switch
        {
            null => new(test, $"{prefix}-not-implemented", $"{header} is not set."),
            "unsafe-none" => new(test, $"{prefix}-implemented-with-unsafe-none", $"{header}: unsafe-none.") { Observed = value },
            _ when good.Contains(v) => new(test, $"{prefix}-implemented-with-{v}", $"{header}: {value}.") { Observed = value },
            _ => new(test, $"{prefix}-header-invalid", $"{header} must be one of {string.Join(", ", good)} or unsafe-none.") { Observed = value, Remediation = fix },
        };
    }

    private static ObservatoryTest ContentSecurityPolicyTest(ProbeResponse r, ContentSecurityPolicy csp, IReadOnlyList<string> metaPolicies)
    {
        const string Test = "content-security-policy";
        const string Fix = "app.Use(async (ctx, next) => { ctx.Response.Headers.ContentSecurityPolicy = \"default-src 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'\"; await next(); });";
        var observed = r.All("Content-Security-Policy").Concat(metaPolicies.Select(m => $"<meta> {m}")).ToList() is { Count: > 0 } values ? string.Join(", ", values) : null;
        if (observed is null)
        {
            return r.Header("Content-Security-Policy-Report-Only") is { } reportOnly
                ? new(Test, "csp-not-implemented-but-reporting-enabled", "Only Content-Security-Policy-Report-Only is set: nothing is enforced.") { Observed = reportOnly, Remediation = Fix }
                : new(Test, "csp-not-implemented", "Content-Security-Policy is not set.") { Remediation = Fix };
        }

        if (csp.Error is not null || csp.Policies.Count == 0)
        {
            return new(Test, "csp-header-invalid", $"Content-Security-Policy cannot be parsed: {csp.Error ?? "no directives"}.") { Observed = observed, Remediation = Fix };
        }

        if (csp.Policies.Any(p => p.TryGetValue("script-src", out var s) && s.Contains("'strict-dynamic'") && !s.Any(ContentSecurityPolicy.IsNonceOrHash)))
        {
            return new(Test, "csp-header-invalid", "'strict-dynamic' without a nonce or hash blocks every script.") { Observed = observed, Remediation = Fix };
        }

        var https = r.IsHttps;
        static bool Insecure(string s) => s is "http:" or "ftp:" || s.StartsWith("http://", StringComparison.Ordinal) || s.StartsWith("ftp://", StringComparison.Ordinal);
        bool Weak(string directive, Func<string, bool> bad) => csp.All(p => ContentSecurityPolicy.Effective(p, directive).Any(bad));

        if (Weak("script-src", s => s is "'unsafe-inline'" or "data:" || ContentSecurityPolicy.IsBroad(s)) || Weak("object-src", ContentSecurityPolicy.IsBroad))
        {
            return new(Test, "csp-implemented-with-unsafe-inline", "script-src allows 'unsafe-inline', data: or any source, or object-src allows any source: the policy does not stop injected script.") { Observed = observed, Remediation = "Remove 'unsafe-inline' and broad sources from script-src (use nonces or hashes) and set object-src 'none'." };
        }

        if (https && (Weak("script-src", Insecure) || Weak("object-src", Insecure) || Weak("style-src", Insecure)))
        {
            return new(Test, "csp-implemented-with-insecure-scheme", "An https site allows scripts, objects or styles over http: or ftp:.") { Observed = observed, Remediation = "Load active content over https only." };
        }

        if (Weak("script-src", s => s == "'unsafe-eval'") || Weak("style-src", s => s == "'unsafe-eval'"))
        {
            return new(Test, "csp-implemented-with-unsafe-eval", "script-src allows 'unsafe-eval'.") { Observed = observed, Remediation = "Remove 'unsafe-eval' (replace eval and new Function)." };
        }

        if (https && (Weak("img-src", Insecure) || Weak("media-src", Insecure)))
        {
            return new(Test, "csp-implemented-with-insecure-scheme-in-passive-content-only", "An https site allows images or media over http:.") { Observed = observed, Remediation = "Load images and media over https only." };
        }

        if (Weak("style-src", s => s is "'unsafe-inline'" or "data:" || ContentSecurityPolicy.IsBroad(s)))
        {
            return new(Test, "csp-implemented-with-unsafe-inline-in-style-src-only", "Only style-src is loose ('unsafe-inline', data: or broad sources).") { Observed = observed };
        }

        if (csp.All(p => p.TryGetValue("default-src", out var d) && d.Count == 1 && d[0] == "'none'"))
        {
            return new(Test, "csp-implemented-with-no-unsafe-default-src-none", "default-src 'none' with nothing unsafe." + Duplicates(csp)) { Observed = observed };
        }

        return new(Test, "csp-implemented-with-no-unsafe", "Content-Security-Policy allows nothing unsafe." + Duplicates(csp)) { Observed = observed };
    }

    private static string Duplicates(ContentSecurityPolicy csp) => csp.DuplicateReporting ? " (report-uri or report-to appears twice in a policy: only the first counts)" : string.Empty;

    private static ObservatoryTest Cookies(ProbeResponse r, bool hstsProtects)
    {
        const string Test = "cookies";
        const string Fix = "services.Configure<CookiePolicyOptions>(o => { o.Secure = CookieSecurePolicy.Always; o.HttpOnly = HttpOnlyPolicy.Always; o.MinimumSameSitePolicy = SameSiteMode.Lax; }); app.UseCookiePolicy();";
        var cookies = r.All("Set-Cookie").Select(SetCookie.Parse).ToList();
        if (cookies.Count == 0)
        {
            return new(Test, "cookies-not-found", "No cookies are set.");
        }

        var observed = string.Join("; ", r.All("Set-Cookie").Select(c => c.Split(';')[0].Split('=')[0].Trim() + " (" + string.Join(", ", c.Split(';').Skip(1).Select(a => a.Trim())) + ")"));
        var worst = cookies.All(c => c.SameSite is not null)
            ? new ObservatoryTest(Test, "cookies-secure-with-httponly-sessions-and-samesite", "Every cookie is Secure and SameSite, session cookies HttpOnly.")
            : new ObservatoryTest(Test, "cookies-secure-with-httponly-sessions", "Every cookie is Secure, session cookies HttpOnly, but SameSite is missing.");
        void Worse(string result, string description, SetCookie cookie)
        {
            if (ObservatoryResults.ModifierOf(result) < worst.Modifier)
            {
                worst = new ObservatoryTest(Test, result, $"{description} ({cookie.Name})");
            }
        }

        foreach (var c in cookies)
        {
            var session = c.Name.Contains("login", StringComparison.OrdinalIgnoreCase) || c.Name.Contains("sess", StringComparison.OrdinalIgnoreCase);
            var csrf = c.Name.Contains("csrf", StringComparison.OrdinalIgnoreCase);
            // The scanner looks at the flag alone (a Secure cookie on a plain-http response is the OWASP profile's concern).
            if (!c.Secure)
            {
                if (session)
                {
                    Worse(hstsProtects ? "cookies-session-without-secure-flag-but-protected-by-hsts" : "cookies-session-without-secure-flag", "A session cookie is not Secure", c);
                }
                else
                {
                    Worse(hstsProtects ? "cookies-without-secure-flag-but-protected-by-hsts" : "cookies-without-secure-flag", "A cookie is not Secure", c);
                }
            }

            if (session && !c.HttpOnly)
            {
                Worse("cookies-session-without-httponly-flag", "A session cookie is readable by script (no HttpOnly)", c);
            }

            if (c.SameSite is { } sameSite && (sameSite is not ("strict" or "lax" or "none") || (sameSite == "none" && !c.Secure)))
            {
                Worse("cookies-samesite-flag-invalid", $"SameSite={c.SameSiteRaw} is not Strict, Lax, or None with Secure", c);
            }

            if (csrf && c.SameSite is null)
            {
                Worse("cookies-anticsrf-without-samesite-flag", "An anti-CSRF cookie has no SameSite", c);
            }
        }

        return worst with { Observed = observed, Remediation = worst.Modifier < 0 ? Fix : null };
    }

    /// <summary>As the scanner: only the preflight's answer counts; echoing the foreign Origin with credentials is universal access.</summary>
    private static ObservatoryTest Cors(SecurityHeadersInput input)
    {
        const string Test = "cross-origin-resource-sharing";
        var preflight = input.Preflight is { Succeeded: true } p ? p : null;
        var acao = preflight?.Header("Access-Control-Allow-Origin")?.Trim();
        if (acao is null)
        {
            return new(Test, "cross-origin-resource-sharing-not-implemented", "No CORS headers on the preflight.");
        }

        var credentials = preflight!.Header("Access-Control-Allow-Credentials")?.Trim();
        var observed = $"OPTIONS with Origin: {input.PreflightOrigin} → Access-Control-Allow-Origin: {acao}, Access-Control-Allow-Credentials: {credentials ?? "(none)"}";
        if (acao == "*")
        {
            return new(Test, "cross-origin-resource-sharing-implemented-with-public-access", "Access-Control-Allow-Origin: * (public, without credentials).") { Observed = observed };
        }

        if (string.Equals(acao, input.PreflightOrigin, StringComparison.Ordinal) && string.Equals(credentials, "true", StringComparison.OrdinalIgnoreCase))
        {
            return new(Test, "cross-origin-resource-sharing-implemented-with-universal-access", "Any origin is echoed back with Access-Control-Allow-Credentials: true: every site can read responses with the user's cookies.")
            {
                Observed = observed,
                Remediation = "builder.Services.AddCors(o => o.AddDefaultPolicy(p => p.WithOrigins(\"https://app.example.com\").AllowCredentials())); — never SetIsOriginAllowed(_ => true) with AllowCredentials().",
            };
        }

        return new(Test, "cross-origin-resource-sharing-implemented-with-restricted-access", "CORS is restricted to listed origins.") { Observed = observed };
    }

    private static ObservatoryTest Redirection(SecurityHeadersInput input)
    {
        const string Test = "redirection";
        const string Fix = "app.UseHttpsRedirection(); (with the https port known: ASPNETCORE_HTTPS_PORTS or HttpsRedirectionOptions.HttpsPort)";
        if (input.NoHttpListener)
        {
            return new(Test, "redirection-not-needed-no-http", "Nothing listens on plain http.");
        }

        var chain = input.FromHttp ?? input.Response;
        if (chain.Hops.Count == 0 || chain.Hops[0].Url.Scheme != Uri.UriSchemeHttp)
        {
            return new(Test, "redirection-not-needed-no-http", "The site was not probed over plain http.");
        }

        var observed = string.Join(" → ", chain.Hops.Select(h => $"{h.Status} {h.Url}")) + (chain.Hops[^1].Location is { } last ? $" → {last}" : string.Empty);
        var first = chain.Hops[0];
        if (first.Location is null)
        {
            return new(Test, "redirection-missing", "Plain http answers without redirecting to https.") { Observed = observed, Remediation = Fix };
        }

        if (chain.FinalUrl.Scheme != Uri.UriSchemeHttps)
        {
            return new(Test, "redirection-not-to-https", "The redirects do not end on https.") { Observed = observed, Remediation = Fix };
        }

        if (first.Location.Scheme != Uri.UriSchemeHttps)
        {
            return new(Test, "redirection-not-to-https-on-initial-redirection", "The first redirect goes to another http URL: it should go straight to https on the same host.") { Observed = observed, Remediation = Fix };
        }

        if (!string.Equals(first.Location.Host, first.Url.Host, StringComparison.OrdinalIgnoreCase))
        {
            return new(Test, "redirection-off-host-from-http", "The first redirect leaves the host, so HSTS is never set for it.") { Observed = observed, Remediation = Fix };
        }

        return new(Test, "redirection-to-https", "Plain http redirects to https on the same host.") { Observed = observed };
    }

    private static ObservatoryTest ReferrerPolicy(ProbeResponse r)
    {
        const string Test = "referrer-policy";
        const string Fix = "ctx.Response.Headers[\"Referrer-Policy\"] = \"strict-origin-when-cross-origin\";";
        // Header values, then <meta name="referrer"> values: the last recognised token wins, as in browsers.
        var values = r.All("Referrer-Policy").Concat(MetaContents(r, "name", "referrer")).ToList();
        if (values.Count == 0)
        {
            return new(Test, "referrer-policy-not-implemented", "Referrer-Policy is not set (browsers default to strict-origin-when-cross-origin).") { Remediation = Fix };
        }

        var observed = string.Join(", ", values);
        var token = values.SelectMany(v => v.Split(',')).Select(t => t.Trim().ToLowerInvariant()).LastOrDefault(t => PrivateReferrers.Contains(t) || UnsafeReferrers.Contains(t));
        return token switch
        {
            null => new(Test, "referrer-policy-header-invalid", "Referrer-Policy has no recognised value.") { Observed = observed, Remediation = Fix },
            _ when PrivateReferrers.Contains(token) => new(Test, "referrer-policy-private", $"Referrer-Policy {token} keeps paths private.") { Observed = observed },
            _ => new(Test, "referrer-policy-unsafe", $"Referrer-Policy {token} leaks paths or origins to other sites.") { Observed = observed, Remediation = Fix },
        };
    }

    private static ObservatoryTest Hsts(ProbeResponse r)
    {
        const string Test = "strict-transport-security";
        const string Fix = "builder.Services.AddHsts(o => { o.MaxAge = TimeSpan.FromDays(365); o.IncludeSubDomains = true; }); app.UseHsts();";
        if (!r.IsHttps)
        {
            return new(Test, "hsts-not-implemented-no-https", "The site is not served over https, so HSTS cannot apply.") { Remediation = "Serve the site over https, then " + Fix };
        }

        var value = r.Header("Strict-Transport-Security");
        if (value is null)
        {
            return new(Test, "hsts-not-implemented", "Strict-Transport-Security is not set.") { Remediation = Fix };
        }

        var hsts = StrictTransportSecurity.Parse(value);
        if (hsts.Error is { } error)
        {
            return new(Test, "hsts-header-invalid", $"Strict-Transport-Security is invalid: {error}.") { Observed = value, Remediation = Fix };
        }

        if (hsts.MaxAge == 0)
        {
            return new(Test, "hsts-not-implemented", "max-age=0 tells browsers to forget HSTS.") { Observed = value, Remediation = Fix };
        }

        return hsts.MaxAge < SixMonths
            ? new(Test, "hsts-implemented-max-age-less-than-six-months", $"max-age {hsts.MaxAge} is under six months ({SixMonths} s).") { Observed = value, Remediation = Fix }
            : new(Test, "hsts-implemented-max-age-at-least-six-months", $"max-age {hsts.MaxAge.ToString(CultureInfo.InvariantCulture)} is at least six months.") { Observed = value };
    }

    private static ObservatoryTest SubresourceIntegrity(ProbeResponse r)
    {
        const string Test = "subresource-integrity";
        if (r.MediaType is not ("text/html" or "application/xhtml+xml"))
        {
            return new(Test, "sri-not-implemented-response-not-html", "The response is not HTML.");
        }

        var scripts = HtmlTokenizer.StartTags(r.BodyText).Where(t => t.Name == "script").Select(t => (Src: t["src"], Integrity: t["integrity"])).Where(s => s.Src is not null).ToList();
        if (scripts.Count == 0)
        {
            return new(Test, "sri-not-implemented-but-no-scripts-loaded", "The page loads no scripts.");
        }

        var external = scripts.Where(s => IsExternal(s.Src!, r.FinalUrl)).ToList();
        var insecure = external.Where(s => s.Src!.StartsWith("http:", StringComparison.OrdinalIgnoreCase) || s.Src!.StartsWith("//", StringComparison.Ordinal)).ToList();
        var observed = string.Join(", ", external.Select(s => s.Src + (s.Integrity is null ? " (no integrity)" : " (integrity)")));
        const string Fix = "Add integrity=\"sha384-…\" crossorigin=\"anonymous\" to every external <script> and load it over https.";
        var anyIntegrity = scripts.Any(s => s.Integrity is not null);
        if (insecure.Count > 0)
        {
            return anyIntegrity
                ? new(Test, "sri-implemented-but-external-scripts-not-loaded-securely", "External scripts load over http or a protocol-relative URL.") { Observed = observed, Remediation = Fix }
                : new(Test, "sri-not-implemented-and-external-scripts-not-loaded-securely", "External scripts load over http or a protocol-relative URL, without integrity.") { Observed = observed, Remediation = Fix };
        }

        if (external.Count == 0)
        {
            return new(Test, "sri-not-implemented-but-all-scripts-loaded-from-secure-origin", "Every script is same-origin.");
        }

        return external.All(s => s.Integrity is not null)
            ? new(Test, "sri-implemented-and-external-scripts-loaded-securely", "Every external script has integrity and loads over https.") { Observed = observed }
            : new(Test, "sri-not-implemented-but-external-scripts-loaded-securely", "External scripts load over https without integrity.") { Observed = observed, Remediation = Fix };
    }

    private static ObservatoryTest XContentTypeOptions(ProbeResponse r)
    {
        const string Test = "x-content-type-options";
        const string Fix = "ctx.Response.Headers.XContentTypeOptions = \"nosniff\";";
        var value = r.Header("X-Content-Type-Options");
        return value?.Trim().ToLowerInvariant() switch
        {
            null => new(Test, "x-content-type-options-not-implemented", "X-Content-Type-Options is not set.") { Remediation = Fix },
            "nosniff" => new(Test, "x-content-type-options-nosniff", "X-Content-Type-Options: nosniff.") { Observed = value },
            _ => new(Test, "x-content-type-options-header-invalid", "X-Content-Type-Options must be exactly nosniff.") { Observed = value, Remediation = Fix },
        };
    }

    private static ObservatoryTest XFrameOptions(ProbeResponse r, ContentSecurityPolicy csp)
    {
        const string Test = "x-frame-options";
        const string Fix = "ctx.Response.Headers.XFrameOptions = \"DENY\"; or frame-ancestors 'none' in Content-Security-Policy";
        if (csp.Error is null && csp.Has("frame-ancestors"))
        {
            return new(Test, "x-frame-options-implemented-via-csp", "Framing is controlled by CSP frame-ancestors.") { Observed = string.Join(" ", csp.Policies.Where(p => p.ContainsKey("frame-ancestors")).Select(p => "frame-ancestors " + string.Join(' ', p["frame-ancestors"]))) };
        }

        var value = r.Header("X-Frame-Options");
        var v = value?.Trim().ToLowerInvariant();
        return v switch
        {
            null => new(Test, "x-frame-options-not-implemented", "X-Frame-Options is not set and CSP has no frame-ancestors: the page can be framed (clickjacking).") { Remediation = Fix },
            "deny" or "sameorigin" => new(Test, "x-frame-options-sameorigin-or-deny", $"X-Frame-Options: {value}.") { Observed = value },
            _ when v.StartsWith("allow-from", StringComparison.Ordinal) => new(Test, "x-frame-options-allow-from-origin", "X-Frame-Options ALLOW-FROM is ignored by current browsers.") { Observed = value, Remediation = Fix },
            _ => new(Test, "x-frame-options-header-invalid", "X-Frame-Options must be DENY or SAMEORIGIN.") { Observed = value, Remediation = Fix },
        };
    }

    private static ObservatoryTest CrossOriginResourcePolicy(ProbeResponse r)
    {
        const string Test = "cross-origin-resource-policy";
        var value = r.Header("Cross-Origin-Resource-Policy");
        return value?.Trim().ToLowerInvariant() switch
        {
            null => new(Test, "corp-not-implemented", "Cross-Origin-Resource-Policy is not set."),
            "same-origin" or "same-site" => new(Test, "corp-implemented-with-same-origin", $"Cross-Origin-Resource-Policy: {value}.") { Observed = value },
            "cross-origin" => new(Test, "corp-implemented-with-cross-origin", "Cross-Origin-Resource-Policy: cross-origin.") { Observed = value },
            _ => new(Test, "corp-header-invalid", "Cross-Origin-Resource-Policy must be same-origin, same-site or cross-origin.") { Observed = value, Remediation = "ctx.Response.Headers[\"Cross-Origin-Resource-Policy\"] = \"same-origin\";" },
        };
    }

    /// <summary>The content of every <c>&lt;meta http-equiv="Content-Security-Policy"&gt;</c> of an HTML page.</summary>
    private static List<string> MetaPolicies(ProbeResponse r) => MetaContents(r, "http-equiv", "Content-Security-Policy");

    /// <summary>The content of every <c>&lt;meta <paramref name="attribute"/>="<paramref name="value"/>"&gt;</c> of an HTML page.</summary>
    private static List<string> MetaContents(ProbeResponse r, string attribute, string value)
    {
        if (r.MediaType is not ("text/html" or "application/xhtml+xml"))
        {
            return [];
        }

        return HtmlTokenizer.StartTags(r.BodyText)
            .Where(tag => tag.Name == "meta" && string.Equals(tag[attribute]?.Trim(), value, StringComparison.OrdinalIgnoreCase))
            .Select(tag => tag["content"] ?? string.Empty)
            .Where(content => content.Length > 0)
            .ToList();
    }

    private static bool IsExternal(string src, Uri page)
        => Uri.TryCreate(page, src, out var resolved) && !(string.Equals(resolved.Host, page.Host, StringComparison.OrdinalIgnoreCase) && resolved.Scheme == page.Scheme && resolved.Port == page.Port);

}

/// <summary>A parsed Set-Cookie header.</summary>
internal sealed record SetCookie(string Name, bool Secure, bool HttpOnly, string? SameSite, string? SameSiteRaw)
{
    public static SetCookie Parse(string header)
    {
        var parts = header.Split(';');
        var name = parts[0].Split('=')[0].Trim();
        bool secure = false, httpOnly = false;
        string? sameSite = null, raw = null;
        foreach (var attribute in parts.Skip(1))
        {
            var kv = attribute.Split('=', 2);
            var key = kv[0].Trim().ToLowerInvariant();
            switch (key)
            {
                case "secure":
                    secure = true;
                    break;
                case "httponly":
                    httpOnly = true;
                    break;
                case "samesite":
                    raw = kv.Length > 1 ? kv[1].Trim() : string.Empty;
                    sameSite = raw.ToLowerInvariant();
                    break;
            }
        }

        return new(name, secure, httpOnly, sameSite, raw);
    }
}

/// <summary>A parsed Strict-Transport-Security header: stricter than Observatory (a quoted or non-numeric max-age is invalid).</summary>
internal sealed record StrictTransportSecurity(long MaxAge, bool IncludeSubDomains, bool Preload, string? Error)
{
    public static StrictTransportSecurity Parse(string value)
    {
        var text = value.Length > 1024 ? value[..1024] : value;
        if (text.Contains(',', StringComparison.Ordinal))
        {
            return new(0, false, false, "the header is set more than once");
        }

        long? maxAge = null;
        bool sub = false, preload = false;
        foreach (var directive in text.Split(';').Select(d => d.Trim().ToLowerInvariant()).Where(d => d.Length > 0))
        {
            if (directive.StartsWith("max-age", StringComparison.Ordinal))
            {
                var eq = directive.IndexOf('=', StringComparison.Ordinal);
                var number = eq < 0 ? string.Empty : directive[(eq + 1)..].Trim();
                if (number.Length >= 2 && number[0] == '"' && number[^1] == '"')
                {
                    return new(0, false, false, $"max-age {number} is quoted; write a bare number of seconds");
                }

                if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                {
                    return new(0, false, false, $"max-age '{number}' is not a whole number of seconds");
                }

                maxAge = seconds;
            }
            else if (directive == "includesubdomains")
            {
                sub = true;
            }
            else if (directive == "preload")
            {
                preload = true;
            }
        }

        return maxAge is null ? new(0, sub, preload, "max-age is missing") : new(maxAge.Value, sub, preload, null);
    }
}
