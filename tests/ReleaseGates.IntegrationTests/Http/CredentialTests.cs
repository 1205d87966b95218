using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ReleaseGates.IntegrationTests.Support;

namespace ReleaseGates.IntegrationTests.Http;

/// <summary>
/// Credentials against two real Kestrel apps on 127.0.0.1 (two ports, so two origins): what a redirect carries to another
/// origin, and what reaches the reports.
/// </summary>
public sealed class CredentialTests : IAsyncLifetime
{
    private const string Token = "Bearer s3cr3t-token-4711";
    private const string Cookie = "session=c00kie-value-4711";
    private const string ApiKey = "api-key-4711";

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly ConcurrentDictionary<string, IHeaderDictionary> _seen = new(StringComparer.Ordinal);
    private LoopbackApp _home = null!;
    private LoopbackApp _elsewhere = null!;

    public async ValueTask InitializeAsync()
    {
        _elsewhere = await LoopbackApp.StartAsync(app => app.MapGet("/land", (HttpRequest r) => Record("elsewhere", r)), _ct);
        _home = await LoopbackApp.StartAsync(
            app =>
            {
                app.MapGet("/away", () => Results.Redirect(new Uri(_elsewhere.BaseAddress, "land").ToString()));
                app.MapGet("/same", () => Results.Redirect("/echo"));
                app.MapGet("/echo", (HttpRequest r) => Record("home", r));
                app.MapGet("/session", (HttpContext ctx) =>
                {
                    ctx.Response.Headers.Append("Set-Cookie", "session=sekrit-session-4711; Path=/; HttpOnly");
                    return Results.Text("ok");
                });
            },
            _ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _home.DisposeAsync();
        await _elsewhere.DisposeAsync();
    }

    [Fact]
    public async Task A_redirect_to_another_origin_carries_no_credential_headers()
    {
        var gate = await SmokeAsync(SmokeRequest.Get("away"), keep: false);

        Assert.Equal(GateStatus.Passed, gate.Status);
        var landed = _seen["elsewhere"];
        Assert.False(landed.ContainsKey("Authorization"));
        Assert.False(landed.ContainsKey("Cookie"));
        Assert.False(landed.ContainsKey("X-Api-Key"));
        Assert.Equal("kept", landed["X-Trace"].ToString());
    }

    [Fact]
    public async Task A_redirect_within_the_origin_keeps_them()
    {
        await SmokeAsync(SmokeRequest.Get("same"), keep: false);
        Assert.Equal(Token, _seen["home"]["Authorization"].ToString());
        Assert.Equal(Cookie, _seen["home"]["Cookie"].ToString());
    }

    [Fact]
    public async Task Keeping_them_across_origins_is_an_explicit_choice()
    {
        await SmokeAsync(SmokeRequest.Get("away"), keep: true);
        Assert.Equal(Token, _seen["elsewhere"]["Authorization"].ToString());
    }

    [Fact]
    public async Task No_report_holds_a_url_password_a_secret_query_a_token_or_a_cookie_value()
    {
        var withSecrets = new UriBuilder(new Uri(_home.BaseAddress, "session")) { UserName = "deploy", Password = "pa55w0rd-4711", Query = "access_token=tok-4711&page=2" }.Uri;
        var report = await ReleaseGate.CreateBuilder()
            .AddSmokeTests("smoke", o =>
            {
                o.Requests.Add(Authorized(SmokeRequest.Get(withSecrets.ToString())).ExpectHeader("Set-Cookie").ExpectStatus(201));
                o.Requests.Add(Authorized(SmokeRequest.Get(new Uri(_home.BaseAddress, "missing?sig=sig-4711").ToString())).ExpectStatus(200));
            })
            .AddGate("custom", (_, _) => ValueTask.FromResult(GateResult.Failed(
                $"could not reach {withSecrets}",
                findings: [new Finding("custom.auth", FindingSeverity.Error, $"sent {Token}") { Observed = "Host=db;Username=app;Password=pa55w0rd-4711;" }])))
            .EvaluateAsync(_ct);

        await using var json = new MemoryStream();
        await report.WriteJsonAsync(json, _ct);
        var outputs = new Dictionary<string, string>
        {
            ["json"] = System.Text.Encoding.UTF8.GetString(json.ToArray()),
            ["markdown"] = report.ToMarkdown(),
            ["junit"] = report.ToJUnitXml(),
            ["text"] = report.ToText(),
            ["ensure-go"] = Assert.Throws<ReleaseNotReadyException>(() => report.EnsureGo()).Message,
        };
        foreach (var (format, output) in outputs)
        {
            foreach (var secret in new[] { "pa55w0rd-4711", "tok-4711", "sig-4711", "sekrit-session-4711", "s3cr3t-token-4711", "c00kie-value-4711", ApiKey })
            {
                Assert.False(output.Contains(secret, StringComparison.Ordinal), $"{format} holds '{secret}':\n{output}");
            }
        }

        // What was there stays visible as masked, and the presence check says only that the cookie was present.
        Assert.Contains("deploy:***@", outputs["json"], StringComparison.Ordinal);
        Assert.Contains("access_token=***", outputs["json"], StringComparison.Ordinal);
        Assert.Contains(report.FindGate("smoke")!.Measurements, m => m.Name.EndsWith("header Set-Cookie", StringComparison.Ordinal) && m.Target == "present");
    }

    private async Task<GateReport> SmokeAsync(SmokeRequest request, bool keep)
    {
        var report = await ReleaseGate.CreateBuilder()
            .AddSmokeTests("smoke", o =>
            {
                o.BaseAddress = _home.BaseAddress;
                o.Probe.KeepCredentialsOnCrossOriginRedirect = keep;
                o.Requests.Add(Authorized(request));
            })
            .EvaluateAsync(_ct);
        return report.Gates.Single();
    }

    private static SmokeRequest Authorized(SmokeRequest request)
        => request.WithHeader("Authorization", Token).WithHeader("Cookie", Cookie).WithHeader("X-Api-Key", ApiKey).WithHeader("X-Trace", "kept");

    private IResult Record(string who, HttpRequest request)
    {
        _seen[who] = new HeaderDictionary(request.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase));
        return Results.Text("landed");
    }
}
