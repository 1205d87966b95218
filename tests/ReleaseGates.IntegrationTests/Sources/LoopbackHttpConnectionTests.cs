using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using ReleaseGates.IntegrationTests.Support;

namespace ReleaseGates.IntegrationTests.Sources;

/// <summary>
/// The load probe's own loopback HTTP/1.1 connections, against Kestrel on 127.0.0.1 (Content-Length, chunked, HEAD, 204,
/// Connection: close, idle connections closed by the server) and against raw TCP servers that answer what Kestrel never
/// would (HTTP/1.0 to the close, 1xx, garbage, a short body, silence): every response read to its end, and every
/// response it cannot delimit an unanswered error, never a status.
/// </summary>
public sealed class LoopbackHttpConnectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<HttpLoadProbeResult> Probe(Uri target, int requests, Action<HttpLoadProbeOptions>? configure = null)
    {
        var options = new HttpLoadProbeOptions { Concurrency = 2, Requests = requests, WarmupRequests = 0, RequestTimeout = TimeSpan.FromSeconds(5) };
        options.Targets.Add(target);
        configure?.Invoke(options);
        Assert.True(HttpLoadProbe.UsesLoopbackConnections(options), "the probe would send through HttpClient");
        return await HttpLoadProbe.RunAsync(options, cancellationToken: Ct);
    }

    [Fact]
    public async Task Reads_content_length_chunked_head_and_204_responses_to_their_end_on_kept_connections()
    {
        var connections = 0;
        var big = new string('x', 300_000);
        await using var app = await LoopbackApp.StartAsync(a =>
        {
            a.MapGet("/sized", () => Results.Text(big));
            a.MapGet("/chunked", async (HttpResponse response) =>
            {
                // No Content-Length and several flushes: Kestrel frames it as chunks of different sizes.
                for (var i = 0; i < 20; i++)
                {
                    await response.WriteAsync(new string('c', 1 + (i * 997 % 5000)));
                    await response.Body.FlushAsync();
                }
            });
            a.MapMethods("/head", ["HEAD"], (HttpResponse response) => { response.ContentLength = 123_456; return Task.CompletedTask; });
            a.MapGet("/empty", () => Results.NoContent());
        }, Ct, configureKestrel: k => k.ConfigureEndpointDefaults(l => l.Use(next => c => { Interlocked.Increment(ref connections); return next(c); })));

        foreach (var (path, method) in new[] { ("sized", HttpMethod.Get), ("chunked", HttpMethod.Get), ("head", HttpMethod.Head), ("empty", HttpMethod.Get) })
        {
            var before = Volatile.Read(ref connections);
            var result = await Probe(new Uri(app.BaseAddress, path), 40, o => o.Method = method);
            Assert.Equal((40L, 0L, 0L), (result.Total, result.Errors, result.Unanswered));
            // At most one kept connection per worker (2), never one per request (40): every response was delimited. How
            // many workers got to send is the scheduler's business: on a busy machine one worker may send all 40 first.
            Assert.InRange(Volatile.Read(ref connections) - before, 1, 2);
        }
    }

    [Fact]
    public async Task Counts_statuses_outside_2xx_as_errors_exactly_as_httpclient_does()
    {
        await using var app = await LoopbackApp.StartAsync(a => a.MapGet("/mixed/{n:int}", (int n) => (n % 4) switch
        {
            0 => Results.StatusCode(500),
            1 => Results.Redirect("/elsewhere"),
            2 => Results.NotFound(),
            _ => Results.Ok("fine"),
        }), Ct);
        var targets = Enumerable.Range(0, 8).Select(n => new Uri(app.BaseAddress, $"mixed/{n}")).ToArray();

        var lean = await Probe(targets[0], 1, o => { o.Targets.Clear(); foreach (var t in targets) { o.Targets.Add(t); } o.Requests = 80; });
        using var client = new HttpClient();
        var options = new HttpLoadProbeOptions { Concurrency = 2, Requests = 80, WarmupRequests = 0, Client = client };
        foreach (var t in targets)
        {
            options.Targets.Add(t);
        }

        Assert.False(HttpLoadProbe.UsesLoopbackConnections(options));
        var viaClient = await HttpLoadProbe.RunAsync(options, cancellationToken: Ct);

        Assert.Equal((80L, 60L, 0L), (lean.Total, lean.Errors, lean.Unanswered));
        Assert.Equal((viaClient.Total, viaClient.Errors, viaClient.Unanswered), (lean.Total, lean.Errors, lean.Unanswered));
    }

    [Fact]
    public async Task A_server_that_closes_each_connection_or_lets_idle_ones_go_costs_no_error()
    {
        await using var app = await LoopbackApp.StartAsync(a => a.MapGet("/bye", (HttpResponse r) => { r.Headers.Connection = "close"; return "bye"; }), Ct);
        var closing = await Probe(new Uri(app.BaseAddress, "bye"), 30);
        Assert.Equal((30L, 0L, 0L), (closing.Total, closing.Errors, closing.Unanswered));

        await using var idle = await LoopbackApp.StartAsync(a => a.MapGet("/idle", () => "ok"), Ct, configureKestrel: k => k.Limits.KeepAliveTimeout = TimeSpan.FromMilliseconds(300));
        var options = new HttpLoadProbeOptions { Concurrency = 1, Requests = 2, WarmupRequests = 1 };
        options.Targets.Add(new Uri(idle.BaseAddress, "idle"));
        Assert.True(HttpLoadProbe.UsesLoopbackConnections(options));

        // The warm-up's connection is closed by Kestrel while idle; the measured requests reopen it without an error.
        options.Progress = new SyncProgress(n => { if (n == 1) { Thread.Sleep(3000); } });
        var result = await HttpLoadProbe.RunAsync(options, cancellationToken: Ct);
        Assert.Equal((2L, 0L, 0L), (result.Total, result.Errors, result.Unanswered));
    }

    [Fact]
    public async Task Sends_the_method_headers_and_body_as_httpclient_would()
    {
        string? seen = null;
        await using var app = await LoopbackApp.StartAsync(a => a.MapPost("/echo", async (HttpRequest r) =>
        {
            using var reader = new StreamReader(r.Body);
            seen = $"{r.Method} {r.Host} {r.ContentType} {r.ContentLength} {r.Headers["X-Tenant"]} {await reader.ReadToEndAsync()}";
            return Results.Ok();
        }), Ct);

        var result = await Probe(new Uri(app.BaseAddress, "echo?q=1"), 3, o =>
        {
            o.Method = HttpMethod.Post;
            o.Body = """{"naïve":true}""";
            o.Headers["X-Tenant"] = "acme";
        });

        Assert.Equal(0, result.Errors);
        Assert.Equal($"POST {app.BaseAddress.Authority} application/json; charset=utf-8 15 acme {{\"naïve\":true}}", seen);
    }

    [Theory]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nto the close", 0L)]
    [InlineData("HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 0L)]
    [InlineData("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n", 1L)]
    [InlineData("HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok", 0L)]
    public async Task Reads_what_a_raw_server_answers_as_a_status(string response, long errors)
    {
        await using var server = await RawServer.StartAsync(async (stream, token) => await stream.WriteAsync(Encoding.ASCII.GetBytes(response), token));
        var result = await Probe(server.Address, 4);
        Assert.Equal((4L, errors * 4, 0L), (result.Total, result.Errors, result.Unanswered));
    }

    [Theory]
    [InlineData("HELLO\r\n\r\n", "not HTTP/1.x: bad status line 'HELLO'")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", "not HTTP/1.x: the connection closed inside the body")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", "not HTTP/1.x: Transfer-Encoding 'gzip' is not chunked")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok", "not HTTP/1.x: bad Content-Length '3'")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "not HTTP/1.x: bad chunk size 'zz'")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Len", "not HTTP/1.x: the connection closed inside the headers")]
    [InlineData("", "the server closed the connection before responding")]
    public async Task A_response_it_cannot_delimit_is_an_unanswered_error_never_a_status(string response, string failure)
    {
        await using var server = await RawServer.StartAsync(async (stream, token) => await stream.WriteAsync(Encoding.ASCII.GetBytes(response), token));
        var result = await Probe(server.Address, 3);
        Assert.Equal((3L, 3L, 3L), (result.Total, result.Errors, result.Unanswered));
        Assert.EndsWith(failure, result.FirstTransportError, StringComparison.Ordinal);
        Assert.StartsWith($"GET {server.Address}: ", result.FirstTransportError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_never_answers_is_a_timeout_within_the_request_timeout()
    {
        await using var server = await RawServer.StartAsync(async (_, token) => await Task.Delay(Timeout.Infinite, token).ContinueWith(_ => { }, TaskScheduler.Default));
        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = await Probe(server.Address, 2, o => o.RequestTimeout = TimeSpan.FromMilliseconds(300));
        Assert.Equal((2L, 2L, 2L), (result.Total, result.Errors, result.Unanswered));
        Assert.Contains("timed out after 0.3 s", result.FirstTransportError, StringComparison.Ordinal);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task A_listener_that_never_accepts_is_cut_at_the_request_timeout()
    {
        // A listener that never accepts, its backlog filled. Linux completes a loopback connect in the kernel even then, so
        // here the request waits in its read; on kernels that drop the SYN instead, the connect's own deadline cuts it.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        var fillers = new List<Socket>();
        try
        {
            for (var i = 0; i < 8; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(filler);
                var connect = filler.ConnectAsync(endpoint, Ct).AsTask();
                if (await Task.WhenAny(connect, Task.Delay(300, Ct)) != connect)
                {
                    break; // the backlog is full
                }
            }

            var started = System.Diagnostics.Stopwatch.StartNew();
            var result = await Probe(new Uri($"http://127.0.0.1:{endpoint.Port}/"), 1, o => { o.Concurrency = 1; o.RequestTimeout = TimeSpan.FromMilliseconds(500); });
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
            Assert.Equal((1L, 1L, 1L), (result.Total, result.Errors, result.Unanswered));
            Assert.Contains("timed out after 0.5 s", result.FirstTransportError, StringComparison.Ordinal);
        }
        finally
        {
            fillers.ForEach(f => f.Dispose());
        }
    }

    [Fact]
    public async Task The_time_cap_ends_reads_blocked_on_a_silent_server_without_counting_them()
    {
        await using var server = await RawServer.StartAsync(async (_, token) => await Task.Delay(Timeout.Infinite, token).ContinueWith(_ => { }, TaskScheduler.Default));
        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = await Probe(server.Address, 100, o => { o.Duration = TimeSpan.FromMilliseconds(300); o.RequestTimeout = TimeSpan.FromSeconds(30); });
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
        Assert.Equal((0L, 0L, 0L), (result.Total, result.Errors, result.Unanswered));
    }

    [Fact]
    public async Task Cancelling_ends_reads_blocked_on_a_silent_server()
    {
        await using var server = await RawServer.StartAsync(async (_, token) => await Task.Delay(Timeout.Infinite, token).ContinueWith(_ => { }, TaskScheduler.Default));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(300);
        var options = new HttpLoadProbeOptions { Concurrency = 2, Requests = 10, WarmupRequests = 2, RequestTimeout = TimeSpan.FromSeconds(30) };
        options.Targets.Add(server.Address);
        var started = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => HttpLoadProbe.RunAsync(options, cancellationToken: cancel.Token));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
    }

    [Fact]
    public void Only_plain_http_to_a_loopback_address_with_the_default_error_rule_and_plain_headers_takes_the_own_connections()
    {
        HttpLoadProbeOptions With(string url, Action<HttpLoadProbeOptions>? configure = null)
        {
            var o = new HttpLoadProbeOptions();
            o.Targets.Add(new Uri(url));
            configure?.Invoke(o);
            return o;
        }

        Assert.True(HttpLoadProbe.UsesLoopbackConnections(With("http://127.0.0.1:5000/a")));
        Assert.True(HttpLoadProbe.UsesLoopbackConnections(With("http://[::1]:5000/a")));
        Assert.False(HttpLoadProbe.UsesLoopbackConnections(With("https://127.0.0.1:5001/a")));
        Assert.False(HttpLoadProbe.UsesLoopbackConnections(With("http://localhost:5000/a")));
        Assert.False(HttpLoadProbe.UsesLoopbackConnections(With("http://10.1.2.3:5000/a")));
        Assert.False(HttpLoadProbe.UsesLoopbackConnections(With("http://127.0.0.1:5000/a", o => o.IsError = r => (int)r.StatusCode >= 500)));
        Assert.False(HttpLoadProbe.UsesLoopbackConnections(With("http://127.0.0.1:5000/a", o => o.Headers["Connection"] = "close")));
        Assert.False(HttpLoadProbe.UsesLoopbackConnections(With("http://127.0.0.1:5000/a", o => o.Headers["X-Bad"] = "a\r\nInjected: yes")));
        Assert.False(HttpLoadProbe.UsesLoopbackConnections(With("http://127.0.0.1:5000/a", o => o.Headers["Bad Name"] = "x")));
        Assert.False(HttpLoadProbe.UsesLoopbackConnections(With("http://127.0.0.1:5000/a", o => o.Headers["X-Name"] = "Zoë")));
        Assert.False(HttpLoadProbe.UsesLoopbackConnections(With("http://127.0.0.1:5000/a", o => o.Targets.Add(new Uri("http://example.com/")))));
    }

    private sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }

    /// <summary>A TCP server on 127.0.0.1 that reads one request's head per connection, runs the handler, and closes.</summary>
    private sealed class RawServer : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _accepting;

        private RawServer(TcpListener listener, Func<NetworkStream, CancellationToken, Task> handler)
        {
            _listener = listener;
            _accepting = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    TcpClient client;
                    try
                    {
                        client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    _ = Task.Run(async () =>
                    {
                        using (client)
                        {
                            var stream = client.GetStream();
                            var buffer = new byte[4096];
                            var seen = 0;
                            while (seen < buffer.Length && !Encoding.ASCII.GetString(buffer, 0, seen).Contains("\r\n\r\n", StringComparison.Ordinal))
                            {
                                var n = await stream.ReadAsync(buffer.AsMemory(seen), _stop.Token);
                                if (n == 0)
                                {
                                    return;
                                }

                                seen += n;
                            }

                            await handler(stream, _stop.Token);
                        }
                    });
                }
            });
            Address = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/raw");
        }

        public Uri Address { get; }

        public static Task<RawServer> StartAsync(Func<NetworkStream, CancellationToken, Task> handler)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return Task.FromResult(new RawServer(listener, handler));
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _accepting;
            _stop.Dispose();
        }
    }
}
