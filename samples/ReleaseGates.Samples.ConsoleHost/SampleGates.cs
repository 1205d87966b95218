using System.Net.Http.Headers;
using ReleaseGates.Metrics;

namespace ReleaseGates.Samples.ConsoleHost;

/// <summary>
/// Custom gates written against the public API: what an application team writes for checks the library does not ship.
/// Each holds its measurements to text conditions and lets the evidence decide the status.
/// </summary>
internal static class SampleGates
{
    /// <summary>Latency percentiles of one endpoint, read from the in-process HTTP metrics capture.</summary>
    public static IReleaseGate Latency(HttpMetricsCollector collector, HttpEndpoint endpoint, long minimumSamples, params string[] conditions)
        => new DelegateGate((_, _) =>
        {
            var stats = collector.GetEndpoint(endpoint);
            var histogram = stats?.LatencyRecorder.GetCumulativeSnapshot();
            if (histogram is null || histogram.Count < minimumSamples)
            {
                return GateResult.Skipped($"{histogram?.Count ?? 0} samples for {endpoint.Method} {endpoint.Route}; at least {minimumSamples} are needed to judge latency");
            }

            var measurements = conditions.Select(GateCondition.Parse).Select(c =>
            {
                var percentile = double.Parse(c.Metric[2..^1], System.Globalization.CultureInfo.InvariantCulture);
                var ms = histogram.ValueAtPercentile(percentile) / 1e6;
                return Measurement.Evaluate(c.Metric, ms, MetricUnit.Milliseconds, c) with { Target = $"{endpoint.Method} {endpoint.Route}" };
            }).ToList();
            measurements.Add(new Measurement("count", histogram.Count, MetricUnit.Count));
            var p95 = histogram.ValueAtPercentile(95) / 1e6;
            return GateResult.FromEvidence($"p95 {p95:0.#} ms over {histogram.Count} requests", measurements);
        });

    /// <summary>The share of failed requests of one endpoint.</summary>
    public static IReleaseGate ErrorRate(HttpMetricsCollector collector, HttpEndpoint endpoint, string condition)
        => new DelegateGate((_, _) =>
        {
            var stats = collector.GetEndpoint(endpoint);
            if (stats is null || stats.Total == 0)
            {
                return GateResult.Skipped($"no requests to {endpoint.Method} {endpoint.Route}");
            }

            var rate = Measurement.Evaluate("rate", stats.ErrorRate, MetricUnit.Ratio, GateCondition.Parse(condition)) with { Target = $"{endpoint.Method} {endpoint.Route}" };
            return GateResult.FromEvidence($"{stats.Errors} of {stats.Total} requests failed ({stats.ErrorRate:P2})",
                [rate, new Measurement("requests", stats.Total, MetricUnit.Count), new Measurement("errors", stats.Errors, MetricUnit.Count)]);
        });

    /// <summary>GET a URL and expect 200 with a JSON body: the seeds' "curl the health endpoint".</summary>
    public static IReleaseGate JsonEndpoint(HttpClient client, Uri url)
        => new DelegateGate(async (_, ct) =>
        {
            HttpResponseMessage response;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                response = await client.GetAsync(url, ct);
            }
            catch (HttpRequestException ex)
            {
                return GateResult.Error($"GET {url} could not be sent: {ex.Message}", ex);
            }

            using (response)
            {
                var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
                var findings = new List<Finding>();
                if (response.StatusCode != System.Net.HttpStatusCode.OK)
                {
                    findings.Add(new Finding("endpoint.status", FindingSeverity.Error, $"expected 200, got {(int)response.StatusCode} {response.ReasonPhrase}") { Target = url.ToString() });
                }

                if (response.Content.Headers.ContentType is not MediaTypeHeaderValue { MediaType: "application/json" })
                {
                    findings.Add(new Finding("endpoint.content-type", FindingSeverity.Error, $"expected application/json, got '{response.Content.Headers.ContentType}'") { Target = url.ToString() });
                }

                var latency = Measurement.Evaluate("latency", elapsed.TotalMilliseconds, MetricUnit.Milliseconds, GateCondition.Parse("latency < 1s warn 200ms")) with { Target = url.ToString() };
                return GateResult.FromEvidence($"GET {url.AbsolutePath} → {(int)response.StatusCode} in {elapsed.TotalMilliseconds:0} ms", [latency], findings);
            }
        });

    private sealed class DelegateGate(Func<GateContext, CancellationToken, ValueTask<GateResult>> evaluate) : IReleaseGate
    {
        public DelegateGate(Func<GateContext, CancellationToken, GateResult> evaluate)
            : this((context, ct) => ValueTask.FromResult(evaluate(context, ct)))
        {
        }

        public ValueTask<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken) => evaluate(context, cancellationToken);
    }
}
