using System.Text;

namespace ReleaseGates.Tests.Gates.SmokeTests;

/// <summary>The smoke-tests verdict as a pure function of requests and responses: no HTTP here (Kestrel tests cover the sending).</summary>
public class SmokeTestsJudgeTests
{
    private static ProbeResponse Response(int status, string body = "", string? contentType = "application/json", string? failure = null) => new()
    {
        FinalUrl = new Uri("http://127.0.0.1/health"),
        Status = status,
        Headers = contentType is null
            ? new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = [contentType] },
        Body = Encoding.UTF8.GetBytes(body),
        Elapsed = TimeSpan.FromMilliseconds(12),
        Hops = [],
        Failure = failure,
    };

    [Fact]
    public void Passes_when_status_and_json_field_are_as_expected()
    {
        var request = SmokeRequest.Get("/health").ExpectStatus(200).ExpectJson("$.status", "Healthy");
        var result = SmokeTestsGate.Judge([request], [Response(200, """{"status":"Healthy"}""")]);
        Assert.Equal(GateStatus.Passed, result.Status);
        Assert.Equal("1 of 1 endpoint(s) as expected", result.Summary);
    }

    [Fact]
    public void Fails_when_the_status_is_not_expected()
    {
        var result = SmokeTestsGate.Judge([SmokeRequest.Get("/health").ExpectStatus(200)], [Response(503)]);
        Assert.Equal(GateStatus.Failed, result.Status);
        Assert.Contains(result.Measurements, m => m.Name.EndsWith(" status", StringComparison.Ordinal) && m.Status == GateStatus.Failed && m.Value == 503);
    }

    [Fact]
    public void Fails_when_a_json_field_is_missing_or_the_body_is_not_json()
    {
        var request = SmokeRequest.Get("/health").ExpectJson("$.status", "Healthy");
        Assert.Equal(GateStatus.Failed, SmokeTestsGate.Judge([request], [Response(200, """{"state":"Healthy"}""")]).Status);
        Assert.Equal(GateStatus.Failed, SmokeTestsGate.Judge([request], [Response(200, "<html>")]).Status);
    }

    [Fact]
    public void An_unreachable_endpoint_is_an_error_naming_it_never_a_pass()
    {
        var result = SmokeTestsGate.Judge(
            [SmokeRequest.Get("/health"), SmokeRequest.Get("/ready")],
            [Response(200), Response(0, failure: "connection refused")]);
        Assert.Equal(GateStatus.Error, result.Status);
        Assert.Contains("Could not reach 1 of 2 endpoint(s)", result.Summary, StringComparison.Ordinal);
        Assert.Contains("connection refused", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flow_that_uses_a_value_no_earlier_request_captures_is_rejected_with_every_problem()
    {
        var ex = Assert.Throws<ReleaseGatesConfigurationException>(() => ReleaseGate.CreateBuilder().AddSmokeTests("flow", o =>
        {
            o.BaseAddress = new Uri("http://127.0.0.1:5000/");
            o.Requests.Add(SmokeRequest.Get("api/orders/{{id}}").Named("read").WithHeader("Authorization", "Bearer {{token}}"));
            o.Requests.Add(SmokeRequest.Send(HttpMethod.Post, "api/login").Named("login").Capture("token", "$.access_token").Capture("bad name", "$.x"));
            o.Requests.Add(SmokeRequest.Get("api/me").Named("me").ExpectJsonExists("$.id", "integer").ExpectJsonExists("$.items[").ExpectRateLimitedWithin(5000));
        }));

        Assert.Contains("'read' uses {{id}}, which no earlier request captures", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'read' uses {{token}}, which no earlier request captures", ex.Message, StringComparison.Ordinal);
        Assert.Contains("the variable name 'bad name' must be letters, digits", ex.Message, StringComparison.Ordinal);
        Assert.Contains("the kind of $.id must be one of any, string, number, boolean, object, array, null, but was 'integer'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'$.items[' is not a JSON path", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'me': a rate limit is looked for within 2 to 1,000 requests, but 5000 were asked.", ex.Message, StringComparison.Ordinal);
    }
}
