using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ReleaseGates.IntegrationTests.Support;

namespace ReleaseGates.IntegrationTests.Gates.SecurityHeaders;

/// <summary>
/// Real Kestrel servers on 127.0.0.1 (https with a self-signed certificate, and plain http), one header set per path. Each
/// expected score is worked out by hand from the Observatory v1.6.3 tables (docs/gates/security-headers.md), not by our code:
/// uncurved = 100 + negative modifiers; if uncurved ≥ 90 the positive ones are added; grade by the chart.
/// </summary>
public sealed class SecurityHeadersGateTests : IAsyncLifetime
{
    private const string Good = "default-src 'none'; frame-ancestors 'none'; form-action 'none'";
    private static readonly Dictionary<string, (string Name, string Value)[]> Sets = new()
    {
        ["defaults"] = [],
        ["full"] = [("Content-Security-Policy", Good), ("Strict-Transport-Security", "max-age=31536000; includeSubDomains"), ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"), ("Cross-Origin-Resource-Policy", "same-origin")],
        ["unsafe-inline"] = [("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'"), ("Strict-Transport-Security", "max-age=31536000"), ("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"), ("Referrer-Policy", "strict-origin-when-cross-origin")],
        ["short-hsts"] = [("Content-Security-Policy", "default-src 'self'"), ("Strict-Transport-Security", "max-age=86400"), ("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "SAMEORIGIN")],
        ["quoted-hsts"] = [("Content-Security-Policy", "default-src 'self'"), ("Strict-Transport-Security", "max-age=\"31536000\""), ("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY")],
        ["report-only"] = [("Content-Security-Policy-Report-Only", "default-src 'self'"), ("Strict-Transport-Security", "max-age=31536000")],
        ["session-cookie"] = [("Content-Security-Policy", "default-src 'self'"), ("Strict-Transport-Security", "max-age=31536000"), ("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"), ("Set-Cookie", "sessionid=abc; Path=/")],
        ["good-cookie"] = [("Content-Security-Policy", "default-src 'self'"), ("Strict-Transport-Security", "max-age=31536000"), ("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"), ("Referrer-Policy", "same-origin"), ("Cross-Origin-Resource-Policy", "same-site"), ("Set-Cookie", "sessionid=abc; Path=/; Secure; HttpOnly; SameSite=Lax")],
        ["weak-mix"] = [("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-eval'"), ("Strict-Transport-Security", "max-age=31536000"), ("X-Content-Type-Options", "yes"), ("X-Frame-Options", "ALLOW-FROM https://example.com"), ("Referrer-Policy", "unsafe-url")],
        ["malformed"] = [("Content-Security-Policy", "default-src 'self'; default-src 'none'"), ("Strict-Transport-Security", "max-age=abc"), ("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "sometimes")],
        ["isolated"] = [("Content-Security-Policy", Good), ("Strict-Transport-Security", "max-age=31536000"), ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"), ("Cross-Origin-Resource-Policy", "same-origin"), ("Cross-Origin-Opener-Policy", "same-origin"), ("Cross-Origin-Embedder-Policy", "require-corp")],
        ["isolation-invalid"] = [("Content-Security-Policy", Good), ("Strict-Transport-Security", "max-age=31536000"), ("X-Content-Type-Options", "nosniff"), ("Cross-Origin-Opener-Policy", "same-site"), ("Cross-Origin-Embedder-Policy", "unsafe-none")],
        ["disclosure"] = [("Content-Security-Policy", Good), ("Strict-Transport-Security", "max-age=31536000"), ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"), ("X-Powered-By", "ASP.NET"), ("X-AspNet-Version", "4.0.30319"), ("X-XSS-Protection", "1; mode=block")],
    };

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private LoopbackApp _app = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _app = await LoopbackApp.StartAsync(
            app =>
            {
                app.MapGet("/set/{name}", (string name, HttpContext ctx) =>
                {
                    foreach (var (header, value) in Sets[name])
                    {
                        ctx.Response.Headers.Append(header, value);
                    }

                    return Results.Text("ok");
                });
                app.MapMethods("/cors", ["GET", "OPTIONS"], (HttpContext ctx) =>
                {
                    // The classic mistake: SetIsOriginAllowed(_ => true) with AllowCredentials() echoes any origin.
                    foreach (var (header, value) in Sets["full"])
                    {
                        ctx.Response.Headers.Append(header, value);
                    }

                    if (ctx.Request.Method == "OPTIONS" && ctx.Request.Headers.Origin is { Count: > 0 } origin)
                    {
                        ctx.Response.Headers.AccessControlAllowOrigin = origin;
                        ctx.Response.Headers.AccessControlAllowCredentials = "true";
                    }

                    return Results.Text("ok");
                });
                app.MapGet("/cors-get", (HttpContext ctx) =>
                {
                    foreach (var (header, value) in Sets["full"])
                    {
                        ctx.Response.Headers.Append(header, value);
                    }

                    // Reflects on GET only; the preflight gets nothing.
                    if (ctx.Request.Headers.Origin is { Count: > 0 } origin)
                    {
                        ctx.Response.Headers.AccessControlAllowOrigin = origin;
                        ctx.Response.Headers.AccessControlAllowCredentials = "true";
                    }

                    return Results.Text("ok");
                });
                app.MapGet("/secure-cookie-over-http", (HttpContext ctx) =>
                {
                    ctx.Response.Headers.Append("Set-Cookie", "sessionid=abc; Path=/; Secure; HttpOnly; SameSite=Lax");
                    return Results.Text("ok");
                });
                app.MapGet("/commented-scripts", (HttpContext ctx) =>
                {
                    foreach (var (header, value) in Sets["full"])
                    {
                        ctx.Response.Headers.Append(header, value);
                    }

                    return Results.Content(
                        "<html><head><!-- <script src=\"http://evil.example/x.js\"></script> --><script>var s = '<script src=\"http://evil.example/y.js\"><\\/script>';</script>"
                        + "<textarea><script src=http://evil.example/z.js></script></textarea><script src=\"/app.js\"></script></head></html>",
                        "text/html");
                });
                app.MapGet("/page", (HttpContext ctx) =>
                {
                    foreach (var (header, value) in Sets["full"])
                    {
                        ctx.Response.Headers.Append(header, value);
                    }

                    return Results.Content("<html><head><script src=\"/app.js\"></script><script src=\"https://cdn.example.com/lib.js\"></script></head></html>", "text/html");
                });
                app.MapGet("/meta", (HttpContext ctx) =>
                {
                    ctx.Response.Headers.StrictTransportSecurity = "max-age=31536000";
                    ctx.Response.Headers.XContentTypeOptions = "nosniff";
                    return Results.Content("<!doctype html><html><head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; frame-ancestors 'none'\"></head><body>hi</body></html>", "text/html");
                });
                app.MapGet("/meta-referrer", (HttpContext ctx) =>
                {
                    ctx.Response.Headers["Referrer-Policy"] = "unsafe-url";
                    return Results.Content("<html><head><meta name=\"referrer\" content=\"no-referrer\"></head></html>", "text/html");
                });
                app.MapGet("/to-https", (HttpContext ctx) => ctx.Request.IsHttps ? Results.Text("not here") : Results.Redirect(_app.HttpsAddress! + "set/full"));
                app.MapGet("/broken", () => Results.StatusCode(500));
                app.MapGet("/to-other-host", () => Results.Redirect("https://localhost:1/set/full"));
            },
            _ct,
            https: true);
        _client = _app.CreateTrustingClient();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    [Theory]
    // ASP.NET Core's defaults (Server: Kestrel only): CSP −25, HSTS −20, XCTO −5, XFO −20 → 100−70 = 30 → D.
    [InlineData("defaults", 30, "D")]
    // CSP default-src 'none' +10, XFO via frame-ancestors +5, Referrer no-referrer +5, CORP +10, HSTS 0, XCTO 0 → 100, ≥ 90 → 130 → A+.
    [InlineData("full", 130, "A+")]
    // CSP unsafe-inline −20 → uncurved 80 < 90, bonuses (XFO +5, Referrer +5) not added → 80 → B+.
    [InlineData("unsafe-inline", 80, "B+")]
    // HSTS < six months −10 → uncurved 90 ≥ 90 → 100 −10 + CSP +5 + XFO +5 = 100 → A+.
    [InlineData("short-hsts", 100, "A+")]
    // Quoted max-age is invalid here (Observatory would call it ≥ six months): HSTS −20 → 80 → B+.
    [InlineData("quoted-hsts", 80, "B+")]
    // Report-only CSP −25, XCTO −5, XFO −20 → 50 → C.
    [InlineData("report-only", 50, "C")]
    // Session cookie without Secure (HSTS protects: −10) and without HttpOnly (−30): worst −30 → 70 → B.
    [InlineData("session-cookie", 70, "B")]
    // Cookies Secure+HttpOnly+SameSite +5, CSP +5, XFO +5, Referrer +5, CORP same-site +10 → 100 → 130 → A+.
    [InlineData("good-cookie", 130, "A+")]
    // CSP unsafe-eval −10, XCTO invalid −5, XFO ALLOW-FROM 0, Referrer unsafe-url −5 → 80 → B+.
    [InlineData("weak-mix", 80, "B+")]
    // CSP duplicate directive −25, HSTS max-age=abc −20, XFO invalid −20 → 35 → D.
    [InlineData("malformed", 35, "D")]
    // Same as "full" without CORP: 100 + 10 + 5 + 5 = 120 → A+ (disclosure headers do not change the score).
    [InlineData("disclosure", 120, "A+")]
    public async Task Scores_and_grades_each_header_set_as_worked_out_by_hand(string set, int score, string grade)
    {
        var gate = await EvaluateAsync(o => { o.Url = new Uri(_app.HttpsAddress!, $"set/{set}"); o.CheckHttpRedirect = false; o.MinimumGrade = null; });

        Assert.Equal(score, gate.Measurements.Single(m => m.Name == "score").Value);
        Assert.Equal(grade, MetricUnitFormat.Format(gate.Measurements.Single(m => m.Name == "grade").Value, MetricUnit.Grade));
    }

    [Theory]
    // Algorithm 5 ignores COOP and COEP: "full" again, 130. Algorithm 6: COOP same-origin +10, COEP require-corp +10 → 150.
    [InlineData("isolated", ObservatoryAlgorithm.Version5, 130)]
    [InlineData("isolated", ObservatoryAlgorithm.Version6, 150)]
    // CSP +10, XFO via CSP +5, no Referrer-Policy 0, no CORP 0 → 115 under 5. Under 6: COOP same-site is invalid −5,
    // COEP unsafe-none 0 → uncurved 95 ≥ 90 → 100 − 5 + 15 = 110.
    [InlineData("isolation-invalid", ObservatoryAlgorithm.Version5, 115)]
    [InlineData("isolation-invalid", ObservatoryAlgorithm.Version6, 110)]
    public async Task Algorithm_6_scores_cross_origin_isolation(string set, ObservatoryAlgorithm algorithm, int score)
    {
        var gate = await EvaluateAsync(o => { o.Url = new Uri(_app.HttpsAddress!, $"set/{set}"); o.CheckHttpRedirect = false; o.Algorithm = algorithm; });

        Assert.Equal(score, gate.Measurements.Single(m => m.Name == "score").Value);
        Assert.Equal(algorithm == ObservatoryAlgorithm.Version6 ? 14 : 12, gate.Measurements.Count);   // score, grade and one per test
    }

    [Fact]
    public async Task Fails_below_the_minimum_grade_and_warns_below_the_warning_grade()
    {
        var failed = await EvaluateAsync(o => { o.Url = new Uri(_app.HttpsAddress!, "set/defaults"); o.CheckHttpRedirect = false; o.MinimumGrade = "B"; });
        var warned = await EvaluateAsync(o => { o.Url = new Uri(_app.HttpsAddress!, "set/unsafe-inline"); o.CheckHttpRedirect = false; o.MinimumGrade = "B"; o.WarningGrade = "A"; });
        var passed = await EvaluateAsync(o => { o.Url = new Uri(_app.HttpsAddress!, "set/full"); o.CheckHttpRedirect = false; o.MinimumGrade = "A+"; });

        Assert.Equal(GateStatus.Failed, failed.Status);
        Assert.Equal("grade >= B", failed.Measurements.Single(m => m.Name == "grade").Condition!.ToString());
        Assert.Equal("grade >= B warn A", warned.Measurements.Single(m => m.Name == "grade").Condition!.ToString());
        Assert.Equal("D", MetricUnitFormat.Format(failed.Measurements.Single(m => m.Name == "grade").Value, MetricUnit.Grade));
        Assert.Equal(GateStatus.Warning, warned.Status);
        Assert.Equal(GateStatus.Passed, passed.Status);
    }

    [Fact]
    public async Task Every_weakness_names_the_value_seen_and_the_aspnetcore_fix()
    {
        var gate = await EvaluateAsync(o => { o.Url = new Uri(_app.HttpsAddress!, "set/quoted-hsts"); o.CheckHttpRedirect = false; });

        var hsts = Assert.Single(gate.Findings, f => f.Code == "hsts-header-invalid");
        Assert.Equal("max-age=\"31536000\"", hsts.Observed);
        Assert.Contains("app.UseHsts()", hsts.Remediation, StringComparison.Ordinal);
        Assert.Contains(gate.Findings, f => f.Code == "disclosure.server" && f.Observed == "Kestrel" && f.Remediation!.Contains("AddServerHeader = false", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reports_disclosure_headers_and_an_enabled_xss_filter()
    {
        var gate = await EvaluateAsync(o => { o.Url = new Uri(_app.HttpsAddress!, "set/disclosure"); o.CheckHttpRedirect = false; });

        Assert.Equal(GateStatus.Warning, gate.Status);
        Assert.Equal(["disclosure.server", "disclosure.x-aspnet-version", "disclosure.x-powered-by", "x-xss-protection-enabled"], gate.Findings.Select(f => f.Code).Order());
        Assert.Equal("4.0.30319", gate.Findings.Single(f => f.Code == "disclosure.x-aspnet-version").Observed);
    }

    [Fact]
    public async Task Owasp_profile_requires_the_recommended_values()
    {
        var gate = await EvaluateAsync(o => { o.Url = new Uri(_app.HttpsAddress!, "set/unsafe-inline"); o.CheckHttpRedirect = false; o.Profile = SecurityHeadersProfile.Owasp; o.MinimumGrade = null; });

        Assert.Equal(GateStatus.Failed, gate.Status);
        var errors = gate.Findings.Where(f => f.Severity == FindingSeverity.Error).Select(f => f.Code).ToList();
        Assert.Equal(["owasp.hsts"], errors); // max-age=31536000 without includeSubDomains
        Assert.Contains(gate.Findings, f => f.Code == "owasp.permissions-policy" && f.Severity == FindingSeverity.Warning);
        Assert.Contains(gate.Findings, f => f.Code == "disclosure.server" && f.Severity == FindingSeverity.Warning);
    }

    [Fact]
    public async Task Cors_preflight_that_echoes_any_origin_with_credentials_costs_fifty_points()
    {
        var gate = await EvaluateAsync(o => { o.Url = new Uri(_app.HttpsAddress!, "cors"); o.CheckHttpRedirect = false; o.MinimumGrade = "B"; });

        // "full" headers 130, but CORS −50 → uncurved 50 < 90 → 50 → C.
        Assert.Equal(50, gate.Measurements.Single(m => m.Name == "score").Value);
        Assert.Equal(GateStatus.Failed, gate.Status);
        var cors = Assert.Single(gate.Findings, f => f.Code == "cross-origin-resource-sharing-implemented-with-universal-access");
        Assert.Contains("OPTIONS with Origin: https://releasegates-probe.invalid → Access-Control-Allow-Origin: https://releasegates-probe.invalid, Access-Control-Allow-Credentials: true", cors.Observed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cors_on_a_plain_get_only_is_not_scored_as_the_scanner_reads_the_preflight_but_the_owasp_profile_fails_it()
    {
        var observatory = await EvaluateAsync(o => { o.Url = new Uri(_app.HttpsAddress!, "cors-get"); o.CheckHttpRedirect = false; });
        Assert.Equal(130, observatory.Measurements.Single(m => m.Name == "score").Value);
        Assert.Equal("cross-origin-resource-sharing-not-implemented", observatory.Measurements.Single(m => m.Name == "cross-origin-resource-sharing").Target);

        var owasp = await EvaluateAsync(o => { o.Url = new Uri(_app.HttpsAddress!, "cors-get"); o.CheckHttpRedirect = false; o.Profile = SecurityHeadersProfile.Owasp; });
        Assert.Equal(130, owasp.Measurements.Single(m => m.Name == "score").Value);   // the same score: the stricter view is a finding
        Assert.Contains(owasp.Findings, f => f.Code == "owasp.cors-get-reflects-origin" && f.Severity == FindingSeverity.Error);
    }

    [Fact]
    public async Task A_required_or_forbidden_cookie_header_shows_its_attributes_but_never_the_cookie_value()
    {
        var gate = await EvaluateAsync(o =>
        {
            o.Url = new Uri(_app.HttpsAddress!, "set/session-cookie");
            o.CheckHttpRedirect = false;
            o.MinimumGrade = null;
            o.RequiredHeaderValues["Set-Cookie"] = "HttpOnly";
            o.ForbiddenHeaders.Add("Set-Cookie");
        });

        var mismatch = Assert.Single(gate.Findings, f => f.Code == SecurityHeadersGateConstants.HeaderValueMismatch);
        Assert.Equal("sessionid=***; Path=/", mismatch.Observed);
        var forbidden = Assert.Single(gate.Findings, f => f.Code == SecurityHeadersGateConstants.HeaderForbiddenPresent);
        Assert.Equal("sessionid=***; Path=/", forbidden.Observed);
        Assert.DoesNotContain("abc", System.Text.Json.JsonSerializer.Serialize(gate.Findings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secure_cookie_over_plain_http_costs_nothing_as_for_the_scanner_but_fails_the_owasp_profile()
    {
        var observatory = await EvaluateAsync(o => { o.Url = new Uri(_app.BaseAddress, "secure-cookie-over-http"); o.CheckHttpRedirect = false; o.MinimumGrade = null; });
        Assert.Equal("cookies-secure-with-httponly-sessions-and-samesite", observatory.Measurements.Single(m => m.Name == "cookies").Target);

        var owasp = await EvaluateAsync(o => { o.Url = new Uri(_app.BaseAddress, "secure-cookie-over-http"); o.CheckHttpRedirect = false; o.MinimumGrade = null; o.Profile = SecurityHeadersProfile.Owasp; });
        var finding = Assert.Single(owasp.Findings, f => f.Code == "owasp.cookies-over-http");
        Assert.Equal("sessionid", finding.Observed);
    }

    [Fact]
    public async Task Scripts_inside_comments_and_script_text_are_not_scripts()
    {
        var gate = await EvaluateAsync(o => { o.Url = new Uri(_app.HttpsAddress!, "commented-scripts"); o.CheckHttpRedirect = false; });
        Assert.Equal("sri-not-implemented-but-all-scripts-loaded-from-secure-origin", gate.Measurements.Single(m => m.Name == "subresource-integrity").Target);
        Assert.Equal(130, gate.Measurements.Single(m => m.Name == "score").Value);
    }

    [Fact]
    public async Task Follows_the_http_redirect_hop_by_hop()
    {
        var toHttps = await EvaluateAsync(o => { o.Url = new Uri(_app.HttpsAddress!, "set/full"); o.HttpUrl = new Uri(_app.BaseAddress, "to-https"); });
        var noRedirect = await EvaluateAsync(o => { o.Url = new Uri(_app.HttpsAddress!, "set/full"); o.HttpUrl = new Uri(_app.BaseAddress, "set/full"); });
        var offHost = await EvaluateAsync(o => { o.Url = new Uri(_app.HttpsAddress!, "set/full"); o.HttpUrl = new Uri(_app.BaseAddress, "to-other-host"); o.Probe.MaximumRetries = 0; });

        Assert.Equal("redirection-to-https", toHttps.Measurements.Single(m => m.Name == "redirection").Target);
        Assert.Equal(130, toHttps.Measurements.Single(m => m.Name == "score").Value);
        // No redirect −20 → uncurved 80 → 80 → B+.
        Assert.Equal("redirection-missing", noRedirect.Measurements.Single(m => m.Name == "redirection").Target);
        Assert.Equal(80, noRedirect.Measurements.Single(m => m.Name == "score").Value);
        var hop = Assert.Single(noRedirect.Findings, f => f.Code == "redirection-missing");
        Assert.StartsWith($"200 {_app.BaseAddress}set/full", hop.Observed);
        // The first hop leaves the host (to localhost, where nothing listens): −5 → uncurved 95 → 125.
        Assert.Equal("redirection-off-host-from-http", offHost.Measurements.Single(m => m.Name == "redirection").Target);
    }

    [Fact]
    public async Task A_plain_http_site_scores_no_https_and_no_redirect()
    {
        var gate = await EvaluateAsync(o => { o.Url = new Uri(_app.BaseAddress, "set/defaults"); o.MinimumGrade = null; });

        // CSP −25, HSTS (no https) −20, XCTO −5, XFO −20, redirection missing −20 → 10 → F.
        Assert.Equal(10, gate.Measurements.Single(m => m.Name == "score").Value);
        Assert.Equal("F", MetricUnitFormat.Format(gate.Measurements.Single(m => m.Name == "grade").Value, MetricUnit.Grade));
        Assert.Equal("hsts-not-implemented-no-https", gate.Measurements.Single(m => m.Name == "strict-transport-security").Target);
    }

    [Fact]
    public async Task External_scripts_without_integrity_cost_five_points()
    {
        var gate = await EvaluateAsync(o => { o.Url = new Uri(_app.HttpsAddress!, "page"); o.CheckHttpRedirect = false; });

        // "full" (130) with SRI −5: uncurved 95 ≥ 90 → 100 − 5 + 30 = 125 → A+.
        Assert.Equal("sri-not-implemented-but-external-scripts-loaded-securely", gate.Measurements.Single(m => m.Name == "subresource-integrity").Target);
        Assert.Equal(125, gate.Measurements.Single(m => m.Name == "score").Value);
    }

    [Fact]
    public async Task A_meta_policy_counts_as_csp_but_its_frame_ancestors_does_not_protect_against_framing()
    {
        var gate = await EvaluateAsync(o => { o.Url = new Uri(_app.HttpsAddress!, "meta"); o.CheckHttpRedirect = false; o.MinimumGrade = null; });

        // CSP from <meta> default-src 'self' +5; frame-ancestors is ignored in <meta>, so XFO is missing −20;
        // HSTS 0, XCTO 0, no scripts 0 → uncurved 80 → 80 → B+. (Observatory counts the meta frame-ancestors: 110.)
        Assert.Equal("csp-implemented-with-no-unsafe", gate.Measurements.Single(m => m.Name == "content-security-policy").Target);
        Assert.Equal("x-frame-options-not-implemented", gate.Measurements.Single(m => m.Name == "x-frame-options").Target);
        Assert.Equal(80, gate.Measurements.Single(m => m.Name == "score").Value);
    }

    [Fact]
    public async Task Takes_its_client_from_the_applications_IHttpClientFactory()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("release-gates").ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == _app.CertificateThumbprint },
        });
        services.AddReleaseGates(gates => gates.AddSecurityHeaders("headers", o =>
        {
            o.Url = new Uri(_app.HttpsAddress!, "set/full");
            o.CheckHttpRedirect = false;
            o.Probe.CreateHttpClient = sp => sp.GetRequiredService<IHttpClientFactory>().CreateClient("release-gates");
        }));
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<IReleaseGateEvaluator>().EvaluateAsync(cancellationToken: _ct);

        Assert.Equal(130, report.Gates.Single().Measurements.Single(m => m.Name == "score").Value);
    }

    [Fact]
    public async Task An_error_page_is_an_error_not_a_grade()
    {
        var gate = await EvaluateAsync(o => { o.Url = new Uri(_app.HttpsAddress!, "broken"); o.CheckHttpRedirect = false; o.Probe.MaximumRetries = 0; });

        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.StartsWith($"{_app.HttpsAddress!}broken answered 500", gate.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_meta_referrer_after_the_header_wins_like_in_browsers()
    {
        var gate = await EvaluateAsync(o => { o.Url = new Uri(_app.HttpsAddress!, "meta-referrer"); o.CheckHttpRedirect = false; o.MinimumGrade = null; });

        // Header unsafe-url, then <meta> no-referrer: the last recognised token, no-referrer, is private (+5).
        Assert.Equal("referrer-policy-private", gate.Measurements.Single(m => m.Name == "referrer-policy").Target);
        Assert.Equal(5, gate.Measurements.Single(m => m.Name == "referrer-policy").Value);
    }

    [Fact]
    public async Task Unreachable_untrusted_or_unknown_hosts_are_errors_not_failures()
    {
        var closed = new Uri($"http://127.0.0.1:{Ports.Free()}/");
        var report = await ReleaseGate.CreateBuilder()
            .AddSecurityHeaders("refused", o => { o.Url = closed; o.Probe.MaximumRetries = 1; o.Probe.RetryDelay = TimeSpan.FromMilliseconds(10); })
            .AddSecurityHeaders("untrusted-certificate", o => { o.Url = new Uri(_app.HttpsAddress!, "set/full"); o.Probe.MaximumRetries = 0; })
            .AddSecurityHeaders("dns", o => { o.Url = new Uri("http://releasegates-no-such-host.invalid/"); o.Probe.MaximumRetries = 0; })
            .EvaluateAsync(_ct);

        Assert.All(report.Gates, g => Assert.Equal(GateStatus.Error, g.Status));
        Assert.Contains("connection failed", report.FindGate("refused")!.Summary, StringComparison.Ordinal);
        Assert.Contains("(2 attempts)", report.FindGate("refused")!.Summary, StringComparison.Ordinal);
        Assert.Contains("TLS handshake failed", report.FindGate("untrusted-certificate")!.Summary, StringComparison.Ordinal);
        Assert.Contains("DNS lookup failed", report.FindGate("dns")!.Summary, StringComparison.Ordinal);
    }

    private async Task<GateReport> EvaluateAsync(Action<SecurityHeadersGateOptions> configure)
    {
        var report = await ReleaseGate.CreateBuilder()
            .AddSecurityHeaders("headers", o =>
            {
                o.Probe.HttpClient = _client;
                configure(o);
            })
            .EvaluateAsync(_ct);
        return report.Gates.Single();
    }
}
