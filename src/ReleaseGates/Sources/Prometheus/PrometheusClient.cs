using System.Globalization;
using System.Net;
using System.Text.Json;
using Polly;
using Polly.Timeout;

namespace ReleaseGates;

/// <summary>
/// Instant and range queries over the Prometheus HTTP API (<c>/api/v1/query</c>, <c>/api/v1/query_range</c>), sent as
/// form posts so long PromQL fits, through a Polly.Core pipeline: retries with backoff on transport errors, timeouts and
/// 429/502/503/504, a timeout per attempt. A rejected query is an <see cref="InvalidDataException"/> with the server's
/// error type and message; messages name the server without credentials.
/// </summary>
internal sealed class PrometheusClient
{
    private static readonly HttpClient SharedClient = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        AutomaticDecompression = DecompressionMethods.All })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private readonly PrometheusConnection _connection;
    private readonly HttpClient _client;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly Uri _base;
    private readonly IReadOnlyList<string> _secretForms;

    public PrometheusClient(PrometheusConnection connection, TimeProvider time)
    {
        _connection = connection.Copy();
        _secretForms = IO.Redaction.SecretForms(_connection.Secrets);
        _client = connection.HttpClient ?? SharedClient;
        var address = connection.BaseAddress!.ToString();
        _base = new Uri(address.EndsWith('/') ? address : address + "/");
        // 429 too: a busy Prometheus (or a query-frontend in front of Thanos or Mimir) asks the client to come back.
        _pipeline = IO.HttpRetry.Build(
            time, connection.MaximumRetries, connection.RetryDelay, connection.AttemptTimeout,
                s => s == HttpStatusCode.TooManyRequests || IO.HttpRetry.IsTransient(s));
    }

    /// <summary>The server as messages name it.</summary>
    public string Server => _connection.ToString();

    /// <summary>Evaluates <paramref name="query"/> at <paramref name="time"/>.</summary>
    public Task<PrometheusResult> QueryAsync(string query, DateTimeOffset time, CancellationToken cancellationToken)
        => SendAsync("api/v1/query", query, [new("query", query), new("time", Timestamp(time))], cancellationToken);

    /// <summary>Evaluates <paramref name="query"/> at every <paramref name="step"/> from <paramref name="start"/> to <paramref name="end"/>.</summary>
    public Task<PrometheusResult> QueryRangeAsync(string query, DateTimeOffset start, DateTimeOffset end, TimeSpan step, CancellationToken cancellationToken)
        => SendAsync(
            "api/v1/query_range",
            query,
            [new("query", query), new("start", Timestamp(start)), new("end", Timestamp(end)),
                new("step", step.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture))],
            cancellationToken);

    /// <summary>
    /// The scrape URLs of the active targets of <paramref name="job"/> (<c>/api/v1/targets</c>), whatever their health: a
    /// target that is down is still an instance the fleet expects.
    /// </summary>
    public async Task<IReadOnlyList<(Uri ScrapeUrl, string Health)>> TargetsAsync(string job, CancellationToken cancellationToken)
    {
        var what = $"the targets of job '{job}'";
        var body = await SendRawAsync("api/v1/targets?state=active", what, null, cancellationToken).ConfigureAwait(false);
        return PrometheusResponseReader.ReadTargets(body.Text, body.Status, Server, job, Mask);
    }

    private async Task<PrometheusResult> SendAsync(string path, string query, KeyValuePair<string, string>[] form, CancellationToken cancellationToken)
    {
        var (text, status) = await SendRawAsync(path, $"'{query}'", form, cancellationToken).ConfigureAwait(false);
        return PrometheusResponseReader.Read(text, status, Server, query, Mask);
    }

    /// <summary>A form post (or with no form, a GET) through the pipeline; the body and status, or an exception naming <paramref name="what"/>.</summary>
    private async Task<(string Text, HttpStatusCode Status)> SendRawAsync(string path, string what, KeyValuePair<string, string>[]? form,
        CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _pipeline.ExecuteAsync(
                async token =>
                {
                    using var request = form is null ? new HttpRequestMessage(HttpMethod.Get, new Uri(_base, path))
                        : new HttpRequestMessage(HttpMethod.Post, new Uri(_base, path)) { Content = new FormUrlEncodedContent(form) };
                    request.Headers.Authorization = _connection.Authorization();
                    return await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, token).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new TimeoutException($"Prometheus at {Server} did not answer {what} within {_connection.AttemptTimeout.TotalSeconds:0.###} s ({_connection.MaximumRetries + 1} attempts).", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new HttpRequestException($"Prometheus at {Server} could not be reached for {what}: {Mask(ex.Message)}", ex, ex.StatusCode);
        }

        using (response)
        {
            return (await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false), response.StatusCode);
        }
    }

    /// <summary>The text with this connection's credentials (as written, in base64, URL-encoded) masked: a server may echo them.</summary>
    private string Mask(string text) => IO.Redaction.Redact(text, _secretForms)!;

    private static string Timestamp(DateTimeOffset time) => (time.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);
}
