using ReleaseGates.Tests.Support;

namespace ReleaseGates.Tests.Sources;

public sealed class JsonFileMetricSourceTests : IDisposable
{
    private readonly Fixtures.TempFolder _folder = Fixtures.CreateTempFolder();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    private ValueTask<MetricReading> ReadAsync(string json, string jsonPointer)
        => MetricSource.FromJsonFile(_folder.Write("r.json", json), jsonPointer).ReadAsync(TestGates.Context(), _ct);

    [Theory]
    [InlineData("""{ "metrics": { "http_req_duration": { "p(95)": 1800.3 } } }""", "/metrics/http_req_duration/p(95)", 1800.3)]
    [InlineData("""{ "a/b": { "c~d": [1, 2.5] } }""", "/a~1b/c~0d/1", 2.5)]
    [InlineData("""42""", "", 42)]
    public async Task Reads_the_number_the_pointer_names(string json, string jsonPointer, double expected)
    {
        var reading = await ReadAsync(json, jsonPointer);

        Assert.Equal(expected, reading.Value);
    }

    [Fact]
    public async Task Null_is_no_data()
    {
        var reading = await ReadAsync("""{ "x": null }""", "/x");

        Assert.Null(reading.Value);
        Assert.Contains("null at /x", reading.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "x": 1 }""", "/y", "has nothing at /y")]
    [InlineData("""{ "x": [1] }""", "/x/3", "has nothing at /x/3")]
    [InlineData("""{ "x": "12" }""", "/x", "has String at /x, not a finite number")]
    [InlineData("""{ "x": 1e999 }""", "/x", "not a finite number")]
    [InlineData("""{ "x": """, "/x", "is not JSON: line 1")]
    public async Task What_is_not_a_number_there_is_an_error_naming_the_file_and_the_pointer(string json, string jsonPointer, string expected)
    {
        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await ReadAsync(json, jsonPointer));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("r.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_is_an_error_and_a_pointer_without_a_slash_is_refused_at_registration()
    {
        var missing = await Assert.ThrowsAsync<InvalidDataException>(async () =>
            await MetricSource.FromJsonFile(Path.Combine(_folder.Path, "missing.json"), "/x").ReadAsync(TestGates.Context(), _ct));
        Assert.Contains("missing.json: does not exist", missing.Message, StringComparison.Ordinal);
        var error = Assert.Throws<ReleaseGatesConfigurationException>(() => ReleaseGate.CreateBuilder()
            .AddMetric("m", o => { o.Source = MetricSource.FromJsonFile("r.json", "x"); o.Conditions.Add("value < 1"); }).Build());
        Assert.Contains("must be empty or start with '/'", Assert.Single(error.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_releasegates_json_the_file_is_relative_to_it_and_a_relative_condition_compares_with_the_baseline()
    {
        _folder.Write("ci/ratios.json", """{ "record": { "toHdrHistogram": 0.86 } }""");
        var config = _folder.Write("ci/releasegates.json", """
            { "gates": { "record-ratio": { "type": "metric", "source": { "jsonFile": "ratios.json", "pointer": "/record/toHdrHistogram" },
                                           "conditions": ["value <= +10%"], "unit": "ratio" } } }
            """);
        var evaluator = ReleaseGate.CreateBuilder().AddFromJsonFile(config).Build();
        var baseline = await evaluator.EvaluateAsync(null, _ct);
        var request = new EvaluationRequest { Baseline = baseline };
        _folder.Write("ci/ratios.json", """{ "record": { "toHdrHistogram": 0.99 } }""");

        var report = await evaluator.EvaluateAsync(request, _ct);

        var value = Assert.Single(report.FindGate("record-ratio")!.Measurements);
        Assert.Equal((0.99, 0.86, GateStatus.Failed), (value.Value, value.Baseline!.Value, value.Status));
    }
}
