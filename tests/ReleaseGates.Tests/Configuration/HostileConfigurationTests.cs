using System.Text;

namespace ReleaseGates.Tests.Configuration;

/// <summary>Configuration files a hostile or careless hand wrote: each a problem at its file, line and column, never an exception of another kind.</summary>
public sealed class HostileConfigurationTests : IDisposable
{
    private readonly Support.Fixtures.TempFolder _folder = Support.Fixtures.CreateTempFolder();

    public void Dispose() => _folder.Dispose();

    private ReleaseGatesConfigurationException Problems(byte[] json)
        => Assert.Throws<ReleaseGatesConfigurationException>(() => ReleaseGate.CreateBuilder().AddFromJson(new MemoryStream(json), "releasegates.json", _folder.Path));

    private ReleaseGatesConfigurationException Problems(string json) => Problems(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Bytes_that_are_not_utf8_are_a_problem_at_the_string()
    {
        var json = Encoding.UTF8.GetBytes("{\n  \"subject\": { \"service\": \"x\u00e9\" } }");
        json[Array.IndexOf(json, (byte)0xC3)] = 0xFF;

        Assert.Equal("releasegates.json:2:27: The string at subject.service holds bytes that are not UTF-8: save the file as UTF-8.", Assert.Single(Problems(json).Problems));
    }

    [Fact]
    public void An_escape_of_half_a_surrogate_pair_is_a_problem_at_the_string()
    {
        var problem = Assert.Single(Problems("""{ "subject": { "service": "x\ud800" } }""").Problems);
        Assert.StartsWith("releasegates.json:1:27: The string at subject.service holds a \\u escape of half a surrogate pair", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_nul_in_a_path_is_a_problem_at_its_line()
    {
        var problem = Assert.Single(Problems("""{ "gates": { "c": { "type": "coverage", "files": ["cov\u0000.xml"] } } }""").Problems);
        Assert.Equal("releasegates.json:1:51: gates.c.files[0]: a NUL character (\\u0000) has no place in a string.", problem);
    }

    [Theory]
    [InlineData("""{ "gates": { "c": { "type": "checklist", "files": ["a.md"], "groups": { "*Tier 3*": 1.0, "*Tier 3*": 0.0 } } } }""", "gates.c.groups.*Tier 3*: '*Tier 3*' is set twice.")]
    [InlineData("""{ "gates": { "s": { "type": "smokeTests", "baseAddress": "http://127.0.0.1:1", "requests": [ { "path": "/", "jsonEquals": { "$.status": "Broken", "$.status": "Healthy" } } ] } } }""", "'$.status' is set twice.")]
    [InlineData("""{ "gates": { "s": { "type": "smokeTests", "baseAddress": "http://127.0.0.1:1", "requests": [ { "path": "/", "headers": { "X-Key": "a", "x-key": "b" } } ] } } }""", "'x-key' is set twice.")]
    public void A_key_repeated_inside_a_dictionary_is_a_problem_never_the_later_value(string json, string expected)
        => Assert.EndsWith(expected, Assert.Single(Problems(json).Problems), StringComparison.Ordinal);

    [Fact]
    public void A_value_from_the_environment_never_appears_in_a_problem()
    {
        var variable = "RG_TEST_SECRET_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "hunter2-value-9");
        try
        {
            var json = $$"""
                {
                  "waivers": "${{{variable}}}.json",
                  "gates": { "t": { "type": "tls", "endpoints": ["https://127.0.0.1:1/"], "trustedRootFiles": ["${{{variable}}}.pem", "certs/${{{variable}}}/root.pem"] } }
                }
                """;

            var problems = Problems(json).Problems;

            Assert.Equal(3, problems.Count);
            Assert.All(problems, p => Assert.DoesNotContain("hunter2-value-9", p, StringComparison.Ordinal));
            Assert.Contains(problems, p => p.Contains($"the waivers file ${{{variable}}}.json does not exist", StringComparison.Ordinal));
            Assert.Contains(problems, p => p.Contains($"the certificate file certs/${{{variable}}}/root.pem does not exist", StringComparison.Ordinal));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void Devices_and_pipes_are_refused_as_configuration_files_never_read()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("named pipes and /dev/zero are Linux's");
        }

        var fifo = Path.Combine(_folder.Path, "waivers.json");
        Assert.Equal(0, Support.Fixtures.MakeFifo(fifo));

        var waivers = Assert.Single(Problems("""{ "waivers": "waivers.json" }""").Problems);
        var roots = Assert.Single(Problems("""{ "gates": { "t": { "type": "tls", "endpoints": ["https://127.0.0.1:1/"], "trustedRootFiles": ["/dev/zero"] } } }""").Problems);
        var config = Assert.Throws<ReleaseGatesConfigurationException>(() => ReleaseGate.CreateBuilder().AddFromJsonFile("/dev/zero"));

        Assert.Contains("is a named pipe (FIFO), not a regular file", waivers, StringComparison.Ordinal);
        Assert.Contains("/dev/zero is a character device, not a regular file", roots, StringComparison.Ordinal);
        Assert.Contains("/dev/zero: is a character device", Assert.Single(config.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gate_is_bound_once_when_the_file_is_loaded_so_a_variable_changed_later_reaches_nothing()
    {
        var variable = "RG_TEST_CHECKLIST_" + Guid.NewGuid().ToString("N");
        _folder.Write("done.md", "- [x] done\n");
        _folder.Write("open.md", "- [ ] open\n");
        Environment.SetEnvironmentVariable(variable, "done.md");
        try
        {
            var builder = ReleaseGate.CreateBuilder().AddFromJson(
                new MemoryStream(Encoding.UTF8.GetBytes($$"""{ "gates": { "list": { "type": "checklist", "files": ["${{{variable}}}"] } } }""")), "releasegates.json", _folder.Path);
            Environment.SetEnvironmentVariable(variable, "open.md");

            var report = await builder.EvaluateAsync(TestContext.Current.CancellationToken);

            Assert.Equal(GateStatus.Passed, report.Gates[0].Status);   // done.md, as the file was read
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }
}
