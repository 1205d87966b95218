using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using ReleaseGates.Metrics;

namespace ReleaseGates;

/// <summary>
/// Opens <see cref="WebSocketGateOptions.Connections"/> WebSockets at once, times each connect and each message's round
/// trip, holds them open, and (when asked) connects each again after it closed. Every operation that fails, times out or
/// gets an unexpected reply is an error; percentiles of connect and round-trip time and the error share are held to the
/// conditions. When no connection could be opened at all, nothing was measured: the gate's <c>Error</c>.
/// </summary>
internal sealed class WebSocketGate(WebSocketGateOptions options) : IReleaseGate
{
    public async ValueTask<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        var secrets = IO.Redaction.SecretForms(options.Secrets);
        var runs = await Task.WhenAll(Enumerable.Range(0, options.Connections)
            .Select(_ => RunConnectionAsync(context.TimeProvider, secrets, cancellationToken))).ConfigureAwait(false);
        if (runs.All(r => r.ConnectTimes.Count == 0))
        {
            var reason = runs.SelectMany(r => r.Failures).Select(f => f.Message).FirstOrDefault() ?? "no connection was opened";
            return GateResult.Error($"No WebSocket connection to {Shown(options.Url!)} could be opened ({options.Connections} tried): {reason}");
        }

        return Judge(runs, options);
    }

    /// <summary>What one connection measured: connect and round-trip times, operations tried, and what went wrong.</summary>
    internal sealed record ConnectionRun(List<TimeSpan> ConnectTimes, List<TimeSpan> RoundTrips, int Operations, List<(string Code, string Message)> Failures);

    /// <summary>The verdict as a pure function of what the connections measured.</summary>
    internal static GateResult Judge(IReadOnlyList<ConnectionRun> runs, WebSocketGateOptions options)
    {
        var operations = runs.Sum(r => r.Operations);
        var errors = runs.Sum(r => r.Failures.Count);
        var values = new Dictionary<string, (double Value, MetricUnit Unit)>(StringComparer.Ordinal)
        {
            ["errors"] = (errors, MetricUnit.Count),
            ["error-rate"] = (operations == 0 ? 0 : 100.0 * errors / operations, MetricUnit.Percent),
        };
        foreach (var (prefix, times) in new[] { ("connect", runs.SelectMany(r => r.ConnectTimes)), ("round-trip", runs.SelectMany(r => r.RoundTrips)) })
        {
            var histogram = new LatencyHistogram();
            foreach (var time in times)
            {
                histogram.Record(time);
            }

            if (histogram.Count == 0)
            {
                continue;
            }

            foreach (var (suffix, percentile) in new[] { ("p50", 50.0), ("p95", 95.0), ("p99", 99.0) })
            {
                values[$"{prefix}-{suffix}"] = (histogram.ValueAtPercentile(percentile) / 1e6, MetricUnit.Milliseconds);
            }

            values[$"{prefix}-max"] = (histogram.Max / 1e6, MetricUnit.Milliseconds);
        }

        var measurements = new List<Measurement>();
        var findings = new List<Finding>();
        foreach (var condition in options.Conditions.Select(GateCondition.Parse))
        {
            if (!values.TryGetValue(condition.Metric, out var measured))
            {
                findings.Add(new Finding(WebSocketGateConstants.Failed, FindingSeverity.Error,
                    $"'{condition}' cannot hold: no {condition.Metric.Split('-')[0]} time was measured."));
                continue;
            }

            measurements.Add(Measurement.Evaluate(condition.Metric, measured.Value, measured.Unit, condition));
        }

        foreach (var (name, (value, unit)) in values.Where(v => !measurements.Any(m => m.Name == v.Key)).OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            measurements.Add(new Measurement(name, value, unit));
        }

        foreach (var group in runs.SelectMany(r => r.Failures).GroupBy(f => (f.Code, f.Message)).OrderByDescending(g => g.Count()).Take(10))
        {
            findings.Add(new Finding(group.Key.Code, FindingSeverity.Info, $"{group.Count()} × {group.Key.Message}") { Target = Shown(options.Url!) });
        }

        var connected = runs.Count(r => r.ConnectTimes.Count > 0);
        var summary = $"{connected} of {runs.Count} connections to {Shown(options.Url!)} opened, {runs.Sum(r => r.RoundTrips.Count)} round trips, "
            + $"{errors} of {operations} operations failed";
        return GateResult.FromEvidence(GateResult.LeadWithShortfalls(measurements, summary), measurements, findings);
    }

    private async Task<ConnectionRun> RunConnectionAsync(TimeProvider time, IReadOnlyList<string> secrets, CancellationToken cancellationToken)
    {
        var run = new ConnectionRun([], [], 0, []);
        var operations = 0;
        using (var socket = await ConnectAsync(run, time, secrets, cancellationToken).ConfigureAwait(false))
        {
            operations++;
            if (socket is null)
            {
                return run with { Operations = operations };
            }

            for (var i = 0; i < options.MessagesPerConnection && options.Message is not null; i++)
            {
                operations++;
                if (!await RoundTripAsync(socket, run, time, secrets, cancellationToken).ConfigureAwait(false))
                {
                    operations += options.MessagesPerConnection - i - 1;
                    run.Failures.AddRange(Enumerable.Repeat((WebSocketGateConstants.Failed, "a later message was not sent: the connection had failed"),
                        options.MessagesPerConnection - i - 1));
                    break;
                }
            }

            if (options.HoldFor > TimeSpan.Zero)
            {
                await Task.Delay(options.HoldFor, time, cancellationToken).ConfigureAwait(false);
            }

            await CloseQuietlyAsync(socket, time).ConfigureAwait(false);
        }

        if (options.Reconnect)
        {
            operations++;
            using var again = await ConnectAsync(run, time, secrets, cancellationToken, reconnect: true).ConfigureAwait(false);
            if (again is not null && options.Message is not null)
            {
                operations++;
                _ = await RoundTripAsync(again, run, time, secrets, cancellationToken).ConfigureAwait(false);
            }

            if (again is not null)
            {
                await CloseQuietlyAsync(again, time).ConfigureAwait(false);
            }
        }

        return run with { Operations = operations };
    }

    private async Task<ClientWebSocket?> ConnectAsync(ConnectionRun run, TimeProvider time, IReadOnlyList<string> secrets, CancellationToken cancellationToken,
        bool reconnect = false)
    {
        var socket = new ClientWebSocket();
        foreach (var (name, value) in options.Headers)
        {
            socket.Options.SetRequestHeader(name, value);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.OperationTimeout);
        var start = time.GetTimestamp();
        try
        {
            await socket.ConnectAsync(options.Url!, options.HttpClient, deadline.Token).ConfigureAwait(false);
            run.ConnectTimes.Add(time.GetElapsedTime(start));
            return socket;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or HttpRequestException or IOException
            && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            var why = e is OperationCanceledException ? $"no upgrade within {options.OperationTimeout.TotalMilliseconds:0} ms" : Message(e, secrets);
            run.Failures.Add((reconnect ? WebSocketGateConstants.ReconnectFailed : WebSocketGateConstants.Failed,
                (reconnect ? "reconnect failed: " : "connect failed: ") + why));
            return null;
        }
    }

    /// <summary>Sends the message and reads one whole reply; false when the connection failed (its later messages cannot be sent).</summary>
    private async Task<bool> RoundTripAsync(ClientWebSocket socket, ConnectionRun run, TimeProvider time, IReadOnlyList<string> secrets,
        CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.OperationTimeout);
        var start = time.GetTimestamp();
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(options.Message!), WebSocketMessageType.Text, endOfMessage: true, deadline.Token)
                .ConfigureAwait(false);
            var reply = await ReceiveAsync(socket, deadline.Token).ConfigureAwait(false);
            if (reply is null)
            {
                run.Failures.Add((WebSocketGateConstants.Failed, "the server closed the connection instead of replying"));
                return false;
            }

            run.RoundTrips.Add(time.GetElapsedTime(start));
            if (options.ExpectedReply is { } expected && !reply.Contains(expected, StringComparison.Ordinal))
            {
                run.Failures.Add((WebSocketGateConstants.UnexpectedReply, $"a reply without '{expected}': '{Shorten(IO.Redaction.Redact(reply, secrets)!)}'"));
            }

            return true;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or InvalidDataException && !cancellationToken.IsCancellationRequested)
        {
            run.Failures.Add((WebSocketGateConstants.Failed, e is OperationCanceledException
                ? $"no reply within {options.OperationTimeout.TotalMilliseconds:0} ms" : "the round trip failed: " + Message(e, secrets)));
            return false;
        }
    }

    /// <summary>One whole message as text, or null when the server closed; more than the reply cap is an error.</summary>
    private async Task<string?> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[Math.Min(options.MaximumReplyBytes, 16 * 1024)];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            if (message.Length + result.Count > options.MaximumReplyBytes)
            {
                throw new InvalidDataException($"a reply longer than {options.MaximumReplyBytes} bytes");
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
            }
        }
    }

    /// <summary>Closes politely when the socket is still open, within the operation timeout; a close that fails changes nothing measured.</summary>
    private async Task CloseQuietlyAsync(ClientWebSocket socket, TimeProvider time)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var deadline = new CancellationTokenSource(options.OperationTimeout, time);
        try
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "release gate done", deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            socket.Abort();
        }
    }

    private static string Message(Exception e, IReadOnlyList<string> secrets) => IO.Redaction.Redact(e.Message, secrets)!;

    /// <summary>The URL without its query string, where a token often travels.</summary>
    private static string Shown(Uri url) => url.GetLeftPart(UriPartial.Path);

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..119] + "…";
}
