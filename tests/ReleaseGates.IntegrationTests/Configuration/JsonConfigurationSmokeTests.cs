using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ReleaseGates.IntegrationTests.Support;

namespace ReleaseGates.IntegrationTests.Configuration;

/// <summary>A smoke-tests gate from releasegates.json against Kestrel on 127.0.0.1 gives the report the same gate in C# gives.</summary>
public sealed class JsonConfigurationSmokeTests : IAsyncLifetime
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private LoopbackApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await LoopbackApp.StartAsync(
        app =>
        {
            app.MapGet("/health", () => Results.Json(new { status = "Healthy" }));
            app.MapPost("/orders", (HttpContext ctx) =>
            {
                ctx.Response.Headers.Location = "/orders/1";
                return Results.StatusCode(ctx.Request.Headers.Authorization == "Bearer t0ken" ? 201 : 401);
            });
            app.MapGet("/missing", () => Results.NotFound());
        },
        _ct);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static string Summary(ReleaseReport report) => string.Join(
        "\n",
        report.Gates.Select(g => $"{g.Name} {g.Status} {g.Summary} " + string.Join(";", g.Measurements.Select(m => $"{m.Name}={m.Status}"))
            + " | " + string.Join(";", g.Findings.Select(f => f.Message))))
        + $"\n{report.Decision}";

    [Fact]
    public async Task The_file_and_the_csharp_gate_give_the_same_report()
    {
        var name = "RG_SMOKE_TOKEN_" + Guid.NewGuid().ToString("N")[..8];
        Environment.SetEnvironmentVariable(name, "t0ken");
        try
        {
            var json = $$"""
                {
                  "gates": {
                    "smoke": {
                      "type": "smokeTests",
                      "baseAddress": "{{_app.BaseAddress}}",
                      "requests": [
                        { "path": "health", "expectedStatuses": [200], "jsonEquals": { "$.status": "Healthy" } },
                        { "name": "create order", "method": "post", "path": "orders", "body": "{}",
                          "headers": { "Authorization": "Bearer ${{{name}}}" }, "expectedStatuses": [201], "headersPresent": ["Location"] },
                        { "path": "missing", "expectedStatuses": [200] }
                      ]
                    }
                  }
                }
                """;
            var fromJson = await ReleaseGate.CreateBuilder()
                .AddFromJson(new MemoryStream(Encoding.UTF8.GetBytes(json)), "releasegates.json", Path.GetTempPath())
                .EvaluateAsync(_ct);
            var fromCSharp = await ReleaseGate.CreateBuilder()
                .AddSmokeTests("smoke", o =>
                {
                    o.BaseAddress = _app.BaseAddress;
                    o.Requests.Add(SmokeRequest.Get("health").ExpectStatus(200).ExpectJson("$.status", "Healthy"));
                    o.Requests.Add(SmokeRequest.Send(HttpMethod.Post, "orders", "{}").Named("create order").WithHeader("Authorization", "Bearer t0ken").ExpectStatus(201).ExpectHeader("Location"));
                    o.Requests.Add(SmokeRequest.Get("missing").ExpectStatus(200));
                })
                .EvaluateAsync(_ct);

            Assert.Equal(Summary(fromCSharp), Summary(fromJson));
            var gate = Assert.Single(fromJson.Gates);
            Assert.Equal(GateStatus.Failed, gate.Status);
            Assert.DoesNotContain("t0ken", fromJson.ToJson(), StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }
}
