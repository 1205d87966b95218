using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using ReleaseGates.Tests.Support;

namespace ReleaseGates.IntegrationTests.Docs;

/// <summary>docs/releasegates.schema.json is the generated schema, and every JSON example in the docs loads and fits it.</summary>
public partial class ConfigurationDocsTests
{
    /// <summary>The kinds the tool bundles besides the built-in ones: the schema in docs is the tool's (<c>release-gates schema</c>).</summary>
    private static readonly GateKind[] ToolKinds = [new OpenSloGateKind()];

    private static readonly string SchemaPath = Path.Combine(Repository.Root, "docs", "releasegates.schema.json");

    private static readonly JsonDocumentOptions Lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static TheoryData<string> Examples() => new(
        new[] { "configuration.md", "history.md", "metrics.md", "gates/canary.md", "gates/tls.md", "gates/websocket.md", "seeds.md", "gates/migrations.md" }
            .SelectMany(page => JsonBlock().Matches(File.ReadAllText(Path.Combine(Repository.Root, "docs", page))).Select(m => m.Groups[1].Value)));

    [Fact]
    public void The_schema_in_docs_is_the_generated_one()
    {
        var generated = ReleaseGatesConfigurationSchema.Generate(ToolKinds);
        if (Environment.GetEnvironmentVariable("RELEASEGATES_UPDATE_SCHEMA") == "1")
        {
            File.WriteAllText(SchemaPath, generated);
        }

        Assert.True(
            File.Exists(SchemaPath) && File.ReadAllText(SchemaPath).ReplaceLineEndings("\n") == generated,
            "docs/releasegates.schema.json is not the generated schema: run the tests once with RELEASEGATES_UPDATE_SCHEMA=1 and commit the file.");
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_json_example_loads_and_fits_the_schema(string json)
    {
        Environment.SetEnvironmentVariable("RELEASE_VERSION", "2.4.0");
        Environment.SetEnvironmentVariable("API_TOKEN", "example-token");
        Environment.SetEnvironmentVariable("DATABASE_URL", "Host=127.0.0.1;Database=app;Username=app;Password=example-password");
        var schema = JsonSchema.FromText(ReleaseGatesConfigurationSchema.Generate(ToolKinds));
        var document = JsonDocument.Parse(json, Lenient);

        var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(result.IsValid, string.Join("\n", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
        var builder = ReleaseGate.CreateBuilder().AddFromJson(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)), "example.json", Repository.Root, ToolKinds);
        Assert.NotEmpty(builder.Build().Registrations);
    }

    [Fact]
    public void The_waivers_page_examples_load_as_a_configuration_and_its_waivers_file()
    {
        var blocks = JsonBlock().Matches(File.ReadAllText(Path.Combine(Repository.Root, "docs", "waivers.md"))).Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(2, blocks.Length);
        var folder = Directory.CreateTempSubdirectory("rg-waivers-doc-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "releasegates.json"), blocks[0]);
            File.WriteAllText(Path.Combine(folder, "waivers.json"), blocks[1]);
            var schema = JsonSchema.FromText(ReleaseGatesConfigurationSchema.Generate(ToolKinds));
            Assert.True(schema.Evaluate(JsonDocument.Parse(blocks[0], Lenient).RootElement).IsValid);

            var evaluator = ReleaseGate.CreateBuilder().AddFromJsonFile(Path.Combine(folder, "releasegates.json")).Build();
            Assert.Equal("headers", Assert.Single(evaluator.Registrations).Name);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_schema_rejects_what_the_loader_rejects()
    {
        var schema = JsonSchema.FromText(ReleaseGatesConfigurationSchema.Generate(ToolKinds));
        foreach (var bad in new[]
        {
            """{ "gates": { "c": { "type": "coverage", "colour": 1 } } }""",
            """{ "gates": { "c": { "type": "coverages" } } }""",
            """{ "gates": { "c": { "type": "coverage", "format": "xml" } } }""",
            """{ "subject": { "colour": "blue" } }""",
        })
        {
            Assert.False(schema.Evaluate(JsonDocument.Parse(bad).RootElement).IsValid, bad);
        }
    }

    [GeneratedRegex("```json\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
