using System.Globalization;
using System.Text;

namespace ReleaseGates.Tests.Configuration;

/// <summary>The canary judge in releasegates.json: a baseline and a canary source, judged as the same gate configured in C#.</summary>
public sealed class CanaryConfigurationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rg-canary-config-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A JMeter results file of 200 requests around <paramref name="medianMs"/> (a fixed spread of ±30 ms).</summary>
    private string Jtl(string name, int medianMs)
    {
        var text = new StringBuilder("timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect\n");
        for (var i = 0; i < 200; i++)
        {
            var elapsed = medianMs - 30 + (i * 37 % 61);
            text.Append(CultureInfo.InvariantCulture, $"{1700000000000 + (i * 100)},{elapsed},GET /api/orders,200,OK,Users 1-1,text,true,,512,120,1,1,http://127.0.0.1/api/orders,{elapsed - 5},0,1\n");
        }

        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text.ToString());
        return path;
    }

    [Theory]
    [InlineData(100, ReleaseDecision.Go)]
    [InlineData(160, ReleaseDecision.NoGo)]
    public async Task A_canary_in_json_gives_the_decision_and_evidence_of_the_same_gate_in_csharp(int canaryMs, ReleaseDecision expected)
    {
        Jtl("baseline.jtl", 100);
        Jtl("canary.jtl", canaryMs);
        var json = """
            {
              "gates": {
                "canary": {
                  "type": "canary",
                  "baseline": { "jMeterJtl": "baseline.jtl" },
                  "canary": { "jMeterJtl": "canary.jtl" },
                  "maximumIncrease": "20ms",
                  "confidence": 0.95
                }
              }
            }
            """;
        var fromJson = await ReleaseGate.CreateBuilder().AddFromJson(new MemoryStream(Encoding.UTF8.GetBytes(json)), "releasegates.json", _folder).EvaluateAsync(TestContext.Current.CancellationToken);
        var fromCSharp = await ReleaseGate.CreateBuilder().AddCanary("canary", o =>
        {
            o.Baseline = RequestMetricsSource.FromJMeterJtl(Path.Combine(_folder, "baseline.jtl"));
            o.Canary = RequestMetricsSource.FromJMeterJtl(Path.Combine(_folder, "canary.jtl"));
            o.MaximumIncrease = TimeSpan.FromMilliseconds(20);
        }).EvaluateAsync(TestContext.Current.CancellationToken);

        Assert.Equal(expected, fromJson.Decision);
        Assert.Equal(fromCSharp.Decision, fromJson.Decision);
        Assert.Equal(
            fromCSharp.Gates[0].Measurements.Select(m => (m.Name, m.Value, m.Status)),
            fromJson.Gates[0].Measurements.Select(m => (m.Name, m.Value, m.Status)));
    }

    [Fact]
    public void A_canary_without_its_canary_source_is_a_problem_at_the_gate()
    {
        var json = """{ "gates": { "canary": { "type": "canary", "baseline": { "jMeterJtl": "b.jtl" }, "maximumIncrease": "20ms" } } }""";
        var error = Assert.Throws<ReleaseGatesConfigurationException>(() =>
            ReleaseGate.CreateBuilder().AddFromJson(new MemoryStream(Encoding.UTF8.GetBytes(json)), "releasegates.json", _folder));
        Assert.Contains("releasegates.json:1:24: gates.canary: Canary is required (a RequestMetricsSource: a latency histogram to compare latency, error counts to compare error rates).", error.Problems);
    }
}
