using System.Diagnostics;
using System.Net;
using ReleaseGates.Metrics;

namespace ReleaseGates;

/// <summary>A small, bounded HTTP load generator for release gates: N workers, a request cap and a time cap.</summary>
public static class HttpLoadProbe
{
#pragma warning disable RS0030 // latency of real requests is timed with the monotonic high-resolution clock, whatever TimeProvider drives the windows
    /// <summary>Runs the probe.</summary>
    /// <param name="options">The targets and bounds; validated first.</param>
    /// <param name="timeProvider">The clock of the windows. Default: <see cref="TimeProvider.System"/>.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>What was measured.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The options are invalid.</exception>
    public static async Task<HttpLoadProbeResult> RunAsync(HttpLoadProbeOptions options, TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        options.Validate(problems);
        if (problems.Count > 0)
        {
            throw new ReleaseGatesConfigurationException("The load probe is misconfigured", problems);
        }

        var time = timeProvider ?? TimeProvider.System;
        var targets = options.Targets.ToArray();
        var loopback = LoopbackRequests(options, targets);
        var ownsClient = options.Client is null && loopback is null;
        var client = options.Client ?? (loopback is null ? new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Concurrency,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = false,
        })
        { Timeout = Timeout.InfiniteTimeSpan } : null);
        var senders = Enumerable.Range(0,
            options.Concurrency).Select(_ => loopback is null ? (ISender)new ClientSender(client!, options,
            targets) : new LoopbackSender(options, targets, loopback)).ToArray();
        try
        {
            var next = -1L;
            async Task WarmUp()
            {
                for (var i = 0; i < options.WarmupRequests; i++)
                {
                    await senders[0].SendAsync(i % targets.Length, cancellationToken).ConfigureAwait(false);
                }
            }

            await OnItsThread(senders[0], WarmUp).ConfigureAwait(false);

            var recorder = new ConcurrentLatencyRecorder();
            var windows = new RequestWindows(options.WindowInterval, 3600, time, trackLatency: true);
            long total = 0, errors = 0, unanswered = 0;
            string? firstTransportError = null;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(options.Duration is { } d && d < HttpLoadProbeOptions.MaximumDuration ? d : HttpLoadProbeOptions.MaximumDuration);
            var limit = options.Requests ?? HttpLoadProbeOptions.MaximumRequests;
            var started = Stopwatch.GetTimestamp();
            var lastResponse = started;

            async Task Worker(ISender sender)
            {
                var writer = recorder.CreateWriter();
                long n;
                while (!deadline.IsCancellationRequested && (n = Interlocked.Increment(ref next)) < limit)
                {
                    var begin = Stopwatch.GetTimestamp();
                    var (isError, answered, failure) = await sender.SendAsync((int)(n % targets.Length), deadline.Token).ConfigureAwait(false);
                    var end = Stopwatch.GetTimestamp();
                    if (!answered && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                    {
                        break; // cut off by the time cap: neither a success nor an error
                    }

                    cancellationToken.ThrowIfCancellationRequested();
                    var completed = Interlocked.Increment(ref total);
                    options.Progress?.Report(completed);
                    if (isError)
                    {
                        Interlocked.Increment(ref errors);
                    }

                    if (!answered)
                    {
                        Interlocked.Increment(ref unanswered);
                        Interlocked.CompareExchange(ref firstTransportError, failure, null);
                    }
                    else
                    {
                        writer.RecordElapsed(begin, end);
                    }

                    windows.Record(isError, answered ? Stopwatch.GetElapsedTime(begin, end) : null);
                    InterlockedMax(ref lastResponse, end);
                }
            }

            await Task.WhenAll(senders.Select(sender => OnItsThread(sender, () => Worker(sender)))).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return new HttpLoadProbeResult
            {
                Latency = recorder.GetCumulativeSnapshot(),
                Total = total,
                Errors = errors,
                Unanswered = unanswered,
                Duration = Stopwatch.GetElapsedTime(started, lastResponse),
                Windows = windows,
                FirstTransportError = firstTransportError,
            };
        }
        finally
        {
            foreach (var sender in senders)
            {
                sender.Dispose();
            }

            if (ownsClient)
            {
                client!.Dispose();
            }
        }
    }
#pragma warning restore RS0030

    /// <summary>Runs a worker on the thread pool, or on a thread of its own when its sender blocks.</summary>
    private static Task OnItsThread(ISender sender, Func<Task> work) => sender.Blocks
        ? Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()
        : Task.Run(work, CancellationToken.None);

    /// <summary>Whether a run with these options sends over the probe's own loopback connections rather than HttpClient.</summary>
    internal static bool UsesLoopbackConnections(HttpLoadProbeOptions options) => LoopbackRequests(options, [.. options.Targets]) is not null;

    /// <summary>
    /// Each target's request bytes when every request can go over the probe's own loopback connections: no client was
    /// given, the error rule is the default one, and every target is plain HTTP to a loopback IP address with headers
    /// that go on the wire as they are. Otherwise <see langword="null"/>, and HttpClient sends.
    /// </summary>
    private static (IPEndPoint Endpoint, byte[] Request)[]? LoopbackRequests(HttpLoadProbeOptions options, Uri[] targets)
    {
        if (options.Client is not null || !ReferenceEquals(options.IsError, HttpLoadProbeOptions.DefaultIsError))
        {
            return null;
        }

        var requests = new (IPEndPoint, byte[])[targets.Length];
        for (var i = 0; i < targets.Length; i++)
        {
            var target = targets[i];
            if (target.Scheme != Uri.UriSchemeHttp || !IPAddress.TryParse(target.DnsSafeHost, out var address) || !IPAddress.IsLoopback(address)
                || LoopbackHttpConnection.EncodeRequest(options.Method, target, options.Headers, options.Body, options.BodyContentType) is not { } request)
            {
                return null;
            }

            requests[i] = (new IPEndPoint(address, target.Port), request);
        }

        return requests;
    }

    /// <summary>Sends one worker's requests: its own connections, or the shared client.</summary>
    private interface ISender : IDisposable
    {
        /// <summary>Whether <see cref="SendAsync"/> blocks until done, so that it runs on a thread of its own.</summary>
        bool Blocks { get; }

        ValueTask<(bool IsError, bool Answered, string? Failure)> SendAsync(int target, CancellationToken cancellationToken);
    }

    private sealed class ClientSender(HttpClient client, HttpLoadProbeOptions options, Uri[] targets) : ISender
    {
        public bool Blocks => false;

        public async ValueTask<(bool IsError, bool Answered, string? Failure)> SendAsync(int target, CancellationToken cancellationToken)
            => await HttpLoadProbe.SendAsync(client, options, targets[target], cancellationToken).ConfigureAwait(false);

        public void Dispose()
        {
        }
    }

    /// <summary>
    /// A worker's keep-alive connections, one per target, used from the worker's own thread with blocking reads: each call
    /// completes before it returns. Cancelling the token closes the connections under a blocked read.
    /// </summary>
    private sealed class LoopbackSender(HttpLoadProbeOptions options, Uri[] targets, (IPEndPoint Endpoint, byte[] Request)[] requests) : ISender
    {
        private readonly LoopbackHttpConnection[] _connections = [.. requests.Select(r => new LoopbackHttpConnection(r.Endpoint))];
        private readonly bool _isHead = options.Method == HttpMethod.Head;
        private CancellationTokenRegistration _abort;
        private CancellationToken _abortOn;

        public bool Blocks => true;

        public ValueTask<(bool IsError, bool Answered, string? Failure)> SendAsync(int target, CancellationToken cancellationToken)
        {
            if (_abortOn != cancellationToken)
            {
                _abort.Dispose();
                _abortOn = cancellationToken;
                _abort = cancellationToken.Register(static state => ((LoopbackSender)state!).Abort(), this);
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return new((false, false, null));
            }

#pragma warning disable RS0030 // a request's deadline is on the monotonic clock its latency is timed with
            var deadline = Stopwatch.GetTimestamp() + (long)(options.RequestTimeout.TotalSeconds * Stopwatch.Frequency);
#pragma warning restore RS0030
            try
            {
                var exchange = _connections[target].Send(requests[target].Request, _isHead, deadline);
                return new(exchange.Failure is { } failure
                    ? (true, false, $"{options.Method} {targets[target]}: {failure}")
                    : (exchange.Status is < 200 or >= 300, true, null));
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested
                && e is ObjectDisposedException or System.Net.Sockets.SocketException or TimeoutException)
            {
                return new((false, false, null)); // cut off by the time cap or the caller: neither a success nor an error
            }
            catch (TimeoutException)
            {
                return new((true, false, $"{options.Method} {targets[target]} timed out after {options.RequestTimeout.TotalSeconds:0.###} s"));
            }
            catch (ObjectDisposedException)
            {
                return new((true, false, $"{options.Method} {targets[target]}: the connection was closed under the request"));
            }
        }

        public void Dispose()
        {
            _abort.Dispose();
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }
        }

        private void Abort()
        {
            foreach (var connection in _connections)
            {
                connection.Abort();
            }
        }
    }

    private static async Task<(bool IsError, bool Answered, string? Failure)> SendAsync(HttpClient client, HttpLoadProbeOptions options,
        Uri target, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        try
        {
            using var request = new HttpRequestMessage(options.Method, target);
            if (options.Body is { } body)
            {
                request.Content = new StringContent(body, System.Text.Encoding.UTF8, options.BodyContentType);
            }

            foreach (var (name, value) in options.Headers)
            {
                if (!request.Headers.TryAddWithoutValidation(name, value))
                {
                    request.Content ??= new ByteArrayContent([]);
                    request.Content.Headers.TryAddWithoutValidation(name, value);
                }
            }

            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);

            // Latency is to the last byte: drain the body through a pooled buffer instead of buffering it whole.
            var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
                try
                {
                    while (await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false) > 0)
                    {
                    }
                }
                finally
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                }
            }

            return (options.IsError(response), true, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (true, false, $"{options.Method} {target} timed out after {options.RequestTimeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException ex)
        {
            return (true, false, $"{options.Method} {target}: {ex.Message}");
        }
        catch (OperationCanceledException)
        {
            return (false, false, null);
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while ((current = Interlocked.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
