using System.Globalization;
using System.Text.RegularExpressions;

namespace ReleaseGates;

/// <summary>Scores a site's security headers like Mozilla HTTP Observatory, with an OWASP profile and rules of your own.</summary>
internal sealed partial class SecurityHeadersGate(SecurityHeadersGateOptions options) : IReleaseGate
{
    internal const string ProbeOrigin = "https://releasegates-probe.invalid";

    private static readonly string[] DisclosureHeaders =
    [
        "X-Powered-By", "X-AspNet-Version", "X-AspNetMvc-Version", "Powered-By", "X-Generator", "X-Generated-By", "X-Php-Version",
        "X-SourceMap", "SourceMap", "X-SourceFiles", "X-Umbraco-Version", "X-OWA-Version", "X-Redirect-By", "X-Turbo-Charged-By",
            "X-Mod-Pagespeed", "X-dtAgentId",
    ];

    public async ValueTask<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        var url = options.Url!;
        using var probe = new HttpProbe(options.Probe, context);
        // The scanner's GET sends no Origin; the OWASP profile sends one, to see whether a plain GET reflects it too.
        var owasp = options.Profile == SecurityHeadersProfile.Owasp;
        var headers = options.CheckCors && owasp ? new Dictionary<string, string> { ["Origin"] = ProbeOrigin } : new Dictionary<string, string>();
        var response = await probe.SendAsync(new ProbeRequest(HttpMethod.Get, url) { Headers = headers }, cancellationToken).ConfigureAwait(false);
        if (!response.Succeeded)
        {
            return GateResult.Error($"Could not read the headers: {response.Failure}");
        }

        if (response.Status is not ((>= 200 and < 400) or 401 or 403))
        {
            return GateResult.Error($"{response.FinalUrl} answered {response.Status}: an error page's headers do not show the site's. Point Url at a page that answers 2xx.");
        }

        ProbeResponse? fromHttp = null;
        var noHttpListener = false;
        if (options.CheckHttpRedirect && url.Scheme == Uri.UriSchemeHttps)
        {
            var httpUrl = options.HttpUrl ?? new UriBuilder(url) { Scheme = Uri.UriSchemeHttp, Port = 80 }.Uri;
            fromHttp = await probe.SendAsync(new ProbeRequest(HttpMethod.Get, httpUrl), cancellationToken).ConfigureAwait(false);
            noHttpListener = !fromHttp.Succeeded && fromHttp.Hops.Count == 0;
        }

        var preflight = options.CheckCors ? await PreflightAsync(probe, response, cancellationToken).ConfigureAwait(false) : null;
        var input = new SecurityHeadersInput { Response = response, FromHttp = fromHttp, NoHttpListener = noHttpListener,
            Preflight = preflight, PreflightOrigin = ProbeOrigin };
        var tests = ObservatoryScorer.Run(input, options.Algorithm);
        var (score, grade) = ObservatoryScorer.Score(tests);

        // The grade is a measurement of its own, held to "grade >= B warn A" (a condition in letter grades), so that
        // machines read it as a value, not as text inside the score's target.
        var measurements = new List<Measurement>();
        var target = $"Mozilla HTTP Observatory scoring, algorithm {(int)options.Algorithm}";
        measurements.Add(new Measurement("score", score, MetricUnit.Score) { Target = target });
        var gradeValue = LetterGrades.Rank(grade)!.Value;
        if (options.MinimumGrade is { } minimum)
        {
            var condition = new GateCondition("grade", ComparisonOperator.GreaterThanOrEqual,
                new Threshold(LetterGrades.Rank(minimum.Trim())!.Value, MetricUnit.Grade));
            if (options.WarningGrade is { } warning)
            {
                condition = condition with { WarningThreshold = new Threshold(LetterGrades.Rank(warning.Trim())!.Value, MetricUnit.Grade) };
            }

            measurements.Add(Measurement.Evaluate("grade", gradeValue, MetricUnit.Grade, condition) with { Target = target });
        }
        else
        {
            measurements.Add(new Measurement("grade", gradeValue, MetricUnit.Grade) { Target = target });
        }

        measurements.AddRange(tests.Select(t => new Measurement(t.Test, t.Modifier, MetricUnit.None) { Target = t.Result }));

        var findings = tests.Where(t => t.Modifier < 0)
            .Select(t => new Finding(t.Result, FindingSeverity.Info,
                $"{t.Description} ({t.Modifier.ToString("+0;-0;0", CultureInfo.InvariantCulture)})") { Target = t.Test,
                Observed = t.Observed, Remediation = t.Remediation })
            .ToList();
        findings.AddRange(Disclosure(response));
        if (owasp)
        {
            findings.AddRange(Owasp(response, tests));
            findings.AddRange(OwaspStricterThanObservatory(response));
        }

        findings.AddRange(CustomRules(response));
        var summary = $"{response.FinalUrl}: score {score}, grade {grade}" + (options.Profile == SecurityHeadersProfile.Owasp
            ? ", OWASP profile" : string.Empty);
        return GateResult.FromEvidence(summary, measurements, findings);
    }

    private static Task<ProbeResponse> PreflightAsync(HttpProbe probe, ProbeResponse response, CancellationToken cancellationToken)
        => probe.SendAsync(
            new ProbeRequest(HttpMethod.Options, response.FinalUrl)
            {
                Headers = new Dictionary<string, string> { ["Origin"] = ProbeOrigin, ["Access-Control-Request-Method"] = "GET" },
                FollowRedirects = false,
            },
            cancellationToken);

    /// <summary>
    /// Where the OWASP profile is stricter than the scanner: a Secure cookie set over plain http (the flag cannot protect a
    /// cookie that already crossed the network in clear), and a plain GET that echoes a foreign Origin with credentials
    /// (the scanner reads CORS from the preflight only).
    /// </summary>
    private static IEnumerable<Finding> OwaspStricterThanObservatory(ProbeResponse r)
    {
        if (!r.IsHttps && r.All("Set-Cookie").Count > 0)
        {
            var names = string.Join(", ", r.All("Set-Cookie").Select(c => c.Split(';')[0].Split('=')[0].Trim()));
            yield return new Finding(SecurityHeadersGateConstants.OwaspCookiesOverHttp, FindingSeverity.Error,
                "Cookies are set over plain http, where the Secure flag cannot protect them.")
            {
                Target = "Set-Cookie",
                Observed = names,
                Remediation = "Serve the site over https only (app.UseHttpsRedirection(); app.UseHsts();) and set cookies there.",
            };
        }

        if (string.Equals(r.Header("Access-Control-Allow-Origin")?.Trim(), ProbeOrigin, StringComparison.Ordinal)
            && string.Equals(r.Header("Access-Control-Allow-Credentials")?.Trim(), "true", StringComparison.OrdinalIgnoreCase))
        {
            yield return new Finding(SecurityHeadersGateConstants.OwaspCorsGetReflectsOrigin, FindingSeverity.Error,
                "A plain GET echoes any Origin back with Access-Control-Allow-Credentials: true.")
            {
                Target = "Access-Control-Allow-Origin",
                Observed = $"Origin: {ProbeOrigin} → Access-Control-Allow-Origin: {r.Header("Access-Control-Allow-Origin")}, Access-Control-Allow-Credentials: true",
                Remediation = "builder.Services.AddCors(o => o.AddDefaultPolicy(p => p.WithOrigins(\"https://app.example.com\").AllowCredentials()));",
            };
        }
    }

    private IEnumerable<Finding> Disclosure(ProbeResponse r)
    {
        if (r.Header("Server") is { } server)
        {
            if (ServerVersion().IsMatch(server))
            {
                yield return new Finding(SecurityHeadersGateConstants.DisclosureServerVersion, FindingSeverity.Warning,
                    "The Server header names a version, which tells attackers which exploits to try.") { Target = "Server",
                    Observed = server, Remediation = "builder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false); (behind IIS or a proxy: remove the header there)" };
            }
            else
            {
                yield return new Finding(SecurityHeadersGateConstants.DisclosureServer,
                    options.Profile == SecurityHeadersProfile.Owasp ? FindingSeverity.Warning : FindingSeverity.Info,
                    "The Server header names the server software (OWASP: remove it).") { Target = "Server", Observed = server,
                    Remediation = "builder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false);" };
            }
        }

        foreach (var name in DisclosureHeaders)
        {
            if (r.Header(name) is { } value)
            {
                yield return new Finding(SecurityHeadersGateConstants.DisclosurePrefix + name.ToLowerInvariant(), FindingSeverity.Warning,
                    $"{name} discloses the technology stack.") { Target = name, Observed = value, Remediation = RemovalHint(name) };
            }
        }

        if (r.Header("X-XSS-Protection") is { } xss && xss.Trim() != "0")
        {
            yield return new Finding(SecurityHeadersGateConstants.XXssProtectionEnabled, FindingSeverity.Warning,
                "X-XSS-Protection other than 0 turns on a filter that has itself caused cross-site leaks; OWASP: omit it or set 0.") { Target = "X-XSS-Protection", Observed = xss, Remediation = "ctx.Response.Headers.XXSSProtection = \"0\"; (or stop setting it)" };
        }
    }

    private static string RemovalHint(string name) => name switch
    {
        "X-Powered-By" => "IIS: <httpProtocol><customHeaders><remove name=\"X-Powered-By\" /></customHeaders></httpProtocol> in web.config; elsewhere remove it at the proxy.",
        "X-AspNet-Version" => "<httpRuntime enableVersionHeader=\"false\" /> in web.config.",
        "X-AspNetMvc-Version" => "MvcHandler.DisableMvcResponseHeader = true; in Application_Start.",
        _ => $"Stop sending {name} (remove it where it is added, or strip it at the proxy).",
    };

    private static IEnumerable<Finding> Owasp(ProbeResponse r, IReadOnlyList<ObservatoryTest> observatory)
    {
        Finding Require(string code, string message, string? observed, string fix, FindingSeverity severity = FindingSeverity.Error)
            => new("owasp." + code, severity, message) { Observed = observed, Remediation = fix };

        if (r.IsHttps)
        {
            var value = r.Header("Strict-Transport-Security");
            var hsts = value is null ? null : StrictTransportSecurity.Parse(value);
            if (hsts is null || hsts.Error is not null || hsts.MaxAge < 31_536_000 || !hsts.IncludeSubDomains)
            {
                yield return Require("hsts", "OWASP recommends Strict-Transport-Security: max-age=31536000; includeSubDomains.", value, "builder.Services.AddHsts(o => { o.MaxAge = TimeSpan.FromDays(365); o.IncludeSubDomains = true; }); app.UseHsts();") with { Target = "Strict-Transport-Security" };
            }
        }

        var csp = ContentSecurityPolicy.Parse(r.All("Content-Security-Policy"));
        if (r.All("Content-Security-Policy").Count == 0 || csp.Error is not null)
        {
            yield return Require("csp", "OWASP recommends a Content-Security-Policy such as default-src 'self'; form-action 'self'; object-src 'none'; frame-ancestors 'none'.", r.Header("Content-Security-Policy"), "ctx.Response.Headers.ContentSecurityPolicy = \"default-src 'self'; form-action 'self'; object-src 'none'; frame-ancestors 'none'; upgrade-insecure-requests\";") with { Target = "Content-Security-Policy" };
        }

        if (!string.Equals(r.Header("X-Content-Type-Options")?.Trim(), "nosniff", StringComparison.OrdinalIgnoreCase))
        {
            yield return Require("x-content-type-options", "OWASP recommends X-Content-Type-Options: nosniff.", r.Header("X-Content-Type-Options"), "ctx.Response.Headers.XContentTypeOptions = \"nosniff\";") with { Target = "X-Content-Type-Options" };
        }

        var xfo = r.Header("X-Frame-Options")?.Trim().ToLowerInvariant();
        var ancestorsDenied = csp.Error is null && csp.Policies.Any(p => p.TryGetValue("frame-ancestors", out var a) && a.All(s => s is "'none'" or "'self'"));
        if (xfo is not ("deny" or "sameorigin") && !ancestorsDenied)
        {
            yield return Require("framing", "OWASP recommends X-Frame-Options: deny, or CSP frame-ancestors 'none'.", r.Header("X-Frame-Options"), "ctx.Response.Headers.XFrameOptions = \"DENY\";") with { Target = "X-Frame-Options" };
        }

        // The Observatory test already found the effective policy (header and <meta>, last recognised token).
        if (observatory.Single(t => t.Test == "referrer-policy").Result != "referrer-policy-private")
        {
            yield return Require("referrer-policy", "OWASP recommends Referrer-Policy: no-referrer (or another that keeps paths private).", r.Header("Referrer-Policy"), "ctx.Response.Headers[\"Referrer-Policy\"] = \"no-referrer\";") with { Target = "Referrer-Policy" };
        }

        foreach (var (header, expected, fix) in new[]
                 {
                     ("Permissions-Policy", (string?)null, "ctx.Response.Headers[\"Permissions-Policy\"] = \"camera=(), geolocation=(), microphone=(), payment=(), usb=()\";"),
                     ("Cross-Origin-Opener-Policy", "same-origin", "ctx.Response.Headers[\"Cross-Origin-Opener-Policy\"] = \"same-origin\";"),
                     ("Cross-Origin-Embedder-Policy", "require-corp", "ctx.Response.Headers[\"Cross-Origin-Embedder-Policy\"] = \"require-corp\";"),
                     ("Cross-Origin-Resource-Policy", "same-origin", "ctx.Response.Headers[\"Cross-Origin-Resource-Policy\"] = \"same-origin\";"),
                     ("X-Permitted-Cross-Domain-Policies", "none", "ctx.Response.Headers[\"X-Permitted-Cross-Domain-Policies\"] = \"none\";"),
                 })
        {
            var value = r.Header(header);
            if (value is null || (expected is not null && !string.Equals(value.Trim(), expected, StringComparison.OrdinalIgnoreCase)))
            {
                yield return Require(header.ToLowerInvariant(), expected is null ? $"OWASP recommends {header}." : $"OWASP recommends {header}: {expected}.", value, fix, FindingSeverity.Warning) with { Target = header };
            }
        }
    }

    private IEnumerable<Finding> CustomRules(ProbeResponse r)
    {
        foreach (var header in options.RequiredHeaders.Where(h => r.Header(h) is null))
        {
            yield return new Finding(SecurityHeadersGateConstants.HeaderRequiredMissing, FindingSeverity.Error,
                $"The required header {header} is missing.") { Target = header };
        }

        foreach (var header in options.ForbiddenHeaders.Where(h => r.Header(h) is not null))
        {
            yield return new Finding(SecurityHeadersGateConstants.HeaderForbiddenPresent, FindingSeverity.Error,
                $"The forbidden header {header} is present.") { Target = header, Observed = IO.Redaction.ShownHeaderValue(header, r.Header(header)) };
        }

        foreach (var (header, pattern) in options.RequiredHeaderValues)
        {
            var value = r.Header(header);
            if (value is null || !Regex.IsMatch(value, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
            {
                yield return new Finding(SecurityHeadersGateConstants.HeaderValueMismatch, FindingSeverity.Error,
                    value is null ? $"{header} is missing; it must match /{pattern}/."
                    : $"{header} does not match /{pattern}/.") { Target = header, Observed = IO.Redaction.ShownHeaderValue(header, value) };
            }
        }
    }

    [GeneratedRegex(@"\d", RegexOptions.CultureInvariant)]
    private static partial Regex ServerVersion();
}
