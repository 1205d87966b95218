using System.Text.Json;

namespace ReleaseGates.ThirdPartyGates;

/// <summary>
/// A gate package's kind makes its gate a citizen of releasegates.json through the public API only: bound as strictly as
/// a built-in gate, every problem at file:line:column, in the schema, and never able to take a built-in gate's type.
/// </summary>
public sealed class QueueDepthGateFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("releasegates-queue-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string gate)
    {
        var path = Path.Combine(_folder, "releasegates.json");
        File.WriteAllText(path, $$"""
            {
              "gates": {
                "orders-queue": {{gate}}
              }
            }
            """);
        return path;
    }

    [Fact]
    public async Task Runs_from_a_file_with_paths_relative_to_the_file_once_its_kind_is_given()
    {
        File.WriteAllText(Path.Combine(_folder, "depth.txt"), "120\n");
        var path = Write("""{ "type": "queueDepth", "maximumDepth": 1000, "warningDepth": 100, "depthFile": "depth.txt", "queues": ["orders"] }""");

        var report = await ReleaseGate.CreateBuilder().AddFromJsonFile(path, new QueueDepthGateKind()).EvaluateAsync(cancellationToken: Ct);

        var gate = report.Gates.Single();
        Assert.Equal(GateStatus.Warning, gate.Status);
        Assert.Equal(120, gate.Measurements.Single().Value);
        Assert.Equal("120 messages waiting in orders", gate.Summary);
    }

    [Fact]
    public void Without_its_kind_the_type_is_unknown_and_the_message_says_how_to_make_it_known()
    {
        var path = Write("""{ "type": "queueDepth", "maximumDepth": 1000 }""");

        var e = Assert.Throws<ReleaseGatesConfigurationException>(() => ReleaseGate.CreateBuilder().AddFromJsonFile(path));

        var problem = Assert.Single(e.Problems);
        Assert.StartsWith($"{path}:3:31: gates.orders-queue.type: unknown gate type 'queueDepth'", problem, StringComparison.Ordinal);
        Assert.Contains("gatePackages", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_an_unknown_property_and_a_wrong_value_at_their_lines_and_columns()
    {
        var path = Write("""
            {
                  "type": "queueDepth",
                  "maximumDepht": 1000,
                  "warningDepth": "many"
                }
            """);

        var e = Assert.Throws<ReleaseGatesConfigurationException>(() => ReleaseGate.CreateBuilder().AddFromJsonFile(path, new QueueDepthGateKind()));

        Assert.Collection(
            e.Problems,
            p => Assert.StartsWith($"{path}:5:7: gates.orders-queue.maximumDepht: unknown property 'maximumDepht'; expected one of:", p, StringComparison.Ordinal),
            p => Assert.Equal($"{path}:6:23: gates.orders-queue.warningDepth: expected a whole number, found 'many'.", p));
    }

    [Fact]
    public void Places_the_options_own_validation_at_the_gate_and_adds_nothing()
    {
        var path = Write("""{ "type": "queueDepth", "warningDepth": 10 }""");
        var builder = ReleaseGate.CreateBuilder();

        var e = Assert.Throws<ReleaseGatesConfigurationException>(() => builder.AddFromJsonFile(path, new QueueDepthGateKind()));

        Assert.Equal([$"{path}:3:21: gates.orders-queue: MaximumDepth must be set and positive, but was null."], e.Problems);
        Assert.Empty(builder.Build().Registrations);
    }

    [Fact]
    public void The_schema_describes_the_package_gate_with_its_own_properties()
    {
        using var schema = JsonDocument.Parse(ReleaseGatesConfigurationSchema.Generate(new QueueDepthGateKind()));

        var gates = schema.RootElement.GetProperty("properties").GetProperty("gates").GetProperty("additionalProperties").GetProperty("oneOf");
        var queue = gates.EnumerateArray().Single(g => g.GetProperty("properties").GetProperty("type").TryGetProperty("const", out var t) && t.GetString() == "queueDepth");
        var properties = queue.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("maximumDepth", properties);
        Assert.Contains("depthFile", properties);
        Assert.Contains("importance", properties);
        Assert.False(queue.GetProperty("additionalProperties").GetBoolean());
    }

    [Fact]
    public void A_kind_cannot_take_the_type_of_a_built_in_gate()
    {
        var e = Assert.Throws<ArgumentException>(() => ReleaseGate.CreateBuilder().AddFromJsonFile(Write("{ \"type\": \"latency\" }"), new ImpostorKind()));

        Assert.Contains("'Latency'", e.Message, StringComparison.Ordinal);
        Assert.Contains("already taken by a built-in gate", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("queue depth")]
    [InlineData("9lives")]
    public void A_kind_type_is_a_name(string type) =>
        Assert.ThrowsAny<ArgumentException>(() => new NamedKind(type));

    [Fact]
    public void A_problem_the_kind_reports_in_complete_is_placed_at_the_gate_and_adds_nothing()
    {
        var path = Write("""{ "type": "queueDepth", "maximumDepth": 10, "queues": [] }""");
        var builder = ReleaseGate.CreateBuilder();

        var e = Assert.Throws<ReleaseGatesConfigurationException>(() => builder.AddFromJsonFile(path, new StrictQueuesKind()));

        Assert.Equal([$"{path}:3:21: gates.orders-queue: name at least one queue."], e.Problems);
        Assert.Empty(builder.Build().Registrations);
    }

    private sealed class StrictQueuesKind() : GateKind<QueueDepthGateOptions>("queueDepth")
    {
        protected override void Register(IReleaseGatesBuilder builder, string name, QueueDepthGateOptions options) => builder.AddQueueDepth(name, options);

        protected override void Complete(QueueDepthGateOptions options, GateFileContext file)
        {
            if (options.Queues.Count == 0)
            {
                file.AddProblem("name at least one queue.");
            }
        }
    }

    private sealed class ImpostorKind() : GateKind<QueueDepthGateOptions>("Latency")
    {
        protected override void Register(IReleaseGatesBuilder builder, string name, QueueDepthGateOptions options) => builder.AddQueueDepth(name, options);
    }

    private sealed class NamedKind(string type) : GateKind<QueueDepthGateOptions>(type)
    {
        protected override void Register(IReleaseGatesBuilder builder, string name, QueueDepthGateOptions options) => builder.AddQueueDepth(name, options);
    }
}
