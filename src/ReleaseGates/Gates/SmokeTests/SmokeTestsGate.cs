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
        var results = new List<Measurement>[options.Requests.Count];
        var failures = new string?[options.Requests.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, options.Requests.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.MaximumConcurrency, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                var request = options.Requests[i];
                var url = options.BaseAddress is null ? new Uri(request.Path) : new Uri(options.BaseAddress, request.Path);
                var response = await probe.SendAsync(
                    new ProbeRequest(request.Method, url)
                    {
                        Headers = new Dictionary<string, string>(request.Headers),
                        Body = request.Body,
                        BodyContentType = request.BodyContentType,
                        FollowRedirects = request.FollowRedirects,
                    },
                    token).ConfigureAwait(false);
                if (!response.Succeeded)
                {
                    failures[i] = $"{request.Name}: {response.Failure}";
                    results[i] = [];
                    return;
                }

                results[i] = Check(request, response);
            }).ConfigureAwait(false);

        var measurements = results.SelectMany(r => r).ToList();
        if (failures.FirstOrDefault(f => f is not null) is { } failure)
        {
            var count = failures.Count(f => f is not null);
            return new GateResult(GateStatus.Error, $"Could not reach {count} of {options.Requests.Count} endpoint(s): {string.Join("; ", failures.Where(f => f is not null))}", measurements);
        }

        var failed = results.Count(r => r.Any(m => m.Status == GateStatus.Failed));
        return GateResult.FromEvidence($"{options.Requests.Count - failed} of {options.Requests.Count} endpoint(s) as expected", measurements);
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
