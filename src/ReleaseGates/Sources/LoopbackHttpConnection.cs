using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;

namespace ReleaseGates;

/// <summary>
/// One keep-alive HTTP/1.1 connection to a plain-HTTP server on this machine, for the load probe: the request is
/// encoded once, and each response is read to its last byte (Content-Length, chunked, or to the close) with only its
/// status code kept. It spends a fraction of <see cref="HttpClient"/>'s CPU per request, which on a machine shared with
/// the server under test is throughput the server gets. Anything it cannot read as HTTP/1.x is a protocol error, never a
/// response; see <see cref="HttpLoadProbe"/> for when it is used instead of <see cref="HttpClient"/>.
/// </summary>
internal sealed class LoopbackHttpConnection(IPEndPoint endpoint) : IDisposable
{
    /// <summary>The longest status or header line, and the longest chunk-size line, accepted.</summary>
    private const int BufferSize = 16 * 1024;

    private readonly byte[] _buffer = new byte[BufferSize];
    private Socket? _socket;
    private int _start;
    private int _end;

    /// <summary>The receive timeout set on the socket, in milliseconds; 0 on a new one (none set).</summary>
    private int _receiveTimeout;

    /// <summary>The outcome of one exchange: the status code, or the failure that left the request without one.</summary>
    internal readonly record struct Exchange(int Status, string? Failure);

    /// <summary>The request bytes for a target, or <see langword="null"/> when a header cannot go on the wire as is (then <see cref="HttpClient"/> sends it).</summary>
    public static byte[]? EncodeRequest(HttpMethod method, Uri target, IDictionary<string, string> headers, string? body, string contentType)
    {
        var content = body is null ? null : Encoding.UTF8.GetBytes(body);
        var text = new StringBuilder();
        text.Append(method.Method).Append(' ').Append(target.PathAndQuery).Append(" HTTP/1.1\r\n");
        if (!headers.ContainsKey("Host"))
        {
            text.Append("Host: ").Append(target.Authority).Append("\r\n");
        }

        foreach (var (name, value) in headers)
        {
            // Framing is this connection's: a caller's own Connection, Content-Length or Transfer-Encoding goes through
            // HttpClient, as does a value that is not ASCII (HttpClient decides how to encode it).
            if (!IsToken(name) || value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0 || !Ascii.IsValid(value)
                || name.Equals("Connection", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) || name.Equals("Expect", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        if (content is not null)
        {
            if (!headers.ContainsKey("Content-Type"))
            {
                text.Append("Content-Type: ").Append(contentType).Append("; charset=utf-8\r\n");
            }

            text.Append("Content-Length: ").Append(content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append("\r\n");
        }

        text.Append("\r\n");
        var head = Encoding.ASCII.GetBytes(text.ToString());
        return content is null ? head : [.. head, .. content];
    }

    /// <summary>
    /// Sends the request and reads the whole response, blocking the calling thread (a worker's own): a blocking read is
    /// woken by the kernel itself, where an asynchronous one costs a hop through the runtime's socket engine and thread
    /// pool, which is most of what separates a .NET client from wrk here. A connection the server closed while idle is
    /// reopened once, as HttpClient does; any other failure closes the connection, and the next exchange opens a new one.
    /// </summary>
    /// <param name="request">The encoded request.</param>
    /// <param name="isHead">Whether it is a HEAD request, whose response has no body whatever its headers say.</param>
    /// <param name="deadline">The monotonic (Stopwatch) timestamp the exchange must end by.</param>
    /// <exception cref="TimeoutException">The deadline passed first.</exception>
    /// <exception cref="ObjectDisposedException">The connection was aborted from another thread (<see cref="Abort"/>).</exception>
    public Exchange Send(ReadOnlyMemory<byte> request, bool isHead, long deadline)
    {
        for (var attempt = 0; ; attempt++)
        {
            var reused = _socket is not null;
            try
            {
                if (_socket is null)
                {
                    Connect(deadline);
                }

                SendAll(request, deadline);
                var (status, keepAlive) = ReadResponse(isHead, deadline);
                if (!keepAlive)
                {
                    Close();
                }

                return new Exchange(status, null);
            }
            catch (Exception e) when (reused && attempt == 0
                && (e is ClosedBeforeResponseException || e is SocketException { SocketErrorCode: not (SocketError.TimedOut or SocketError.WouldBlock) }))
            {
                Close(); // the server let the idle connection go (closed, or reset on the send): send on a new one
            }
            catch (ClosedBeforeResponseException)
            {
                Close();
                return new Exchange(0, "the server closed the connection before responding");
            }
            catch (MalformedResponseException e)
            {
                Close();
                return new Exchange(0, "the response is not HTTP/1.x: " + e.Message);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                Close(); // mid-exchange: what is left on the connection is unknown
                throw new TimeoutException();
            }
            catch (SocketException e)
            {
                Close();
                return new Exchange(0, e.Message);
            }
            catch (Exception e) when (e is TimeoutException or ObjectDisposedException)
            {
                Close();
                throw;
            }
        }
    }

    /// <summary>Ends a blocked exchange from another thread (the probe's time cap, or the caller cancelling): the socket is closed under it.</summary>
    public void Abort() => Volatile.Read(ref _socket)?.Dispose();

    public void Dispose() => Close();

    private void Connect(long deadline)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.SendTimeout = Remaining(deadline);
            Volatile.Write(ref _socket, socket);

            // A blocking connect has no timeout of its own (where a kernel drops the SYN of a full accept backlog, it retries
            // for minutes; Linux completes loopback connects in the kernel), so a timer closes the socket under it at the
            // request's deadline. Neither a non-blocking connect nor an async one is used: either leaves the socket in the
            // runtime's socket engine for good, and its reads with it (measured: 0.7x wrk instead of 0.95x).
            var fired = new StrongBox<int>();
            using (new Timer(CloseAtDeadline, (fired, socket), Remaining(deadline), Timeout.Infinite))
            {
                try
                {
                    socket.Connect(endpoint);
                }
                catch (Exception e) when (e is ObjectDisposedException or SocketException && Volatile.Read(ref fired.Value) == 1)
                {
                    throw new TimeoutException();
                }

                // 0 → 2 claims the socket; 1 means the timer closed it just as it connected.
                if (Interlocked.CompareExchange(ref fired.Value, 2, 0) == 1)
                {
                    throw new TimeoutException();
                }
            }
        }
        catch
        {
            Close();
            throw;
        }

        _start = _end = 0;
        _receiveTimeout = 0;
    }

    /// <summary>The connect timer's callback: closes the socket unless the connect claimed it first.</summary>
    private static void CloseAtDeadline(object? state)
    {
        var (fired, socket) = ((StrongBox<int>, Socket))state!;
        if (Interlocked.CompareExchange(ref fired.Value, 1, 0) == 0)
        {
            socket.Dispose();
        }
    }

    private void SendAll(ReadOnlyMemory<byte> request, long deadline)
    {
        while (!request.IsEmpty)
        {
            var sent = _socket!.Send(request.Span, SocketFlags.None);
            request = request[sent..];
        }
    }

    /// <summary>Reads one response (skipping interim 1xx ones) to its last byte; the status and whether the connection may be kept.</summary>
    private (int Status, bool KeepAlive) ReadResponse(bool isHead, long deadline)
    {
        while (true)
        {
            var statusLine = ReadLine(first: true, deadline);
            var (status, http10) = ParseStatusLine(_buffer.AsSpan(statusLine.Start, statusLine.Length));
            long? length = null;
            var chunked = false;
            var close = http10;
            while (true)
            {
                var line = ReadLine(first: false, deadline);
                if (line.Length == 0)
                {
                    break;
                }

                ParseHeader(_buffer.AsSpan(line.Start, line.Length), http10, ref length, ref chunked, ref close);
            }

            if (status is >= 100 and < 200)
            {
                if (status == 101)
                {
                    throw new MalformedResponseException("101 Switching Protocols: the probe does not upgrade connections");
                }

                continue; // an interim response; the final one follows
            }

            if (isHead || status is 204 or 304)
            {
                return (status, !close);
            }

            if (chunked)
            {
                SkipChunked(deadline);
            }
            else if (length is { } n)
            {
                Skip(n, deadline);
            }
            else
            {
                SkipToClose(deadline);
                return (status, false);
            }

            return (status, !close);
        }
    }

    private static (int Status, bool Http10) ParseStatusLine(ReadOnlySpan<byte> line)
    {
        // HTTP/1.1 200 OK — the reason phrase may be empty or absent.
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || line[8] != (byte)' ' || (line.Length > 12 && line[12] != (byte)' ')
            || !Utf8Parser.TryParse(line.Slice(9, 3), out int status, out var consumed) || consumed != 3 || status < 100)
        {
            throw new MalformedResponseException($"bad status line '{Shown(line)}'");
        }

        return (status, line[7] == (byte)'0');
    }

    private static void ParseHeader(ReadOnlySpan<byte> line, bool http10, ref long? length, ref bool chunked, ref bool close)
    {
        var colon = line.IndexOf((byte)':');
        if (colon <= 0 || line[..colon].IndexOfAny((byte)' ', (byte)'\t') >= 0)
        {
            throw new MalformedResponseException($"bad header line '{Shown(line)}'");
        }

        var name = line[..colon];
        var value = line[(colon + 1)..].Trim(" \t"u8);
        if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
        {
            if (!Utf8Parser.TryParse(value, out long n, out var consumed) || consumed != value.Length || n < 0 || (length is { } earlier && earlier != n))
            {
                throw new MalformedResponseException($"bad Content-Length '{Shown(value)}'");
            }

            length = n;
        }
        else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
        {
            // Only chunked framing is read; any other coding (or chunked not last) cannot be delimited here.
            var last = value[(value.LastIndexOf((byte)',') + 1)..].Trim(" \t"u8);
            if (!Ascii.EqualsIgnoreCase(last, "chunked"u8))
            {
                throw new MalformedResponseException($"Transfer-Encoding '{Shown(value)}' is not chunked");
            }

            chunked = true;
        }
        else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
        {
            close = Contains(value, "close"u8) || (http10 && !Contains(value, "keep-alive"u8));
        }
    }

    /// <summary>Whether a comma-separated header value lists <paramref name="token"/>.</summary>
    private static bool Contains(ReadOnlySpan<byte> value, ReadOnlySpan<byte> token)
    {
        while (true)
        {
            var comma = value.IndexOf((byte)',');
            if (Ascii.EqualsIgnoreCase((comma < 0 ? value : value[..comma]).Trim(" \t"u8), token))
            {
                return true;
            }

            if (comma < 0)
            {
                return false;
            }

            value = value[(comma + 1)..];
        }
    }

    private void SkipChunked(long deadline)
    {
        while (true)
        {
            var line = ReadLine(first: false, deadline);
            var text = _buffer.AsSpan(line.Start, line.Length);
            var semicolon = text.IndexOf((byte)';');
            var digits = (semicolon < 0 ? text : text[..semicolon]).Trim(" \t"u8);
            if (digits.Length is 0 or > 15 || !Utf8Parser.TryParse(digits, out long size, out var consumed, 'x') || consumed != digits.Length)
            {
                throw new MalformedResponseException($"bad chunk size '{Shown(text)}'");
            }

            if (size == 0)
            {
                // Trailers, if any, up to the empty line that ends the message.
                while ((ReadLine(first: false, deadline)).Length > 0)
                {
                }

                return;
            }

            Skip(size, deadline);
            if ((ReadLine(first: false, deadline)).Length != 0)
            {
                throw new MalformedResponseException("a chunk is longer than its size");
            }
        }
    }

    private void Skip(long count, long deadline)
    {
        while (count > 0)
        {
            if (_start == _end && Fill(deadline) == 0)
            {
                throw new MalformedResponseException("the connection closed inside the body");
            }

            var taken = (int)Math.Min(count, _end - _start);
            _start += taken;
            count -= taken;
        }
    }

    private void SkipToClose(long deadline)
    {
        _start = _end;
        while (Fill(deadline) > 0)
        {
            _start = _end;
        }
    }

    /// <summary>
    /// The next line's place in the buffer, without its CRLF (a bare LF also ends a line). A connection that closes
    /// before the first byte of a response is <see cref="ClosedBeforeResponseException"/>; anywhere else it is a
    /// protocol error, as is a line longer than the buffer.
    /// </summary>
    private (int Start, int Length) ReadLine(bool first, long deadline)
    {
        var scanned = 0;
        while (true)
        {
            var newline = _buffer.AsSpan(_start + scanned, _end - _start - scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var start = _start;
                var length = scanned + newline;
                _start += length + 1;
                return (start, length > 0 && _buffer[start + length - 1] == (byte)'\r' ? length - 1 : length);
            }

            scanned = _end - _start;
            if (_start > 0)
            {
                // Keep the partial line at the front, so the buffer can take the rest of it.
                _buffer.AsSpan(_start, scanned).CopyTo(_buffer);
                _end = scanned;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                throw new MalformedResponseException($"a line longer than {BufferSize} bytes");
            }

            if (Fill(deadline) == 0)
            {
                throw first && scanned == 0 ? new ClosedBeforeResponseException() : new MalformedResponseException("the connection closed inside the headers");
            }
        }
    }

    /// <summary>Reads what has arrived after the buffered data; 0 when the server closed the connection.</summary>
    private int Fill(long deadline)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }

        // Setting the timeout is a system call; with a fixed request timeout the whole milliseconds left are mostly the
        // same from one read to the next, so it is set only when they change.
        var socket = _socket!;
        var timeout = Remaining(deadline);
        if (timeout != _receiveTimeout)
        {
            socket.ReceiveTimeout = timeout;
            _receiveTimeout = timeout;
        }

        var read = socket.Receive(_buffer.AsSpan(_end), SocketFlags.None);
        _end += read;
        return read;
    }

    /// <summary>The milliseconds left until the deadline, at least 1; <see cref="TimeoutException"/> when none are.</summary>
#pragma warning disable RS0030 // a request's deadline is on the monotonic clock its latency is timed with
    private static int Remaining(long deadline)
    {
        var left = System.Diagnostics.Stopwatch.GetElapsedTime(System.Diagnostics.Stopwatch.GetTimestamp(), deadline);
        return left > TimeSpan.Zero ? (int)Math.Clamp(Math.Ceiling(left.TotalMilliseconds), 1, int.MaxValue) : throw new TimeoutException();
    }
#pragma warning restore RS0030

    private void Close()
    {
        Interlocked.Exchange(ref _socket, null)?.Dispose();
        _start = _end = 0;
    }

    private static bool IsToken(string name)
        => name.Length > 0 && name.All(c => c is > ' ' and < '\x7f' && "()<>@,;:\\\"/[]?={}".IndexOf(c) < 0);

    private static string Shown(ReadOnlySpan<byte> text)
    {
        var shown = Encoding.ASCII.GetString(text[..Math.Min(text.Length, 80)]);
        return string.Concat(shown.Select(c => c is >= ' ' and < '\x7f' ? c : '?'));
    }

    /// <summary>The server closed the connection before the response's first byte.</summary>
    private sealed class ClosedBeforeResponseException : Exception;

    /// <summary>The response is not HTTP/1.x this connection can delimit.</summary>
    private sealed class MalformedResponseException(string message) : Exception(message);
}
