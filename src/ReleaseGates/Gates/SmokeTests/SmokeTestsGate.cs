using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReleaseGates;

/// <summary>Sends each smoke request (bounded concurrency) and holds its response to the expectations, one measurement per check.</summary>
internal sealed class SmokeTestsGate(SmokeTestsGateOptions options) : IReleaseGate
{
    public async ValueTask<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        using var probe = new HttpProbe(options.Probe, context);
        var responses = new ProbeResponse[options.Requests.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, options.Requests.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.MaximumConcurrency, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                var request = options.Requests[i];
                var url = options.BaseAddress is null ? new Uri(request.Path) : new Uri(options.BaseAddress, request.Path);
                responses[i] = await probe.SendAsync(
                    new ProbeRequest(request.Method, url)
                    {
                        Headers = new Dictionary<string, string>(request.Headers),
                        Body = request.Body,
                        BodyContentType = request.BodyContentType,
                        FollowRedirects = request.FollowRedirects,
                    },
                    token).ConfigureAwait(false);
            }).ConfigureAwait(false);

        return Judge([.. options.Requests], responses);
    }

    /// <summary>
    /// The verdict as a pure function of the requests and their responses (index by index): an endpoint that could not
    /// be reached makes the gate <see cref="GateStatus.Error"/>; otherwise every check of every response is a measurement.
    /// </summary>
    internal static GateResult Judge(IReadOnlyList<SmokeRequest> requests, IReadOnlyList<ProbeResponse> responses)
    {
        var measurements = new List<Measurement>();
        var unreachable = new List<string>();
        var failed = 0;
        for (var i = 0; i < requests.Count; i++)
        {
            if (!responses[i].Succeeded)
            {
                unreachable.Add($"{requests[i].Name}: {responses[i].Failure}");
                continue;
            }

            var checks = Check(requests[i], responses[i]);
            failed += checks.Any(m => m.Status == GateStatus.Failed) ? 1 : 0;
            measurements.AddRange(checks);
        }

        return unreachable.Count > 0
            ? new GateResult(GateStatus.Error, $"Could not reach {unreachable.Count} of {requests.Count} endpoint(s): {string.Join("; ", unreachable)}", measurements)
            : GateResult.FromEvidence($"{requests.Count - failed} of {requests.Count} endpoint(s) as expected", measurements);
    }

    internal static List<Measurement> Check(SmokeRequest request, ProbeResponse response)
    {
        var name = request.Name;
        var measurements = new List<Measurement>();
        var statuses = request.ExpectedStatuses.Count == 0 ? new HashSet<int> { 200 } : request.ExpectedStatuses;
        measurements.Add(new Measurement($"{name} status", response.Status, MetricUnit.None)
        {
            Status = statuses.Contains(response.Status) ? GateStatus.Passed : GateStatus.Failed,
            Target = $"expected {string.Join(" or ", statuses.Order())}" + (response.Hops.Count > 1 ? $" (after {string.Join(" → ", response.Hops.Select(h => h.Status))})" : string.Empty),
        });

        measurements.Add(request.MaximumLatency is { } max
            ? Measurement.Evaluate($"{name} latency", response.Elapsed.TotalMilliseconds, MetricUnit.Milliseconds, GateCondition.LessThan("latency", max.TotalMilliseconds, MetricUnit.Milliseconds))
            : new Measurement($"{name} latency", response.Elapsed.TotalMilliseconds, MetricUnit.Milliseconds));

        if (request.ExpectedContentType is { } mediaType)
        {
            measurements.Add(Check($"{name} content type", string.Equals(response.MediaType, mediaType.Trim(), StringComparison.OrdinalIgnoreCase), $"expected {mediaType}, was {response.MediaType ?? "(none)"}"));
        }

        var body = response.BodyText;
        foreach (var text in request.BodyContains)
        {
            measurements.Add(Check($"{name} body contains \"{text}\"", body.Contains(text, StringComparison.Ordinal), response.BodyTruncated ? $"first {response.Body.Length} bytes read" : $"{response.Body.Length} bytes"));
        }

        if (request.JsonEquals.Count > 0)
        {
            JsonNode? root = null;
            string? parseError = null;
            try
            {
                root = JsonNode.Parse(response.Body);
            }
            catch (JsonException ex)
            {
                parseError = $"the body is not JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine}){(response.BodyTruncated ? ", and was cut at the body cap" : string.Empty)}";
            }

            foreach (var (path, expectedText) in request.JsonEquals)
            {
                var label = $"{name} {path} == {expectedText}";
                if (parseError is not null)
                {
                    measurements.Add(Check(label, false, parseError));
                    continue;
                }

                if (!JsonPath.TryParse(path, out var steps) || !JsonPath.TrySelect(root, steps, out var actual))
                {
                    measurements.Add(Check(label, false, $"{path} does not exist"));
                    continue;
                }

                var expected = ParseExpected(expectedText);
                var same = JsonNode.DeepEquals(actual, expected);
                measurements.Add(Check(label, same, $"was {actual?.ToJsonString() ?? "null"}"));
            }
        }

        foreach (var header in request.HeadersPresent)
        {
            // Presence only was asked: the value (a session cookie, an echoed token) is never copied into the report.
            var present = response.Header(header) is not null;
            measurements.Add(Check($"{name} header {header}", present, present ? "present" : "absent"));
        }

        return measurements;
    }

    private static JsonNode? ParseExpected(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text); // a bare word is a string: ExpectJson("$.status", "Healthy")
        }
    }

    private static Measurement Check(string name, bool ok, string target)
        => new(name, ok ? 1 : 0, MetricUnit.None) { Status = ok ? GateStatus.Passed : GateStatus.Failed, Target = target };
}
