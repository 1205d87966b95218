using System.Collections;
using System.Reflection;
using ReleaseGates.Metrics;

namespace ReleaseGates.Tests.Evaluation;

/// <summary>Options are copied when a gate is registered: nothing done to them after <c>Build()</c> reaches a gate.</summary>
public class FrozenOptionsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<Type> BuiltInOptions() =>
        [.. typeof(GateOptions).Assembly.GetExportedTypes().Where(t => t.IsSubclassOf(typeof(GateOptions)) && !t.IsAbstract)];

    [Theory]
    [MemberData(nameof(BuiltInOptions))]
    public void A_clone_shares_no_mutable_state_with_the_original(Type optionsType)
    {
        var original = (GateOptions)Activator.CreateInstance(optionsType)!;
        var copy = original.Clone();
        Assert.IsType(optionsType, copy);
        Assert.NotSame(original, copy);
        AssertNothingShared(original, copy, optionsType.Name, 0);
    }

    [Fact]
    public async Task An_options_instance_is_copied_and_validated_when_it_is_added()
    {
        using var folder = Support.Fixtures.CreateTempFolder();
        folder.Write("done.md", "- [x] done\n");
        folder.Write("open.md", "- [ ] open\n");
        var options = new ChecklistGateOptions { BaseDirectory = folder.Path };
        options.Files.Add("done.md");

        var evaluator = ReleaseGate.CreateBuilder().AddChecklist("checklist", options).Build();
        options.Files[0] = "open.md";   // after registration: reaches nothing
        var invalid = new ChecklistGateOptions { Weight = -1 };

        Assert.Equal(GateStatus.Passed, (await evaluator.EvaluateAsync(cancellationToken: Ct)).Gates[0].Status);
        var ex = Assert.Throws<ReleaseGatesConfigurationException>(() => ReleaseGate.CreateBuilder().AddChecklist("checklist", invalid));
        Assert.Contains(ex.Problems, p => p.Contains("Weight", StringComparison.Ordinal));
    }

    [Fact]
    public void Smoke_requests_are_copied_one_by_one()
    {
        var options = new SmokeTestsGateOptions();
        options.Requests.Add(SmokeRequest.Get("/health").ExpectStatus(200));
        var copy = (SmokeTestsGateOptions)options.Clone();

        options.Requests[0].ExpectedStatuses.Add(500);
        Assert.NotSame(options.Requests[0], copy.Requests[0]);
        Assert.Equal([200], copy.Requests[0].ExpectedStatuses);
    }

    [Fact]
    public async Task Latency_conditions_and_bounds_changed_after_build_have_no_effect()
    {
        var recorder = new ConcurrentLatencyRecorder();
        for (var i = 0; i < 100; i++)
        {
            recorder.Record(TimeSpan.FromMilliseconds(100));
        }

        LatencyGateOptions? kept = null;
        var evaluator = ReleaseGate.CreateBuilder()
            .AddLatency("api", o => { o.Source = RequestMetricsSource.FromRecorder(recorder); o.Conditions.Add("p(95) < 50ms"); kept = o; })
            .Build();

        kept!.Conditions.Clear();
        kept.Conditions.Add("p(95) < 10s");
        kept.MinimumSamples = 1_000_000;
        kept.Source = RequestMetricsSource.FromRecorder(new ConcurrentLatencyRecorder());

        var gate = (await evaluator.EvaluateAsync(null, Ct)).Gates.Single();
        Assert.Equal(GateStatus.Failed, gate.Status);
        Assert.Equal("p(95) < 50ms", gate.Measurements.Single(m => m.Condition is not null).Condition!.ToString());
    }

    [Fact]
    public async Task Coverage_files_and_thresholds_changed_after_build_have_no_effect()
    {
        CoverageGateOptions? kept = null;
        var evaluator = ReleaseGate.CreateBuilder()
            .AddCoverage("unit", o => { o.Files.Add("/nonexistent-releasegates/coverage.cobertura.xml"); o.MinimumLineRate = 0.8; kept = o; })
            .Build();

        kept!.Files.Clear();
        kept.Files.Add(Support.Fixtures.Coverage("sample-coverlet.cobertura.xml"));

        var gate = (await evaluator.EvaluateAsync(null, Ct)).Gates.Single();
        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.Contains("nonexistent-releasegates", gate.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_load_probe_source_copies_its_options_when_made()
    {
        var probe = new HttpLoadProbeOptions { Requests = 10 };
        probe.Targets.Add(new Uri("http://127.0.0.1:9/"));
        var source = RequestMetricsSource.FromLoadProbe(probe);
        probe.Targets.Clear();
        probe.Requests = -1;

        var problems = new List<string>();
        source.Validate(problems);
        Assert.Empty(problems);
    }

    private static void AssertNothingShared(object original, object copy, string path, int depth)
    {
        Assert.True(depth < 5, $"{path}: nested too deep");
        foreach (var property in original.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            var a = property.GetValue(original);
            var b = property.GetValue(copy);
            if (a is null || a is string || a.GetType().IsValueType || a is Delegate || a is Uri || a is HttpMethod || a is RequestMetricsSource || a is HttpClient || a is GateCondition)
            {
                continue;
            }

            var where = path + "." + property.Name;
            Assert.False(ReferenceEquals(a, b), $"{where} is shared between the options and their copy: override Clone to copy it");
            if (a is not IEnumerable && a.GetType().Assembly == typeof(GateOptions).Assembly)
            {
                AssertNothingShared(a, b!, where, depth + 1);
            }
        }
    }
}
