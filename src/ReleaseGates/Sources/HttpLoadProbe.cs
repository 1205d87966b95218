using System.Diagnostics;
using System.Net;
using ReleaseGates.Metrics;

namespace ReleaseGates;

/// <summary>
/// A small, bounded HTTP load generator for release gates, with a request cap and a time cap: a closed loop of N workers,
/// or an open model that sends at a fixed arrival rate and measures each request from when it came due
/// (<see cref="HttpLoadProbeOptions.RequestsPerSecond"/>).
/// </summary>
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
            // The warm-up is spread over the workers, all at once, so that each opens its connections before the
            // measurement (with one worker, the others' connects and the server's set-up of them were measured).
            async Task WarmUp(int worker)
            {
                var share = options.WarmupRequests / senders.Length + (worker < options.WarmupRequests % senders.Length ? 1 : 0);
                for (var i = 0; i < share; i++)
                {
                    await senders[worker].SendAsync((worker + i) % targets.Length, options.RequestTimeout, cancellationToken).ConfigureAwait(false);
                }
            }

            var warming = Math.Min(senders.Length, options.WarmupRequests);
            await Task.WhenAll(Enumerable.Range(0, warming).Select(worker => OnItsThread(senders[worker], () => WarmUp(worker)))).ConfigureAwait(false);

            return await MeasureAsync(options, senders, targets.Length, time, cancellationToken).ConfigureAwait(false);
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

    /// <summary>The measured part of a run, in the closed loop or the open model.</summary>
    private static async Task<HttpLoadProbeResult> MeasureAsync(HttpLoadProbeOptions options, ISender[] senders, int targets, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var run = new Run(options, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // The schedule, the time cap and the run's clock start once every worker is running. Starting a hundred threads
        // takes a while on a loaded machine, and a request that came due before its worker existed was counted late, or
        // dropped. A worker on a thread of its own blocks on the start; one on the thread pool awaits it.
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var allReady = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ready = 0;
        async Task Work(ISender sender)
        {
            if (Interlocked.Increment(ref ready) == senders.Length)
            {
                allReady.TrySetResult();
            }

            if (sender.Blocks)
            {
                go.Task.Wait(CancellationToken.None);
            }
            else
            {
                await go.Task.ConfigureAwait(false);
            }

            await run.WorkAsync(sender, targets, deadline.Token, cancellationToken).ConfigureAwait(false);
        }

        var workers = Task.WhenAll(senders.Select(sender => OnItsThread(sender, () => Work(sender))));
        try
        {
            await allReady.Task.ConfigureAwait(false);
            run.Start();
            deadline.CancelAfter(run.TimeCap);
        }
        finally
        {
            go.TrySetResult(); // whatever happens here, no worker is left waiting
        }

        await workers.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return run.Result();
    }

    /// <summary>One measured run's schedule and counts, shared by its workers.</summary>
    private sealed class Run
    {
        private readonly HttpLoadProbeOptions _options;
        private readonly ConcurrentLatencyRecorder _latencies = new();
        private readonly ConcurrentLatencyRecorder? _startDelays;
        private readonly RequestWindows _windows;
        private readonly long _limit;
        private long _started; // set by Start
        private readonly long _scheduled;
        private long _next = -1, _total, _errors, _unanswered, _late, _lastResponse;
        private string? _firstTransportError;

        public Run(HttpLoadProbeOptions options, TimeProvider time)
        {
            _options = options;
            _windows = new RequestWindows(options.WindowInterval, 3600, time, trackLatency: true);
            _limit = options.Requests ?? HttpLoadProbeOptions.MaximumRequests;
            var sending = options.Duration is { } d && d < HttpLoadProbeOptions.MaximumDuration ? d : HttpLoadProbeOptions.MaximumDuration;
            if (options.RequestsPerSecond is null)
            {
                TimeCap = sending; // the closed loop stops sending at the cap and cuts off what is in flight
                return;
            }

            // The open model schedules until the cap, then lets what came due be answered, dropped or time out.
            _startDelays = new ConcurrentLatencyRecorder();
            _scheduled = Math.Min(_limit, ArrivalSchedule.DueBy(sending.TotalSeconds, options.RequestsPerSecond.Value, options.RampUp ?? TimeSpan.Zero));
            TimeCap = sending + options.RequestTimeout + TimeSpan.FromSeconds(1);
        }

        /// <summary>
        /// How long after it came due a request may still find a connection: a worker that finishes just after a request
        /// came due takes it; later than this, no connection was free when it came due, and it is dropped.
        /// </summary>
        private static readonly long DropAfterTicks = (long)(HttpLoadProbeOptions.DropAfter.TotalSeconds * Stopwatch.Frequency);

        /// <summary>Starts the schedule and the run's clock: called once every worker is running, before any sends.</summary>
        public void Start()
        {
            _started = Stopwatch.GetTimestamp();
            _lastResponse = _started;
        }

        /// <summary>When the run is cut off, in-flight requests included.</summary>
        public TimeSpan TimeCap { get; }

        public async Task WorkAsync(ISender sender, int targets, CancellationToken deadline, CancellationToken cancellationToken)
        {
            var writer = _latencies.CreateWriter();
            var delays = _startDelays?.CreateWriter();
            long n;
            while (!deadline.IsCancellationRequested && (n = Interlocked.Increment(ref _next)) < _limit)
            {
                var due = 0L;
                var timeout = _options.RequestTimeout;
                if (_options.RequestsPerSecond is { } rate)
                {
                    if (n >= _scheduled)
                    {
                        break;
                    }

                    due = _started + (long)(ArrivalSchedule.Offset(n, rate, _options.RampUp ?? TimeSpan.Zero) * Stopwatch.Frequency);
                    if (Stopwatch.GetTimestamp() - due > DropAfterTicks)
                    {
                        continue; // every connection was busy when it came due: dropped at the in-flight limit
                    }

                    if (!await WaitUntilAsync(due, sender.Blocks, deadline).ConfigureAwait(false))
                    {
                        break; // the run's time cap came first
                    }

                    var delay = Stopwatch.GetTimestamp() - due;
                    delays!.RecordElapsed(due, due + delay);
                    if (delay > HttpLoadProbeResult.LateStartThreshold.TotalSeconds * Stopwatch.Frequency)
                    {
                        Interlocked.Increment(ref _late);
                    }

                    timeout -= TimeSpan.FromSeconds(delay / (double)Stopwatch.Frequency);
                    if (timeout <= TimeSpan.Zero)
                    {
                        continue;
                    }
                }

                var begin = Stopwatch.GetTimestamp();
                var (isError, answered, failure) = await sender.SendAsync((int)(n % targets), timeout, deadline).ConfigureAwait(false);
                var end = Stopwatch.GetTimestamp();
                if (!answered && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    break; // cut off by the time cap: neither a success nor an error
                }

                cancellationToken.ThrowIfCancellationRequested();
                Record(isError, answered, failure, due == 0 ? begin : due, end, writer);
            }
        }

        private void Record(bool isError, bool answered, string? failure, long from, long end, LatencyRecorderWriter writer)
        {
            var completed = Interlocked.Increment(ref _total);
            _options.Progress?.Report(completed);
            if (isError)
            {
                Interlocked.Increment(ref _errors);
            }

            if (!answered)
            {
                Interlocked.Increment(ref _unanswered);
                Interlocked.CompareExchange(ref _firstTransportError, failure, null);
            }
            else
            {
                writer.RecordElapsed(from, end);
            }

            _windows.Record(isError, answered ? Stopwatch.GetElapsedTime(from, end) : null);
            InterlockedMax(ref _lastResponse, end);
        }

        public HttpLoadProbeResult Result() => new()
        {
            Latency = _latencies.GetCumulativeSnapshot(),
            Total = _total,
            Errors = _errors,
            Unanswered = _unanswered,
            Duration = Stopwatch.GetElapsedTime(_started, _lastResponse),
            Windows = _windows,
            FirstTransportError = _firstTransportError,
            Model = _options.RequestsPerSecond is null ? HttpLoadProbeModel.ClosedLoop : HttpLoadProbeModel.OpenModel,
            IntendedRequestsPerSecond = _options.RequestsPerSecond,
            Scheduled = _startDelays is null ? _total : _scheduled,
            LateStarts = _late,
            StartDelays = _startDelays?.GetCumulativeSnapshot(),
            Dropped = _startDelays is null ? 0 : _scheduled - _total,
        };
    }

    /// <summary>
    /// Waits until the monotonic clock reaches <paramref name="due"/>: asleep until a millisecond or so before it, then
    /// yielding the processor, so a request starts within microseconds of its time without a core spent spinning. False
    /// when the deadline came first.
    /// </summary>
    private static async ValueTask<bool> WaitUntilAsync(long due, bool blocks, CancellationToken deadline)
    {
        var coarse = (long)(0.0015 * Stopwatch.Frequency);
        long remaining;
        while ((remaining = due - Stopwatch.GetTimestamp()) > 0)
        {
            if (deadline.IsCancellationRequested)
            {
                return false;
            }

            if (remaining > coarse)
            {
                var sleep = TimeSpan.FromSeconds((remaining - coarse) / (double)Stopwatch.Frequency + 0.0005);
                if (blocks)
                {
                    deadline.WaitHandle.WaitOne(sleep);
                }
                else
                {
                    await Task.Delay(sleep, CancellationToken.None).ConfigureAwait(false);
                }
            }
            else
            {
                Thread.Yield();
            }
        }

        return !deadline.IsCancellationRequested;
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

        /// <summary>
        /// Sends a request to target number <paramref name="target"/>; a response not complete within
        /// <paramref name="timeout"/> is a timeout.
        /// </summary>
        ValueTask<(bool IsError, bool Answered, string? Failure)> SendAsync(int target, TimeSpan timeout, CancellationToken cancellationToken);
    }

    private sealed class ClientSender(HttpClient client, HttpLoadProbeOptions options, Uri[] targets) : ISender
    {
        public bool Blocks => false;

        public async ValueTask<(bool IsError, bool Answered, string? Failure)> SendAsync(int target, TimeSpan timeout, CancellationToken cancellationToken)
            => await HttpLoadProbe.SendAsync(client, options, targets[target], timeout, cancellationToken).ConfigureAwait(false);

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

        public ValueTask<(bool IsError, bool Answered, string? Failure)> SendAsync(int target, TimeSpan timeout, CancellationToken cancellationToken)
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
            var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
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
        Uri target, TimeSpan within, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(within);
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
