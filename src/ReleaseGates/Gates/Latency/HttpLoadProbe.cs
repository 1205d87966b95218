using System.Diagnostics;
using ReleaseGates.Metrics;

namespace ReleaseGates;

/// <summary>Options of the bounded HTTP load probe. Every run is capped in requests and in time.</summary>
public sealed class HttpLoadProbeOptions
{
    /// <summary>The most requests one run may send, whatever <see cref="Requests"/> says.</summary>
    public const int MaximumRequests = 1_000_000;

    /// <summary>The longest one run may take, whatever <see cref="Duration"/> says.</summary>
    public static readonly TimeSpan MaximumDuration = TimeSpan.FromMinutes(10);

    /// <summary>The URLs to send requests to, round robin. Required; http or https.</summary>
    public IList<Uri> Targets { get; } = [];

    /// <summary>The HTTP method. Default: GET.</summary>
    public HttpMethod Method { get; set; } = HttpMethod.Get;

    /// <summary>Headers sent with every request (an API key, <c>Accept</c>); content headers go on the body. Default: none.</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The request body sent with every request (for a <c>POST /api/screener/filter</c>), or <see langword="null"/> for none. Default: none.</summary>
    public string? Body { get; set; }

    /// <summary>The media type of <see cref="Body"/>. Default: <c>application/json</c>.</summary>
    public string BodyContentType { get; set; } = "application/json";

    /// <summary>Requests in flight at once (each a worker with its own loop). Default: 4; 1 to 256.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>How many measured requests to send, warm-up excluded. Default: 200. At most <see cref="MaximumRequests"/>.</summary>
    public int? Requests { get; set; } = 200;

    /// <summary>How long to send requests. Default: none (the request count bounds the run). At most <see cref="MaximumDuration"/>.</summary>
    public TimeSpan? Duration { get; set; }

    /// <summary>Requests sent first and not measured (connection set-up, JIT, caches). Default: 10.</summary>
    public int WarmupRequests { get; set; } = 10;

    /// <summary>The timeout of one request; a timed-out request is an error. Default: 10 seconds.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Which responses are errors. Default: any status outside 2xx: a redirect is not followed (it is not the page meant
    /// to be measured, and a redirect loop never succeeds), and a 4xx nobody expected is a broken endpoint. Set it to accept
    /// what you expect (<c>r =&gt; (int)r.StatusCode &gt;= 500</c>). Requests that get no response are always errors.
    /// </summary>
    public Func<HttpResponseMessage, bool> IsError { get; set; } = response => (int)response.StatusCode is < 200 or >= 300;

    /// <summary>
    /// The client to send with (for example one with an in-process test server's handler). Default: a client over a
    /// <see cref="SocketsHttpHandler"/> with one pooled connection per worker, created per run.
    /// </summary>
    public HttpClient? Client { get; set; }

    /// <summary>The window interval of the per-interval counts. Default: 1 second.</summary>
    public TimeSpan WindowInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Told the number of completed requests (warm-up excluded) after each one, e.g. to draw a progress bar. Default: none.</summary>
    public IProgress<long>? Progress { get; set; }

    internal void Validate(ICollection<string> problems)
    {
        if (Targets.Count == 0 || Targets.Any(t => t is null || !t.IsAbsoluteUri || t.Scheme is not ("http" or "https")))
        {
            problems.Add("LoadProbe.Targets must list at least one absolute http or https URL.");
        }

        if (Method is null || IsError is null || string.IsNullOrWhiteSpace(BodyContentType))
        {
            problems.Add("LoadProbe: Method, IsError and BodyContentType must be set.");
        }

        if (Concurrency is < 1 or > 256)
        {
            problems.Add($"LoadProbe.Concurrency must be 1 to 256, but was {Concurrency}.");
        }

        if (Requests is null && Duration is null)
        {
            problems.Add("LoadProbe: set Requests, Duration or both: a load probe is always bounded.");
        }

        if (Requests is < 1 or > MaximumRequests)
        {
            problems.Add($"LoadProbe.Requests must be 1 to {MaximumRequests}, but was {Requests}.");
        }

        if (Duration is { } d && (d <= TimeSpan.Zero || d > MaximumDuration))
        {
            problems.Add($"LoadProbe.Duration must be positive and at most {MaximumDuration}, but was {d}.");
        }

        if (WarmupRequests is < 0 or > 100_000 || RequestTimeout <= TimeSpan.Zero || WindowInterval < TimeSpan.FromMilliseconds(10))
        {
            problems.Add("LoadProbe: WarmupRequests must be 0 to 100000, RequestTimeout positive and WindowInterval at least 10 ms.");
        }
    }
}

/// <summary>What a load probe run measured.</summary>
public sealed class HttpLoadProbeResult
{
    /// <summary>Latencies of measured requests that got a response.</summary>
    public required LatencyHistogram Latency { get; init; }

    /// <summary>Measured requests sent (warm-up excluded).</summary>
    public long Total { get; init; }

    /// <summary>Measured requests that failed: an error status, no response, or a timeout.</summary>
    public long Errors { get; init; }

    /// <summary>Requests that got no response at all (connection refused, DNS failure, timeout).</summary>
    public long Unanswered { get; init; }

    /// <summary>From the first measured request to the last response.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Measured requests per second.</summary>
    public double RequestsPerSecond => Duration > TimeSpan.Zero ? Total / Duration.TotalSeconds : 0;

    /// <summary>Per-interval counts.</summary>
    public required RequestWindows Windows { get; init; }

    /// <summary>The first failure without a response, for the report.</summary>
    public string? FirstTransportError { get; init; }
}

/// <summary>A small, bounded HTTP load generator for release gates: N workers, a request cap and a time cap.</summary>
public static class HttpLoadProbe
{
    /// <summary>Runs the probe.</summary>
    /// <param name="options">The targets and bounds; validated first.</param>
    /// <param name="timeProvider">The clock of the windows. Default: <see cref="TimeProvider.System"/>.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>What was measured.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The options are invalid.</exception>
    public static async Task<HttpLoadProbeResult> RunAsync(HttpLoadProbeOptions options, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        options.Validate(problems);
        if (problems.Count > 0)
        {
            throw new ReleaseGatesConfigurationException("The load probe is misconfigured", problems);
        }

        var time = timeProvider ?? TimeProvider.System;
        var ownsClient = options.Client is null;
        var client = options.Client ?? new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Concurrency,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = false,
        })
        { Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            var targets = options.Targets.ToArray();
            var next = -1L;
            var warmup = options.WarmupRequests;
            for (var i = 0; i < warmup; i++)
            {
                await SendAsync(client, options, targets[i % targets.Length], cancellationToken).ConfigureAwait(false);
            }

            var recorder = new ConcurrentLatencyRecorder();
            var windows = new RequestWindows(options.WindowInterval, 3600, time, trackLatency: true);
            long total = 0, errors = 0, unanswered = 0;
            string? firstTransportError = null;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(options.Duration is { } d && d < HttpLoadProbeOptions.MaximumDuration ? d : HttpLoadProbeOptions.MaximumDuration);
            var limit = options.Requests ?? HttpLoadProbeOptions.MaximumRequests;
            var started = Stopwatch.GetTimestamp();
            var lastResponse = started;

            async Task Worker()
            {
                var writer = recorder.CreateWriter();
                long n;
                while (!deadline.IsCancellationRequested && (n = Interlocked.Increment(ref next)) < limit)
                {
                    var target = targets[(int)(n % targets.Length)];
                    var begin = Stopwatch.GetTimestamp();
                    var (isError, answered, failure) = await SendAsync(client, options, target, deadline.Token).ConfigureAwait(false);
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

            await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(Worker, CancellationToken.None))).ConfigureAwait(false);
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
            if (ownsClient)
            {
                client.Dispose();
            }
        }
    }

    private static async Task<(bool IsError, bool Answered, string? Failure)> SendAsync(HttpClient client, HttpLoadProbeOptions options, Uri target, CancellationToken cancellationToken)
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
