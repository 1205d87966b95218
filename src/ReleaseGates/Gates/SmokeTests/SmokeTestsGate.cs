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
        if (options.Requests.Any(r => r.Captures.Count > 0))
        {
            return await RunFlowAsync(probe, cancellationToken).ConfigureAwait(false);
        }

        var responses = new ProbeResponse[options.Requests.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, options.Requests.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.MaximumConcurrency, CancellationToken = cancellationToken },
            async (i, token) => responses[i] = await SendAsync(probe, options.Requests[i], EmptyValues, token).ConfigureAwait(false)).ConfigureAwait(false);

        return Judge([.. options.Requests], responses);
    }

    private static readonly IReadOnlyDictionary<string, string> EmptyValues = new Dictionary<string, string>();

    /// <summary>
    /// Requests that capture values run one after another in their order; a request whose variable an earlier response
    /// did not give is not sent (it fails, naming the variable). Captured values are masked in everything reported.
    /// </summary>
    private async Task<GateResult> RunFlowAsync(HttpProbe probe, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var everCaptured = new List<string>();
        var missing = new Dictionary<string, string>(StringComparer.Ordinal);
        var responses = new ProbeResponse?[options.Requests.Count];
        var notSent = new string?[options.Requests.Count];
        for (var i = 0; i < options.Requests.Count; i++)
        {
            var request = options.Requests[i];
            if (SmokeVariables.Referenced(request).FirstOrDefault(v => !values.ContainsKey(v)) is { } absent)
            {
                notSent[i] = $"not sent: {{{{{absent}}}}} was not captured ({(missing.TryGetValue(absent, out var why) ? why : "no earlier request gave it")})";
                continue;
            }

            var response = await SendAsync(probe, request, values, cancellationToken).ConfigureAwait(false);
            responses[i] = response;
            foreach (var (variable, path) in request.Captures)
            {
                if (CapturedValue(response, path) is { } value)
                {
                    values[variable] = value;
                    everCaptured.Add(value);
                    missing.Remove(variable);
                }
                else
                {
                    values.Remove(variable);
                    missing[variable] = response.Succeeded ? $"'{request.Name}' has no {path}" : $"'{request.Name}' got no response";
                }
            }
        }

        var result = Judge([.. options.Requests], responses, notSent);
        return Masked(result, everCaptured);
    }

    /// <summary>Sends the request once, or for a rate-limit check until a 429 or its limit; the attempts made are in <see cref="ProbeResponse.Attempts"/>.</summary>
    private async Task<ProbeResponse> SendAsync(HttpProbe probe, SmokeRequest request, IReadOnlyDictionary<string, string> values,
        CancellationToken cancellationToken)
    {
        var limit = request.RateLimitWithin ?? 1;
        for (var attempt = 1; ; attempt++)
        {
            var response = await SendOnceAsync(probe, request, values, cancellationToken).ConfigureAwait(false);
            if (attempt >= limit || !response.Succeeded || response.Status == 429)
            {
                response.Attempts = attempt;
                return response;
            }
        }
    }

    private async Task<ProbeResponse> SendOnceAsync(HttpProbe probe, SmokeRequest request, IReadOnlyDictionary<string, string> values,
        CancellationToken cancellationToken)
    {
        var path = SmokeVariables.Substitute(request.Path, values);
        return await probe.SendAsync(
            new ProbeRequest(request.Method, BaseAddressOf(request, path))
            {
                Headers = request.Headers.ToDictionary(h => h.Key, h => SmokeVariables.Substitute(h.Value, values), StringComparer.OrdinalIgnoreCase),
                Body = request.Body is null ? null : SmokeVariables.Substitute(request.Body, values),
                BodyContentType = request.BodyContentType,
                FollowRedirects = request.FollowRedirects,
            },
            cancellationToken).ConfigureAwait(false);
    }

    private Uri BaseAddressOf(SmokeRequest request, string path) => options.BaseAddress is null ? new Uri(path) : new Uri(options.BaseAddress, path);

    /// <summary>The text of the JSON value at <paramref name="path"/>: a string as it is, anything else as JSON; null when absent.</summary>
    internal static string? CapturedValue(ProbeResponse response, string path)
    {
        if (!response.Succeeded || !JsonPath.TryParse(path, out var steps))
        {
            return null;
        }

        try
        {
            return JsonPath.TrySelect(JsonNode.Parse(response.Body), steps, out var value) && value is not null
                ? value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static GateResult Masked(GateResult result, List<string> values)
        => values.Count == 0 ? result : new GateResult(
            result.Status,
            SmokeVariables.Mask(result.Summary, values),
            [.. result.Measurements.Select(m => m with { Name = SmokeVariables.Mask(m.Name, values),
                Target = m.Target is null ? null : SmokeVariables.Mask(m.Target, values) })],
            result.Findings);

    /// <summary>
    /// The verdict as a pure function of the requests and their responses (index by index): an endpoint that could not
    /// be reached makes the gate <see cref="GateStatus.Error"/>; otherwise every check of every response is a measurement.
    /// </summary>
    internal static GateResult Judge(IReadOnlyList<SmokeRequest> requests, IReadOnlyList<ProbeResponse?> responses, IReadOnlyList<string?>? notSent = null)
    {
        var measurements = new List<Measurement>();
        var unreachable = new List<string>();
        var failed = 0;
        for (var i = 0; i < requests.Count; i++)
        {
            if (notSent?[i] is { } reason || responses[i] is null)
            {
                // A flow's later step whose input never came: a failure of the flow, not an unreachable endpoint.
                measurements.Add(Check($"{requests[i].Name} sent", false, notSent?[i] ?? "not sent"));
                failed++;
                continue;
            }

            var response = responses[i]!;
            if (!response.Succeeded)
            {
                unreachable.Add($"{requests[i].Name}: {response.Failure}");
                continue;
            }

            var checks = Check(requests[i], response);
            failed += checks.Any(m => m.Status == GateStatus.Failed) ? 1 : 0;
            measurements.AddRange(checks);
        }

        return unreachable.Count > 0
            ? new GateResult(GateStatus.Error,
                $"Could not reach {unreachable.Count} of {requests.Count} endpoint(s): {string.Join("; ", unreachable)}", measurements)
            : GateResult.FromEvidence($"{requests.Count - failed} of {requests.Count} endpoint(s) as expected", measurements);
    }

    internal static List<Measurement> Check(SmokeRequest request, ProbeResponse response)
    {
        var name = request.Name;
        var measurements = new List<Measurement>();
        var statuses = request.ExpectedStatuses.Count > 0 ? request.ExpectedStatuses : new HashSet<int> { request.RateLimitWithin is null ? 200 : 429 };
        if (request.RateLimitWithin is { } within)
        {
            var limited = response.Status == 429;
            measurements.Add(new Measurement($"{name} rate limited after", response.Attempts, MetricUnit.Count)
            {
                Status = limited ? GateStatus.Passed : GateStatus.Failed,
                Target = limited ? $"429 at request {response.Attempts} of at most {within}"
                    : $"no 429 in {response.Attempts} requests (last status {response.Status})",
            });
            var retryAfter = response.Header("Retry-After");
            measurements.Add(Check($"{name} header Retry-After", limited && retryAfter is not null, retryAfter is null ? "absent" : $"{retryAfter}"));
        }

        measurements.Add(new Measurement($"{name} status", response.Status, MetricUnit.None)
        {
            Status = statuses.Contains(response.Status) ? GateStatus.Passed : GateStatus.Failed,
            Target = $"expected {string.Join(" or ", statuses.Order())}" + (response.Hops.Count > 1
                ? $" (after {string.Join(" → ", response.Hops.Select(h => h.Status))})" : string.Empty),
        });

        measurements.Add(request.MaximumLatency is { } max
            ? Measurement.Evaluate($"{name} latency", response.Elapsed.TotalMilliseconds, MetricUnit.Milliseconds,
                GateCondition.LessThan("latency", max.TotalMilliseconds, MetricUnit.Milliseconds))
            : new Measurement($"{name} latency", response.Elapsed.TotalMilliseconds, MetricUnit.Milliseconds));

        if (request.ExpectedContentType is { } mediaType)
        {
            measurements.Add(Check($"{name} content type",
                string.Equals(response.MediaType, mediaType.Trim(), StringComparison.OrdinalIgnoreCase),
                $"expected {mediaType}, was {response.MediaType ?? "(none)"}"));
        }

        var body = response.BodyText;
        foreach (var text in request.BodyContains)
        {
            measurements.Add(Check($"{name} body contains \"{text}\"", body.Contains(text, StringComparison.Ordinal),
                response.BodyTruncated ? $"first {response.Body.Length} bytes read" : $"{response.Body.Length} bytes"));
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

        measurements.AddRange(CheckJsonExists(request, response));
        foreach (var (header, expected) in request.HeaderValues)
        {
            var actual = response.Header(header);
            var same = actual is not null && string.Equals(actual.Trim(), expected.Trim(), StringComparison.Ordinal);
            var shown = actual is null ? "absent" : same ? "as expected" : IsSecretHeader(header)
                ? "a different value (not shown: it carries credentials)" : $"was '{IO.Redaction.Redact(actual)}'";
            measurements.Add(Check($"{name} header {header} == {expected}", same, shown));
        }

        foreach (var (variable, path) in request.Captures)
        {
            // The value is kept for later requests and never shown.
            var captured = CapturedValue(response, path) is not null;
            measurements.Add(Check($"{name} capture {variable}", captured, captured ? $"{path} captured (value not shown)" : $"{path} does not exist"));
        }

        foreach (var header in request.HeadersPresent)
        {
            // Presence only was asked: the value (a session cookie, an echoed token) is never copied into the report.
            var present = response.Header(header) is not null;
            measurements.Add(Check($"{name} header {header}", present, present ? "present" : "absent"));
        }

        return measurements;
    }

    private static IEnumerable<Measurement> CheckJsonExists(SmokeRequest request, ProbeResponse response)
    {
        if (request.JsonExists.Count == 0)
        {
            yield break;
        }

        JsonNode? root = null;
        var parsed = true;
        try
        {
            root = JsonNode.Parse(response.Body);
        }
        catch (JsonException)
        {
            parsed = false;
        }

        foreach (var (path, kind) in request.JsonExists)
        {
            var label = kind == SmokeRequest.AnyJsonKind ? $"{request.Name} {path} exists" : $"{request.Name} {path} is {kind}";
            if (!parsed || !JsonPath.TryParse(path, out var steps) || !JsonPath.TrySelect(root, steps, out var value))
            {
                yield return Check(label, false, parsed ? $"{path} does not exist" : "the body is not JSON");
                continue;
            }

            var actual = value is null ? "null" : value.GetValueKind() switch
            {
                JsonValueKind.String => "string",
                JsonValueKind.Number => "number",
                JsonValueKind.True or JsonValueKind.False => "boolean",
                JsonValueKind.Object => "object",
                JsonValueKind.Array => "array",
                _ => "null",
            };
            yield return Check(label, kind == SmokeRequest.AnyJsonKind || kind == actual, $"a {actual}");
        }
    }

    private static bool IsSecretHeader(string header) => header.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase)
        || header.Equals("Cookie", StringComparison.OrdinalIgnoreCase)
        || header.Contains("Authorization", StringComparison.OrdinalIgnoreCase)
        || header.Contains("Token", StringComparison.OrdinalIgnoreCase)
        || header.Contains("Key", StringComparison.OrdinalIgnoreCase)
        || header.Contains("Secret", StringComparison.OrdinalIgnoreCase)
        || IO.Redaction.IsSecretName(header);

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
