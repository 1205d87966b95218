using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ReleaseGates.IntegrationTests.Support;
using ReleaseGates.Metrics;

namespace ReleaseGates.IntegrationTests.Sources.Fleet;

/// <summary>
/// The fleet source against real Kestrel instances on 127.0.0.1 that serve their histograms with
/// <c>MapReleaseGatesHistograms</c>. The oracle is every duration ASP.NET Core published on each instance, pooled.
/// </summary>
public sealed class FleetSourceTests : IAsyncLifetime
{
    private readonly List<FleetInstance> _instances = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            _instances.Add(await FleetInstance.StartAsync($"web-{i}", Ct));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }
    }

    /// <summary>Sends <paramref name="count"/> requests of <paramref name="path"/> to one instance, 8 at a time, and waits until it counted them.</summary>
    private static async Task SendAsync(FleetInstance instance, string path, int count, string route)
    {
        using var client = instance.App.CreateClient();
        var before = instance.Durations(route).Count;
        foreach (var batch in Enumerable.Range(0, count).Chunk(8))
        {
            await Task.WhenAll(batch.Select(async _ => (await client.GetAsync(path, Ct)).Dispose()));
        }

        await instance.WaitForAsync(route, before + count);
    }

    private FleetRequestMetricsOptions Fleet(string? route = FleetInstance.WorkRoute, IEnumerable<FleetInstance>? instances = null)
    {
        var options = new FleetRequestMetricsOptions { Route = route, Method = route is null ? null : "GET", MaximumRetries = 0, AttemptTimeout = TimeSpan.FromSeconds(5) };
        foreach (var instance in instances ?? _instances)
        {
            options.Instances.Add(instance.HistogramsUrl);
        }

        return options;
    }

    /// <summary>The nearest-rank percentile of the pooled exact durations, in nanoseconds.</summary>
    private static double Exact(IEnumerable<double> seconds, double percentile)
    {
        var sorted = seconds.Order().ToArray();
        var rank = Math.Max(1, (int)Math.Ceiling(percentile / 100 * sorted.Length));
        return sorted[rank - 1] * 1e9;
    }

    [Fact]
    public async Task Merged_percentiles_of_three_instances_equal_the_pooled_exact_values_within_the_histogram_bound()
    {
        await SendAsync(_instances[0], "fleet/work/2", 40, FleetInstance.WorkRoute);
        await SendAsync(_instances[1], "fleet/work/12", 30, FleetInstance.WorkRoute);
        await SendAsync(_instances[2], "fleet/work/40", 20, FleetInstance.WorkRoute);
        await SendAsync(_instances[2], "fleet/work/90", 6, FleetInstance.WorkRoute);

        var source = RequestMetricsSource.FromFleet(Fleet());
        var report = await ReleaseGate.CreateBuilder()
            .AddLatency("fleet-latency", o => { o.Source = source; o.Conditions.Add("p(50) < 1s"); o.Conditions.Add("p(95) < 1s"); o.Conditions.Add("p(99) < 1s"); })
            .EvaluateAsync(Ct);

        var gate = report.FindGate("fleet-latency")!;
        Assert.Equal(GateStatus.Passed, gate.Status);
        var pooled = _instances.SelectMany(i => i.Durations(FleetInstance.WorkRoute)).ToList();
        Assert.Equal(96, pooled.Count);
        Assert.Equal(96, gate.Measurements.Single(m => m.Name == "count").Value);
        foreach (var p in new[] { 50.0, 95, 99 })
        {
            var merged = gate.Measurements.Single(m => m.Name == $"p({p})").Value * 1e6;
            var exact = Exact(pooled, p);
            Assert.True(Math.Abs(merged - exact) <= exact * 0.0005, $"p({p}): merged {merged} ns, exact {exact} ns");
        }

        var answered = gate.Measurements.Single(m => m.Name == "instances-answered");
        Assert.Equal((3, "of 3 instances"), (answered.Value, answered.Target));
        Assert.Contains("fleet of 3 instances", gate.Measurements[0].Target, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stopped_instance_is_named_and_fails_the_read_unless_the_share_allows_it()
    {
        await SendAsync(_instances[0], "fleet/work/1", 10, FleetInstance.WorkRoute);
        await SendAsync(_instances[1], "fleet/work/1", 10, FleetInstance.WorkRoute);
        await SendAsync(_instances[2], "fleet/work/1", 10, FleetInstance.WorkRoute);
        var stopped = _instances[2].App.BaseAddress.GetLeftPart(UriPartial.Authority);
        await _instances[2].App.DisposeAsync();
        var partial = Fleet();
        partial.MinimumAnsweredShare = 0.6;

        var report = await ReleaseGate.CreateBuilder()
            .AddLatency("all", o => { o.Source = RequestMetricsSource.FromFleet(Fleet()); o.Conditions.Add("p(99) < 1s"); })
            .AddLatency("most", o => { o.Source = RequestMetricsSource.FromFleet(partial); o.Conditions.Add("p(99) < 1s"); })
            .EvaluateAsync(Ct);

        var all = report.FindGate("all")!;
        Assert.Equal(GateStatus.Error, all.Status);
        Assert.Contains("2 of 3 instances answered; at least 3 (100 %) must", all.Summary, StringComparison.Ordinal);
        Assert.Contains(stopped, all.Summary, StringComparison.Ordinal);
        var most = report.FindGate("most")!;
        Assert.Equal(GateStatus.Warning, most.Status);                        // a partial fleet is never a clean pass
        Assert.Equal(20, most.Measurements.Single(m => m.Name == "count").Value);
        Assert.Equal((2, "of 3 instances"), (most.Measurements.Single(m => m.Name == "instances-answered").Value,
            most.Measurements.Single(m => m.Name == "instances-answered").Target));
        var missing = Assert.Single(most.Findings, f => f.Code == "fleet.instance-missing");
        Assert.Equal(stopped, missing.Target);
        Assert.Contains("its requests are not in the fleet's numbers", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_sum_exactly_and_the_fleet_windows_trip_a_sustained_error_rate()
    {
        _instances[0].Failing = true;
        // Four seconds of traffic to every instance: the failing one makes a third of the fleet's requests fail in every interval.
        var until = DateTimeOffset.UtcNow.AddSeconds(4.5);
        var clients = _instances.Select(i => i.App.CreateClient()).ToArray();
        var sent = 0;
        while (DateTimeOffset.UtcNow < until)
        {
            await Task.WhenAll(clients.Select(async c => (await c.GetAsync("api/orders", Ct)).Dispose()));
            sent++;
            await Task.Delay(50, Ct);
        }

        foreach (var instance in _instances)
        {
            await instance.WaitForAsync(FleetInstance.FlakyRoute, sent);
        }

        var windowed = Fleet(FleetInstance.FlakyRoute);
        windowed.Lookback = TimeSpan.FromSeconds(30);
        var report = await ReleaseGate.CreateBuilder()
            .AddErrorRate("fleet-errors", o =>
            {
                o.Source = RequestMetricsSource.FromFleet(windowed);
                o.SustainedAbove = 0.1;
                o.SustainedFor = TimeSpan.FromSeconds(3);
                o.MinimumRequestsPerInterval = 3;
            })
            .EvaluateAsync(Ct);

        var gate = report.FindGate("fleet-errors")!;
        Assert.Equal(3.0 * sent, gate.Measurements.Single(m => m.Name == "requests").Value);
        Assert.Equal(sent, gate.Measurements.Single(m => m.Name == "errors").Value);
        Assert.Equal(GateStatus.Failed, gate.Status);
        Assert.Contains(gate.Findings, f => f.Code == "error-rate.sustained");
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    [Fact]
    public async Task The_canary_judge_compares_a_canary_fleet_with_a_baseline_fleet()
    {
        await SendAsync(_instances[0], "fleet/work/5", 60, FleetInstance.WorkRoute);
        await SendAsync(_instances[1], "fleet/work/5", 60, FleetInstance.WorkRoute);
        await SendAsync(_instances[2], "fleet/work/60", 60, FleetInstance.WorkRoute);

        var report = await ReleaseGate.CreateBuilder()
            .AddCanary("canary", o =>
            {
                o.Baseline = RequestMetricsSource.FromFleet(Fleet(instances: _instances.Take(2)));
                o.Canary = RequestMetricsSource.FromFleet(Fleet(instances: _instances.Skip(2)));
                o.MaximumIncrease = TimeSpan.FromMilliseconds(10);
            })
            .EvaluateAsync(Ct);

        var gate = report.FindGate("canary")!;
        Assert.Equal(GateStatus.Failed, gate.Status);
        Assert.Equal(120, gate.Measurements.Single(m => m.Name == "baseline-samples").Value);
        Assert.Equal(60, gate.Measurements.Single(m => m.Name == "canary-samples").Value);
        Assert.Equal(2, gate.Measurements.Single(m => m.Name == "baseline-instances-answered").Value);
        Assert.Equal(1, gate.Measurements.Single(m => m.Name == "canary-instances-answered").Value);
    }

    [Fact]
    public async Task An_instance_on_a_newer_format_is_an_error_that_says_what_to_update()
    {
        await using var newer = await LoopbackApp.StartAsync(app => app.MapGet("/releasegates/histograms",
            () => Results.Text("""{"format": 2, "instance": {"id": "x"}, "series": []}""", "application/json", Encoding.UTF8)), Ct);
        var options = Fleet(instances: _instances.Take(1));
        options.Instances.Add(new Uri(newer.BaseAddress, "releasegates/histograms"));
        options.MinimumAnsweredShare = 0.5;

        var report = await ReleaseGate.CreateBuilder()
            .AddErrorRate("errors", o => { o.Source = RequestMetricsSource.FromFleet(options); o.MaximumRate = 0.01; })
            .EvaluateAsync(Ct);

        var gate = report.FindGate("errors")!;
        Assert.Equal(GateStatus.Error, gate.Status);                          // never read as a missing instance
        Assert.Contains($"{newer.BaseAddress.GetLeftPart(UriPartial.Authority)} serves histograms of format 2", gate.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_instance_listed_twice_is_an_error_not_double_counted()
    {
        await SendAsync(_instances[0], "fleet/work/1", 5, FleetInstance.WorkRoute);
        var options = Fleet(instances: _instances.Take(1));
        options.Instances.Add(new Uri(_instances[0].HistogramsUrl + "?again=1"));

        var report = await ReleaseGate.CreateBuilder()
            .AddLatency("latency", o => { o.Source = RequestMetricsSource.FromFleet(options); o.Conditions.Add("p(99) < 1s"); })
            .EvaluateAsync(Ct);

        var gate = report.FindGate("latency")!;
        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.Contains("One instance ('web-0') answered at", gate.Summary, StringComparison.Ordinal);
        Assert.Contains("counted twice", gate.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_endpoint_refuses_a_bad_lookback_and_the_source_names_a_missing_endpoint()
    {
        using var client = _instances[0].App.CreateClient();
        using var bad = await client.GetAsync("releasegates/histograms?lookback=-5", Ct);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("lookback must be whole seconds", await bad.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var options = Fleet(instances: _instances.Take(1));
        options.Instances[0] = new Uri(_instances[0].App.BaseAddress, "not-here");
        var report = await ReleaseGate.CreateBuilder()
            .AddErrorRate("errors", o => { o.Source = RequestMetricsSource.FromFleet(options); o.MaximumRate = 0.01; })
            .EvaluateAsync(Ct);

        var gate = report.FindGate("errors")!;
        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.Contains("HTTP 404 (is app.MapReleaseGatesHistograms() mapped at /not-here?)", gate.Summary, StringComparison.Ordinal);
    }
}
