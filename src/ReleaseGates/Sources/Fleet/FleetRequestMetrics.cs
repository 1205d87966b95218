using System.Globalization;
using System.Net;
using Polly;
using Polly.Timeout;
using ReleaseGates.Metrics;

namespace ReleaseGates;

/// <summary>
/// Fetches every instance's histograms in parallel (Polly.Core retries and a timeout per attempt) and merges them exactly:
/// one histogram of every request of the fleet, counts summed, and per-interval windows lined up on the Unix epoch. An
/// instance that does not answer is counted and named, never dropped in silence; one that answers with something this
/// library cannot read (a newer format, another document) stops the read.
/// </summary>
internal sealed class FleetRequestMetrics
{
    // No automatic decompression (instances answer a few kilobytes, and it cost a third of a fetch's time) and no limit on
    // connections per server (each instance is one request at a time).
    private static readonly HttpClient SharedClient = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private readonly FleetRequestMetricsOptions _options;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly PrometheusClient? _prometheus;
    private readonly IReadOnlyList<string> _secretForms;
    private readonly string _query;
    private ListedUrls? _listed;

    public FleetRequestMetrics(FleetRequestMetricsOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _pipeline = IO.HttpRetry.Build(time, options.MaximumRetries, options.RetryDelay, options.AttemptTimeout, IO.HttpRetry.IsTransient);
        _prometheus = options.Prometheus is { } p ? new PrometheusClient(p, time) : null;
        _secretForms = IO.Redaction.SecretForms(options.Secrets);
        var query = new List<string>();
        if (options.Lookback is { } lookback)
        {
            query.Add("lookback=" + ((long)Math.Ceiling(lookback.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
        }

        if (options.Method is { } method)
        {
            query.Add("method=" + Uri.EscapeDataString(method));
        }

        if (options.Route is { } route)
        {
            query.Add("route=" + Uri.EscapeDataString(route));
        }

        if (options.Method is null && options.Route is null)
        {
            query.Add("endpoints=false");   // every request's series is all the fleet reads
        }

        _query = string.Join('&', query);
        var what = options.Route is null && options.Method is null ? "every request" : $"{options.Method ?? "every method"} {options.Route ?? "(every route)"}";
        Description = _prometheus is not null
            ? $"fleet of job '{options.PrometheusJob}' in Prometheus {_prometheus.Server}: {what} (merged instance histograms)"
            : options.Instances.Count == 1
                ? $"fleet of 1 instance ({Authority(options.Instances[0])}): {what} (merged instance histograms)"
                : $"fleet of {options.Instances.Count} instances ({string.Join(", ", options.Instances.Take(2).Select(Authority))}"
                    + $"{(options.Instances.Count > 2 ? ", …" : "")}): {what} (merged instance histograms)";
    }

    public string Description { get; }

    public async ValueTask<RequestMetrics> ReadAsync(GateContext context, CancellationToken cancellationToken)
    {
        var instances = await InstancesAsync(cancellationToken).ConfigureAwait(false);
        var answers = new Answer[instances.Count];
        using (var gate = new SemaphoreSlim(_options.MaximumConcurrency))
        {
            var done = 0;
            await Task.WhenAll(instances.Select(async (url, i) =>
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    answers[i] = await FetchAsync(url, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }

                var n = Interlocked.Increment(ref done);
                context.ReportProgressLazily(() => $"{n} of {instances.Count} instances");
            })).ConfigureAwait(false);
        }

        // Checked, then merged once every answer is in, one partial merge per processor: merging inside the fetches would
        // hold thread-pool threads on the partials' locks while the other fetches wait for a thread.
        var needed = CheckAnswered(instances.Count, answers);
        var merge = new FleetMerge(_options, _time);
        InParallel(merge.Partitions, answers.Length, i =>
        {
            if (answers[i].Histograms is { } histograms)
            {
                merge.Add(i, answers[i].Name, histograms);
                answers[i] = answers[i].Merged();
            }
        });
        return Result(instances.Count, needed, answers, merge);
    }

    /// <summary>The instances' histogram URLs: the list, or the active targets of the job in Prometheus.</summary>
    private async Task<IReadOnlyList<Uri>> InstancesAsync(CancellationToken cancellationToken)
    {
        if (_prometheus is null)
        {
            // The listed URLs with the query, built once for the list as it is (a host may still change the list between reads).
            var listed = _listed;
            if (listed is null || !listed.From.SequenceEqual(_options.Instances))
            {
                listed = new ListedUrls([.. _options.Instances], [.. _options.Instances.Select(WithQuery)]);
                _listed = listed;
            }

            return listed.Urls;
        }

        var targets = await _prometheus.TargetsAsync(_options.PrometheusJob!, cancellationToken).ConfigureAwait(false);
        if (targets.Count == 0)
        {
            throw new InvalidDataException(
                $"Prometheus at {_prometheus.Server} has no active target of job '{_options.PrometheusJob}': no instance to read (check the job name "
                    + $"against its scrape configuration).");
        }

        return [.. targets.Select(t => WithQuery(new UriBuilder(t.ScrapeUrl) { Path = _options.HistogramsPath, Query = "", Fragment = "" }.Uri))
            .Distinct()];
    }

    private Uri WithQuery(Uri url) => _query.Length == 0 ? url
        : new UriBuilder(url) { Query = string.IsNullOrEmpty(url.Query) ? _query : url.Query.TrimStart('?') + "&" + _query }.Uri;

    private async Task<Answer> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        var name = Authority(url);
        HttpResponseMessage response;
        try
        {
            response = await _pipeline.ExecuteAsync(
                async token =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, url);
                    request.Headers.TryAddWithoutValidation("Accept", HttpMetricsCollector.HistogramsMediaType);
                    foreach (var (header, value) in _options.Headers)
                    {
                        request.Headers.TryAddWithoutValidation(header, value);
                    }

                    return await (_options.HttpClient ?? SharedClient).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException)
        {
            return Answer.Missing(name, $"no answer within {_options.AttemptTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s "
                + $"({_options.MaximumRetries + 1} attempts)");
        }
        catch (HttpRequestException ex)
        {
            return Answer.Missing(name, Mask(ex.Message));
        }

        using (response)
        {
            return await ReadAnswerAsync(name, url, response, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>An instance's answer: its histograms, or why it is missing (a status, a broken transfer).</summary>
    private async Task<Answer> ReadAnswerAsync(string name, Uri url, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var hint = response.StatusCode switch
            {
                HttpStatusCode.NotFound => $" (is app.MapReleaseGatesHistograms() mapped at {url.AbsolutePath}?)",
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => " (check the credentials in the source's headers)",
                _ => "",
            };
            return Answer.Missing(name, $"HTTP {(int)response.StatusCode}{hint}");
        }

        byte[] body;
        try
        {
            (body, var truncated) = await IO.HttpBody.ReadCappedAsync(response.Content, _options.MaximumResponseBytes, cancellationToken)
                .ConfigureAwait(false);
            if (truncated)
            {
                return Answer.Missing(name, $"the answer is longer than the {_options.MaximumResponseBytes} bytes allowed (MaximumResponseBytes)");
            }
        }
        catch (HttpRequestException ex)
        {
            return Answer.Missing(name, Mask(ex.Message));
        }
        catch (IOException ex)
        {
            return Answer.Missing(name, Mask(ex.Message));
        }

        // An answer this library cannot read is no missing instance: it is an error of the whole read (version skew).
        return new Answer(name, InstanceHistograms.Read(body, $"The instance {name}"), null);
    }

    /// <summary>The merge of documents already fetched, named by their instance URLs, in parallel: what a read does besides its requests (benchmarks).</summary>
    internal RequestMetrics Merge(IReadOnlyList<Uri> instances, IReadOnlyList<byte[]> documents)
    {
        var answers = new Answer[instances.Count];
        var merge = new FleetMerge(_options, _time);
        InParallel(merge.Partitions, documents.Count, i =>
        {
            var name = Authority(instances[i]);
            var histograms = InstanceHistograms.Read(documents[i], name);
            merge.Add(i, name, histograms);
            answers[i] = new Answer(name, histograms, null).Merged();
        });
        return Result(instances.Count, CheckAnswered(instances.Count, answers), answers, merge);
    }

    /// <summary>
    /// Runs <paramref name="body"/> for 0 to <paramref name="count"/> − 1 in <paramref name="partitions"/> interleaved
    /// partitions at once; the first exception is rethrown as itself (a message naming the instance), not wrapped.
    /// </summary>
    private static void InParallel(int partitions, int count, Action<int> body)
    {
        try
        {
            Parallel.For(0, partitions, partition =>
            {
                for (var i = partition; i < count; i += partitions)
                {
                    body(i);
                }
            });
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
            throw;
        }
    }

    /// <summary>The fleet's metrics from the merge, with how many answered and a warning for each instance that did not.</summary>
    private static RequestMetrics Result(int instances, int needed, Answer[] answers, FleetMerge merge)
    {
        var answered = answers.Count(a => a.Histograms is not null);
        var missing = answers.Where(a => a.Histograms is null).ToList();
        var (latency, total, errors, windows) = merge.Result();
        return new RequestMetrics
        {
            Latency = latency,
            Total = total,
            Errors = errors,
            Windows = windows,
            SourceMeasurements = [new("instances-answered", answered, MetricUnit.Count) { Target = $"of {instances} instances" }],
            SourceFindings = [.. missing.Select(m => new Finding(FleetConstants.InstanceMissing, FindingSeverity.Warning,
                $"The instance {m.Name} did not answer ({m.Problem}): its requests are not in the fleet's numbers "
                    + $"({answered} of {instances} instances answered, at least {needed} required).") { Target = m.Name })],
        };
    }

    /// <summary>
    /// How many instances must answer; an exception naming those that did not when fewer did, or naming the instance that
    /// answered twice (under two URLs), whose requests would otherwise be counted twice.
    /// </summary>
    private int CheckAnswered(int instances, Answer[] answers)
    {
        var answered = answers.Where(a => a.Histograms is not null).ToList();
        var missing = answers.Where(a => a.Histograms is null).ToList();
        var needed = (int)Math.Ceiling(_options.MinimumAnsweredShare * instances - 1e-9);
        if (answered.Count < needed)
        {
            var missingText = string.Join("; ", missing.Take(5).Select(m => $"{m.Name}: {m.Problem}"))
                + (missing.Count > 5 ? $"; and {missing.Count - 5} more" : "");
            throw new HttpRequestException(
                $"{answered.Count} of {instances} instances answered; at least {needed} ({_options.MinimumAnsweredShare:P0}) must for a fleet "
                    + $"result. Not answering: {missingText}.");
        }

        var duplicate = answered.GroupBy(a => a.Histograms!.Id).FirstOrDefault(g => g.Skip(1).Any());
        if (duplicate is not null)
        {
            throw new InvalidDataException(
                $"One instance ('{duplicate.First().Histograms!.Name}') answered at {string.Join(" and ", duplicate.Select(a => a.Name))}: its "
                    + $"requests would be counted twice. List each instance once.");
        }

        return needed;
    }

    private string Mask(string text) => IO.Redaction.Redact(text, _secretForms)!;

    private static string Authority(Uri url) => url.IsAbsoluteUri ? url.GetLeftPart(UriPartial.Authority) : url.ToString();

    /// <summary>The listed instances and their URLs with the query; replaced whole (a reference write), so concurrent reads see one or the other.</summary>
    private sealed record ListedUrls(Uri[] From, Uri[] Urls);

    private sealed record Answer(string Name, InstanceHistograms? Histograms, string? Problem)
    {
        public static Answer Missing(string name, string problem) => new(name, null, problem);

        /// <summary>This answer without its series, once they are merged: only the instance's identity is read after that, and the bytes die young.</summary>
        public Answer Merged() => this with { Histograms = Histograms! with { Series = [] } };
    }
}
