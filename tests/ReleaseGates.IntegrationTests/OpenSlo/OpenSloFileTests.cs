namespace ReleaseGates.IntegrationTests.OpenSlo;

/// <summary>
/// OpenSLO files as the specification's own repository writes them (tests/fixtures/openslo/spec-examples, unchanged) and
/// hand-made ones: every object loads, or is refused at file:line:column saying what is not supported. Nothing is half-read.
/// </summary>
public sealed class OpenSloFileTests : IDisposable
{
    private static readonly string Examples = Path.Combine(ReleaseGates.Tests.Support.Repository.Root, "tests", "fixtures", "openslo", "spec-examples");
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("releasegates-openslo-");

    public void Dispose() => _folder.Delete(recursive: true);

    private static IReadOnlyList<string> Refusals(string path, Action<OpenSloGateOptions>? configure = null)
    {
        var error = Assert.Throws<ReleaseGatesConfigurationException>(() => ReleaseGate.CreateBuilder().AddOpenSlo("slo", o =>
        {
            o.File = path;
            o.Prometheus = new PrometheusConnection { BaseAddress = new Uri("http://127.0.0.1:9/") };
            configure?.Invoke(o);
        }));
        return error.Problems;
    }

    private string Write(string yaml)
    {
        var path = Path.Combine(_folder.FullName, "slo.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private const string Prometheus = """
        apiVersion: openslo/v1
        kind: SLO
        metadata:
          name: checkout
        spec:
          service: shop
          indicator:
            metadata:
              name: checkout-errors
            spec:
              ratioMetric:
                counter: true
                bad:
                  metricSource:
                    type: Prometheus
                    spec:
                      query: slo_requests_total{outcome="error"}
                total:
                  metricSource:
                    type: Prometheus
                    spec:
                      query: slo_requests_total
          timeWindow:
            - duration: 28d
              isRolling: true
          budgetingMethod: Occurrences
          objectives:
            - displayName: Availability
              targetPercent: 99.9
        """;

    [Fact]
    public void The_spec_examples_with_placeholder_sources_are_refused_at_the_source_line()
    {
        // ratio-timeslices.yaml reads in full, but its sources are "type: Any": there is nothing to query.
        var problems = Refusals(Path.Combine(Examples, "ratio-timeslices.yaml"));
        Assert.Equal(2, problems.Count);
        Assert.All(problems, p => Assert.Contains("a metricSource of type 'Any' is not read", p, StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith(Path.Combine(Examples, "ratio-timeslices.yaml") + ":18:13:", StringComparison.Ordinal));   // good
        Assert.Contains(problems, p => p.StartsWith(Path.Combine(Examples, "ratio-timeslices.yaml") + ":23:13:", StringComparison.Ordinal));   // total

        var lowTraffic = Refusals(Path.Combine(Examples, "low-traffic-timeslices-slo.yaml"));
        Assert.All(lowTraffic, p => Assert.Contains("type 'Any'", p, StringComparison.Ordinal));
    }

    [Fact]
    public void The_spec_examples_features_that_are_not_read_are_named_with_their_line()
    {
        // A threshold metric, with its op and value.
        var threshold = Refusals(Path.Combine(Examples, "occurences-slo.yaml"));
        Assert.Contains(threshold, p => p.Contains("occurences-slo.yaml:16:9:", StringComparison.Ordinal)
            && p.Contains("a thresholdMetric", StringComparison.Ordinal) && p.Contains("_bucket{le=", StringComparison.Ordinal));
        Assert.Contains(threshold, p => p.Contains("occurences-slo.yaml:27:14: value compares a thresholdMetric", StringComparison.Ordinal));
        Assert.Contains(threshold, p => p.Contains("occurences-slo.yaml:26:11: op 'lt'", StringComparison.Ordinal));

        // "duration: 1m" under a calendar is one minute in OpenSLO, whatever its comment says.
        var calendar = Refusals(Path.Combine(Examples, "timeslices-slo.yaml"));
        var minutes = Assert.Single(calendar);
        Assert.Contains("timeslices-slo.yaml:27:17: duration '1m' is 1 minute(s) in OpenSLO (months are M)", minutes, StringComparison.Ordinal);

        // The README's inline-SLI example has neither the budgeting method the spec requires nor a window; given both, its
        // Datadog sources are what is not read.
        var inline = Refusals(Path.Combine(Examples, "readme-inline-sli.yaml"));
        Assert.Equal(2, inline.Count);
        Assert.Contains(inline, p => p.Contains("readme-inline-sli.yaml:7:3: SLO 'foo-slo' has no budgetingMethod.", StringComparison.Ordinal));
        Assert.Contains(inline, p => p.Contains("has no timeWindow; an error budget is counted over one.", StringComparison.Ordinal));
        var completed = File.ReadAllText(Path.Combine(Examples, "readme-inline-sli.yaml"))
            + "  timeWindow:\n    - duration: 28d\n      isRolling: true\n  budgetingMethod: Occurrences\n";
        var datadog = Refusals(Write(completed));
        Assert.Equal(2, datadog.Count);
        Assert.All(datadog, p => Assert.Contains("type 'Datadog' is not read", p, StringComparison.Ordinal));
    }

    [Fact]
    public void A_prometheus_slo_becomes_the_slo_gate_with_its_target_window_and_method()
    {
        var evaluator = ReleaseGate.CreateBuilder()
            .AddOpenSlo("checkout", o =>
            {
                o.File = Write(Prometheus);
                o.Prometheus = new PrometheusConnection { BaseAddress = new Uri("http://127.0.0.1:9/") };
                o.MinimumBudgetRemaining = 0.1;
                o.Tags.Add("slo");
            })
            .Build();

        var registration = Assert.Single(evaluator.Registrations);
        Assert.Equal("checkout", registration.Name);
        Assert.Contains("slo", registration.Tags);
        Assert.Equal(GateCategories.Performance, registration.Category);
    }

    [Theory]
    [InlineData("apiVersion: openslo/v1alpha", "apiVersion 'openslo/v1alpha' is not read")]
    [InlineData("  budgetingMethod: Occurrences", "Occurrences", "  budgetingMethod: Ocurrences")]
    [InlineData("      targetPercent: 99.9", "needs exactly one of target and targetPercent", "      targetPercent: 99.9\n      target: 0.999")]
    [InlineData("    - duration: 28d", "rolling window of them is not read; write days", "    - duration: 1M")]
    [InlineData("      name: checkout-errors", "'owner' is not read in the indicator's metadata", "      name: checkout-errors\n      owner: me")]
    [InlineData("        counter: true", "a precomputed ratio (rawType) is not read", "        counter: true\n        rawType: success")]
    [InlineData("    - displayName: Availability", "composite SLO", "    - displayName: Availability\n      indicatorRef: other")]
    public void Every_unsupported_or_unknown_field_is_refused_at_its_line(string line, string expected, string? replacement = null)
    {
        var yaml = replacement is null ? Prometheus.Replace("apiVersion: openslo/v1", line, StringComparison.Ordinal)
            : Prometheus.Replace(line, replacement, StringComparison.Ordinal);
        Assert.NotEqual(Prometheus, yaml);

        var problems = Refusals(Write(yaml));
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal) && p.StartsWith(Path.Combine(_folder.FullName, "slo.yaml") + ":",
            StringComparison.Ordinal));
    }

    [Fact]
    public void Credentials_in_the_file_are_refused_and_never_repeated()
    {
        var yaml = Prometheus.Replace("type: Prometheus", "metricSourceRef: prom", StringComparison.Ordinal) + """

            ---
            apiVersion: openslo/v1
            kind: DataSource
            metadata:
              name: prom
            spec:
              type: Prometheus
              connectionDetails:
                url: http://127.0.0.1:9/
                bearerToken: s3cr3t-t0ken
            """;

        var problems = Refusals(Write(yaml));
        var refusal = Assert.Single(problems);
        Assert.Contains("'bearerToken' is not read in the connectionDetails", refusal, StringComparison.Ordinal);
        Assert.Contains("credentials are given with the gate's prometheus connection", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", refusal, StringComparison.Ordinal);

        var inUrl = Refusals(Write(yaml.Replace("url: http://127.0.0.1:9/\n    bearerToken: s3cr3t-t0ken", "url: http://admin:hunter2@127.0.0.1:9/",
            StringComparison.Ordinal)));
        Assert.Contains("carries credentials, which are not read from the SLO file", Assert.Single(inUrl), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", inUrl[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_yaml_names_the_line_and_a_file_without_an_slo_says_so()
    {
        var broken = Refusals(Write("apiVersion: openslo/v1\nkind: SLO\nmetadata: [unclosed\n"));
        Assert.Contains(broken, p => p.Contains("slo.yaml:", StringComparison.Ordinal) && p.Contains("not valid YAML", StringComparison.Ordinal));

        var empty = Refusals(Write("apiVersion: openslo/v1\nkind: Service\nmetadata:\n  name: shop\nspec:\n  description: the shop\n"));
        Assert.Contains("holds no OpenSLO v1 object of kind SLO", Assert.Single(empty), StringComparison.Ordinal);
    }

    [Fact]
    public void Several_slos_or_objectives_must_be_named_and_a_missing_address_is_refused()
    {
        var two = Write(Prometheus + "\n---\n" + Prometheus.Replace("name: checkout\n", "name: search\n", StringComparison.Ordinal));
        Assert.Contains("holds 2 of SLOs ('checkout', 'search'); name the one to gate on", Assert.Single(Refusals(two)), StringComparison.Ordinal);
        Assert.Contains("no SLO 'orders'", Assert.Single(Refusals(two, o => o.Slo = "orders")), StringComparison.Ordinal);

        var noAddress = Refusals(Write(Prometheus), o => o.Prometheus = null);
        Assert.Contains("no Prometheus address", Assert.Single(noAddress), StringComparison.Ordinal);
    }
}
