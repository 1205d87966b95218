using System.Diagnostics;
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
#pragma warning restore RS0030

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
