using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ReleaseGates.IntegrationTests.Support;

namespace ReleaseGates.IntegrationTests.Gates.WebSocket;

/// <summary>
/// The WebSocket gate against Kestrel's WebSocket middleware on 127.0.0.1: an echo endpoint, a slow one, one that closes
/// at once, and one that never answers the upgrade; each test bounded in connections, messages and time.
/// </summary>
public sealed class KestrelWebSocketTests : IAsyncLifetime
{
    private LoopbackApp? _app;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Uri Ws(string path) => new($"ws://{_app!.BaseAddress.Authority}/{path}");

    public async ValueTask InitializeAsync() => _app = await LoopbackApp.StartAsync(Map, Ct);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private static void Map(WebApplication app)
    {
        app.UseWebSockets();
        app.Map("/echo", context => EchoAsync(context, TimeSpan.Zero));
        app.Map("/slow", context => EchoAsync(context, TimeSpan.FromSeconds(2)));
        app.Map("/close", async context =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", context.RequestAborted);
        });
        app.Map("/plain", () => Results.Ok("no upgrade here"));
    }

    /// <summary>Echoes every text message, after <paramref name="delay"/>, until the client closes.</summary>
    private static async Task EchoAsync(HttpContext context, TimeSpan delay)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", context.RequestAborted);
                    return;
                }

                await Task.Delay(delay, context.RequestAborted);
                await socket.SendAsync(buffer.AsMemory(0, received.Count), WebSocketMessageType.Text, received.EndOfMessage, context.RequestAborted);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
    }

    private static async Task<GateReport> EvaluateAsync(Action<WebSocketGateOptions> configure)
        => (await ReleaseGate.CreateBuilder().AddWebSocket("ws", configure).EvaluateAsync(Ct)).Gates[0];

    private static double Value(GateReport gate, string name) => gate.Measurements.Single(m => m.Name == name).Value;

    [Fact]
    public async Task Ten_connections_echoing_five_messages_pass_with_their_times_measured()
    {
        var gate = await EvaluateAsync(o =>
        {
            o.Url = Ws("echo");
            o.Message = """{"type":"subscribe","symbol":"BTC"}""";
            o.ExpectedReply = "\"symbol\":\"BTC\"";
            o.Conditions.Add("connect-p95 < 5000ms");
            o.Conditions.Add("round-trip-p95 < 5000ms");
        });

        Assert.Equal(GateStatus.Passed, gate.Status);
        Assert.Equal(0, Value(gate, "errors"));
        Assert.Equal(0, Value(gate, "error-rate"));
        Assert.True(Value(gate, "round-trip-max") >= Value(gate, "round-trip-p50"));
        Assert.Contains("10 of 10 connections", gate.Summary, StringComparison.Ordinal);
        Assert.Contains("50 round trips", gate.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reply_that_does_not_match_is_an_error_of_its_own()
    {
        var gate = await EvaluateAsync(o => { o.Url = Ws("echo"); o.Connections = 2; o.MessagesPerConnection = 2; o.ExpectedReply = "pong"; });

        Assert.Equal(GateStatus.Failed, gate.Status);
        Assert.Equal(4, Value(gate, "errors"));
        Assert.Contains(gate.Findings, f => f.Code == "websocket.unexpected-reply" && f.Message.StartsWith("4 × a reply without 'pong'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_server_slower_than_the_timeout_fails_within_the_timeout()
    {
        var gate = await EvaluateAsync(o =>
        {
            o.Url = Ws("slow");
            o.Connections = 2;
            o.MessagesPerConnection = 3;
            o.OperationTimeout = TimeSpan.FromMilliseconds(300);
        });

        Assert.Equal(GateStatus.Failed, gate.Status);
        Assert.Equal(6, Value(gate, "errors"));                    // each first reply timed out, and its later messages were not sent
        Assert.Contains(gate.Findings, f => f.Message.StartsWith("2 × no reply within 300 ms", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_server_that_closes_fails_and_reconnecting_is_counted_apart()
    {
        var closing = await EvaluateAsync(o => { o.Url = Ws("close"); o.Connections = 3; o.MessagesPerConnection = 1; o.Reconnect = true; });
        Assert.Equal(GateStatus.Failed, closing.Status);
        Assert.Contains(closing.Findings, f => f.Message.Contains("the server closed the connection instead of replying", StringComparison.Ordinal));

        var echo = await EvaluateAsync(o => { o.Url = Ws("echo"); o.Connections = 3; o.MessagesPerConnection = 2; o.Reconnect = true; });
        Assert.Equal(GateStatus.Passed, echo.Status);
        Assert.Contains("9 round trips", echo.Summary, StringComparison.Ordinal);   // 2 per connection and 1 after each reconnect
    }

    [Fact]
    public async Task An_endpoint_that_never_upgrades_is_an_error_and_its_token_is_never_shown()
    {
        var gate = await EvaluateAsync(o =>
        {
            o.Url = new Uri(Ws("plain") + "?token=s3cr3t-query");
            o.Headers["Authorization"] = "Bearer s3cr3t-header";
            o.Connections = 2;
        });

        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.Contains($"No WebSocket connection to {Ws("plain")} could be opened (2 tried)", gate.Summary, StringComparison.Ordinal);
        var everything = gate.Summary + string.Concat(gate.Findings.Select(f => f.Message + f.Target));
        Assert.DoesNotContain("s3cr3t", everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wss_trusts_what_the_system_trusts_or_what_the_given_client_trusts()
    {
        await using var secure = await LoopbackApp.StartAsync(Map, Ct, https: true);
        var url = new Uri($"wss://{secure.HttpsAddress!.Authority}/echo");

        var untrusted = await EvaluateAsync(o => { o.Url = url; o.Connections = 2; o.MessagesPerConnection = 1; });
        Assert.Equal(GateStatus.Error, untrusted.Status);                      // a self-signed certificate the system does not trust

        using var trusting = secure.CreateTrustingClient();
        var trusted = await EvaluateAsync(o => { o.Url = url; o.Connections = 2; o.MessagesPerConnection = 1; o.HttpClient = trusting; });
        Assert.Equal(GateStatus.Passed, trusted.Status);
        Assert.Contains("2 round trips", trusted.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_without_a_ws_address_or_any_condition_are_refused()
    {
        var error = Assert.Throws<ReleaseGatesConfigurationException>(() => ReleaseGate.CreateBuilder().AddWebSocket("ws", o =>
        {
            o.Url = new Uri("https://example.com/");
            o.Conditions.Clear();
            o.Connections = 0;
        }));

        Assert.Contains("Url must be an absolute ws:// or wss:// address", error.Message, StringComparison.Ordinal);
        Assert.Contains("Conditions is empty", error.Message, StringComparison.Ordinal);
        Assert.Contains("Connections must be 1 to 1,000, but was 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_websocket_gate_in_releasegates_json_runs_as_written()
    {
        var folder = Directory.CreateTempSubdirectory("releasegates-ws-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "releasegates.json"), $$"""
                { "gates": { "quotes": { "type": "webSocket", "url": "{{Ws("echo")}}", "connections": 3, "messagesPerConnection": 2,
                  "message": "ping", "expectedReply": "ping", "reconnect": true, "conditions": ["error-rate <= 0%", "connect-p95 < 5s"] } } }
                """, Ct);

            var report = await ReleaseGate.CreateBuilder().AddFromJsonFile(Path.Combine(folder, "releasegates.json")).EvaluateAsync(Ct);

            Assert.Equal(GateStatus.Passed, report.FindGate("quotes")!.Status);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
