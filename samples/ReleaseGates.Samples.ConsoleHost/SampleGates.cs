using System.Net.Http.Headers;

namespace ReleaseGates.Samples.ConsoleHost;

/// <summary>
/// Custom gates written against the public API: what an application team writes for checks the library does not ship.
/// Each holds its measurements to text conditions and lets the evidence decide the status.
/// </summary>
internal static class SampleGates
{
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
