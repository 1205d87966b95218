using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ReleaseGates.Cli.Tests.Hostile;

/// <summary>
/// A plain HTTP/1.1 server on 127.0.0.1 that answers every request with what <see cref="Answer"/> returns for it, one
/// request per connection, and remembers what it was sent: a Prometheus that answers every hostile way.
/// </summary>
public sealed class FakeHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public FakeHttpServer(Func<string, (int Status, string ContentType, string Body, TimeSpan Delay)> answer)
    {
        Answer = answer;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The answer to a request, given its body (a form post of the PromQL for Prometheus).</summary>
    public Func<string, (int Status, string ContentType, string Body, TimeSpan Delay)> Answer { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>Every request's head and body as received.</summary>
    public List<string> Requests { get; } = [];

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var received = new MemoryStream();
                var buffer = new byte[8192];
                int headEnd;
                while ((headEnd = IndexOfHeadEnd(received)) < 0)
                {
                    var n = await stream.ReadAsync(buffer, _stop.Token);
                    if (n == 0)
                    {
                        return;
                    }

                    received.Write(buffer, 0, n);
                }

                var head = Encoding.ASCII.GetString(received.GetBuffer(), 0, headEnd);
                var length = head.Split("\r\n").Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                    .Select(p => int.Parse(p[1].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
                while (received.Length < headEnd + 4 + length)
                {
                    var n = await stream.ReadAsync(buffer, _stop.Token);
                    if (n == 0)
                    {
                        break;
                    }

                    received.Write(buffer, 0, n);
                }

                var body = Encoding.UTF8.GetString(received.GetBuffer(), headEnd + 4, (int)received.Length - headEnd - 4);
                lock (Requests)
                {
                    Requests.Add(head + "\r\n\r\n" + body);
                }

                var (status, contentType, text, delay) = Answer(WebUtility.UrlDecode(body));
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, _stop.Token);
                }

                var payload = Encoding.UTF8.GetBytes(text);
                var response = $"HTTP/1.1 {status} X\r\nContent-Type: {contentType}\r\nContent-Length: {payload.Length}\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(response), _stop.Token);
                await stream.WriteAsync(payload, _stop.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client gave up (its timeout) or the server is stopping.
            }
        }
    }

    private static int IndexOfHeadEnd(MemoryStream received)
    {
        var bytes = received.GetBuffer().AsSpan(0, (int)received.Length);
        return bytes.IndexOf("\r\n\r\n"u8);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
