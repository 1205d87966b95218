using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using ReleaseGates.IntegrationTests.Support;

namespace ReleaseGates.IntegrationTests.Gates.SmokeTests;

/// <summary>The smoke-endpoint gate against a real Kestrel app on 127.0.0.1.</summary>
public sealed class SmokeTestsGateTests : IAsyncLifetime
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private LoopbackApp _app = null!;
    private int _flakyCalls;

    public async ValueTask InitializeAsync() => _app = await LoopbackApp.StartAsync(
        app =>
        {
            app.MapGet("/api/health", () => Results.Json(new { status = "Healthy", checks = new[] { new { name = "db", ms = 3 } } }));
            app.MapGet("/api/download/{id}", (int id) => id == 7 ? Results.Json(new { id, url = "/files/7.zip" }) : Results.NotFound());
            app.MapGet("/slow", async () => { await Task.Delay(400); return Results.Text("late"); });
            app.MapGet("/hang", async (CancellationToken token) => { await Task.Delay(TimeSpan.FromSeconds(30), token); return Results.Text("never"); });
            app.MapGet("/old", () => Results.Redirect("/api/health", permanent: true));
            app.MapGet("/big", () => Results.Text(new string('x', 100_000) + "needle"));
            app.MapGet("/flaky", () => Interlocked.Increment(ref _flakyCalls) == 1 ? Results.StatusCode(503) : Results.Text("ok"));
            app.MapPost("/api/echo", async (HttpRequest r) => Results.Text(await new StreamReader(r.Body).ReadToEndAsync(), "application/json"));
            app.MapGet("/loop", () => Results.Redirect("/loop"));
            app.MapPost("/form", () => Results.Redirect("/api/health", permanent: false, preserveMethod: false));
            app.MapGet("/versioned", (HttpContext ctx) => { ctx.Response.Headers["X-Api-Version"] = "2"; return Results.Text("v2"); });
            app.MapPost("/api/login", () => Results.Json(new { access_token = "s3cr3t-t0ken-9f8e", expires_in = 3600 }));
            app.MapPost("/api/orders", (HttpContext ctx) => ctx.Request.Headers.Authorization == "Bearer s3cr3t-t0ken-9f8e"
                ? Results.Json(new { id = 4711, items = new[] { "A-1" } }, statusCode: 201)
                : Results.StatusCode(401));
            app.MapGet("/api/orders/{id}", (int id, HttpContext ctx) => ctx.Request.Headers.Authorization == "Bearer s3cr3t-t0ken-9f8e" && id == 4711
                ? Results.Json(new { id, state = "open", total = 12.5, paid = false, note = (string?)null })
                : Results.NotFound());
            app.MapGet("/api/cors", (HttpContext ctx) => { ctx.Response.Headers.AccessControlAllowOrigin = "*"; ctx.Response.Headers.SetCookie = "session=abc123secret"; return Results.Text("ok"); });
        },
        _ct);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Passes_when_every_endpoint_meets_its_expectations_each_check_a_measurement()
    {
        var gate = await EvaluateAsync(o =>
        {
            o.Requests.Add(SmokeRequest.Get("api/health").ExpectStatus(200).ExpectContentType("application/json").ExpectJson("$.status", "Healthy").ExpectJson("$.checks[0].ms", "3").ExpectLatencyBelow(TimeSpan.FromSeconds(5)));
            o.Requests.Add(SmokeRequest.Get("api/download/7").ExpectJson("url", "\"/files/7.zip\"").ExpectBodyContains("7.zip"));
            o.Requests.Add(SmokeRequest.Get("old").Named("moved health").ExpectJson("$.status", "Healthy"));
            o.Requests.Add(SmokeRequest.Send(HttpMethod.Post, "api/echo", "{\"a\":[1,2]}").ExpectJson("$.a[1]", "2"));
            o.Requests.Add(SmokeRequest.Get("versioned").ExpectHeader("X-Api-Version"));
        });

        Assert.True(gate.Status == GateStatus.Passed, string.Join("\n", gate.Measurements.Select(m => $"{m.Name} {m.Status} {m.Target}")));
        Assert.Equal(5 + 4 + 3 + 3 + 3, gate.Measurements.Count); // status and latency for each, plus one per expectation
        Assert.Equal("expected 200 (after 301 → 200)", gate.Measurements.Single(m => m.Name == "moved health status").Target);
    }

    [Fact]
    public async Task Fails_on_a_404_download_a_wrong_json_value_and_a_slow_endpoint()
    {
        var gate = await EvaluateAsync(o =>
        {
            o.Requests.Add(SmokeRequest.Get("api/download/8").ExpectContentType("application/json"));
            o.Requests.Add(SmokeRequest.Get("api/health").ExpectJson("$.status", "Degraded").ExpectJson("$.missing", "1"));
            o.Requests.Add(SmokeRequest.Get("slow").ExpectLatencyBelow(TimeSpan.FromMilliseconds(200)));
        });

        Assert.Equal(GateStatus.Failed, gate.Status);
        var failed = gate.Measurements.Where(m => m.Status == GateStatus.Failed).ToDictionary(m => m.Name, m => m.Target);
        Assert.Equal("expected 200", failed["GET api/download/8 status"]);
        Assert.Equal("expected application/json, was (none)", failed["GET api/download/8 content type"]);
        Assert.Equal("was \"Healthy\"", failed["GET api/health $.status == Degraded"]);
        Assert.Equal("$.missing does not exist", failed["GET api/health $.missing == 1"]);
        Assert.True(gate.Measurements.Single(m => m.Name == "GET slow latency").Value >= 380);
        Assert.Equal(GateStatus.Failed, gate.Measurements.Single(m => m.Name == "GET slow latency").Status);
    }

    [Fact]
    public async Task Reads_bodies_only_up_to_the_cap()
    {
        var gate = await EvaluateAsync(o =>
        {
            o.Probe.MaximumBodyBytes = 1000;
            o.Requests.Add(SmokeRequest.Get("big").ExpectBodyContains("needle"));
        });

        var check = gate.Measurements.Single(m => m.Name == "GET big body contains \"needle\"");
        Assert.Equal(GateStatus.Failed, check.Status);
        Assert.Equal("first 1000 bytes read", check.Target);
    }

    [Fact]
    public async Task Retries_a_transient_503_with_the_polly_pipeline()
    {
        var gate = await EvaluateAsync(o =>
        {
            o.Probe.RetryDelay = TimeSpan.FromMilliseconds(20);
            o.Requests.Add(SmokeRequest.Get("flaky").ExpectBodyContains("ok"));
        });

        Assert.Equal(GateStatus.Passed, gate.Status);
        Assert.Equal(2, _flakyCalls);
    }

    [Fact]
    public async Task An_endpoint_that_never_answers_in_time_is_an_error_after_the_retries()
    {
        var gate = await EvaluateAsync(o =>
        {
            o.Probe.AttemptTimeout = TimeSpan.FromMilliseconds(500);
            o.Probe.MaximumRetries = 1;
            o.Probe.RetryDelay = TimeSpan.FromMilliseconds(10);
            o.Requests.Add(SmokeRequest.Get("hang"));
            o.Requests.Add(SmokeRequest.Get("api/health"));
        });

        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.Equal($"Could not reach 1 of 2 endpoint(s): GET hang: GET {_app.BaseAddress}hang: no response within 0.5 s (2 attempts)", gate.Summary);
        Assert.Contains(gate.Measurements, m => m.Name == "GET api/health status" && m.Status == GateStatus.Passed);
    }

    [Fact]
    public async Task Gives_up_after_the_redirect_limit_and_turns_a_post_into_a_get_on_302()
    {
        var gate = await EvaluateAsync(o =>
        {
            o.Probe.MaximumRedirects = 3;
            o.Requests.Add(SmokeRequest.Send(HttpMethod.Post, "form", "{}").ExpectJson("$.status", "Healthy"));
            o.Requests.Add(SmokeRequest.Get("loop"));
        });

        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.Contains("GET loop: GET " + _app.BaseAddress + "loop: more than 3 redirects (302 ", gate.Summary, StringComparison.Ordinal);
        Assert.Contains(gate.Measurements, m => m.Name == "POST form $.status == Healthy" && m.Status == GateStatus.Passed);
    }

    [Fact]
    public async Task A_refused_connection_is_an_error()
    {
        var report = await ReleaseGate.CreateBuilder()
            .AddSmokeTests("down", o =>
            {
                o.BaseAddress = new Uri($"http://127.0.0.1:{Ports.Free()}/");
                o.Probe.MaximumRetries = 0;
                o.Requests.Add(SmokeRequest.Get("api/health"));
            })
            .EvaluateAsync(_ct);

        Assert.Equal(GateStatus.Error, report.Gates.Single().Status);
        Assert.Contains("connection failed", report.Gates.Single().Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_options_are_named_at_registration()
    {
        var ex = Assert.Throws<ReleaseGatesConfigurationException>(() => ReleaseGate.CreateBuilder().AddSmokeTests("x", o =>
        {
            o.Requests.Add(SmokeRequest.Get("a").ExpectJson("$..bad", "1"));
            o.Requests.Add(SmokeRequest.Get("a"));
        }).Build());

        Assert.Contains("'GET a' has a relative path and there is no BaseAddress.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'$..bad' is not a JSON path", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Two requests are named 'GET a'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flow_carries_a_token_from_login_and_an_id_from_a_create_into_later_requests_and_never_shows_them()
    {
        var gate = await EvaluateAsync(o =>
        {
            o.Requests.Add(SmokeRequest.Send(HttpMethod.Post, "api/login", "{}").Named("login").Capture("token", "$.access_token").ExpectJsonExists("$.expires_in", "number"));
            o.Requests.Add(SmokeRequest.Send(HttpMethod.Post, "api/orders", "{}").Named("create").WithHeader("Authorization", "Bearer {{token}}").ExpectStatus(201).Capture("id", "$.id"));
            o.Requests.Add(SmokeRequest.Get("api/orders/{{id}}").Named("read").WithHeader("Authorization", "Bearer {{token}}")
                .ExpectJson("$.state", "open").ExpectJsonExists("$.total", "number").ExpectJsonExists("$.paid", "boolean").ExpectJsonExists("$.note", "null").ExpectJsonExists("$.id"));
        });

        Assert.True(gate.Status == GateStatus.Passed, string.Join("\n", gate.Measurements.Select(m => $"{m.Name} {m.Status} {m.Target}")));
        Assert.Contains(gate.Measurements, m => m.Name == "login capture token" && m.Target == "$.access_token captured (value not shown)");
        Assert.DoesNotContain("s3cr3t-t0ken-9f8e", System.Text.Json.JsonSerializer.Serialize(gate), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_step_whose_value_was_not_captured_is_not_sent_and_fails_naming_the_variable()
    {
        var gate = await EvaluateAsync(o =>
        {
            o.Requests.Add(SmokeRequest.Send(HttpMethod.Post, "api/login", "{}").Named("login").Capture("token", "$.token"));
            o.Requests.Add(SmokeRequest.Send(HttpMethod.Post, "api/orders", "{}").Named("create").WithHeader("Authorization", "Bearer {{token}}").ExpectStatus(201));
        });

        Assert.Equal(GateStatus.Failed, gate.Status);
        Assert.Equal("$.token does not exist", gate.Measurements.Single(m => m.Name == "login capture token").Target);
        Assert.Equal("not sent: {{token}} was not captured ('login' has no $.token)", gate.Measurements.Single(m => m.Name == "create sent").Target);
    }

    [Fact]
    public async Task A_header_must_have_its_exact_value_and_a_credential_header_is_never_shown()
    {
        var gate = await EvaluateAsync(o => o.Requests.Add(SmokeRequest.Get("api/cors")
            .ExpectHeader("Access-Control-Allow-Origin", "https://app.example.com")
            .ExpectHeader("Set-Cookie", "session=other")
            .ExpectJsonExists("$.id")));

        Assert.Equal(GateStatus.Failed, gate.Status);
        Assert.Equal("was '*'", gate.Measurements.Single(m => m.Name == "GET api/cors header Access-Control-Allow-Origin == https://app.example.com").Target);
        Assert.Equal("a different value (not shown: it carries credentials)", gate.Measurements.Single(m => m.Name.StartsWith("GET api/cors header Set-Cookie", StringComparison.Ordinal)).Target);
        Assert.Equal("the body is not JSON", gate.Measurements.Single(m => m.Name == "GET api/cors $.id exists").Target);
        Assert.DoesNotContain("abc123secret", System.Text.Json.JsonSerializer.Serialize(gate), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rate_limited_endpoint_answers_429_with_retry_after_within_the_requests_allowed()
    {
        await using var limited = await LoopbackApp.StartAsync(
            app =>
            {
                app.UseRateLimiter();
                app.MapGet("/limited", () => "ok").RequireRateLimiting("five");
                app.MapGet("/open", () => "ok");
            },
            _ct,
            services: s => s.AddRateLimiter(o =>
            {
                o.RejectionStatusCode = 429;
                o.AddFixedWindowLimiter("five", w => { w.PermitLimit = 5; w.Window = TimeSpan.FromMinutes(5); w.QueueLimit = 0; });
                o.OnRejected = (context, _) => { context.HttpContext.Response.Headers.RetryAfter = "300"; return ValueTask.CompletedTask; };
            }));

        var report = await ReleaseGate.CreateBuilder()
            .AddSmokeTests("rate-limits", o =>
            {
                o.BaseAddress = limited.BaseAddress;
                o.Requests.Add(SmokeRequest.Get("limited").ExpectRateLimitedWithin(20));
                o.Requests.Add(SmokeRequest.Get("open").ExpectRateLimitedWithin(20));
            })
            .EvaluateAsync(_ct);
        var gate = report.Gates[0];

        var after = gate.Measurements.Single(m => m.Name == "GET limited rate limited after");
        Assert.Equal((6.0, GateStatus.Passed), (after.Value, after.Status));
        Assert.Equal("300", gate.Measurements.Single(m => m.Name == "GET limited header Retry-After").Target);
        Assert.Equal(GateStatus.Passed, gate.Measurements.Single(m => m.Name == "GET limited status").Status);

        var open = gate.Measurements.Single(m => m.Name == "GET open rate limited after");
        Assert.Equal((20.0, GateStatus.Failed, "no 429 in 20 requests (last status 200)"), (open.Value, open.Status, open.Target));
        Assert.Equal(GateStatus.Failed, gate.Status);
    }

    private async Task<GateReport> EvaluateAsync(Action<SmokeTestsGateOptions> configure)
    {
        var report = await ReleaseGate.CreateBuilder()
            .AddSmokeTests("smoke", o =>
            {
                o.BaseAddress = _app.BaseAddress;
                configure(o);
            })
            .EvaluateAsync(_ct);
        return report.Gates.Single();
    }
}
