namespace ReleaseGates.Tests.Gates.HostResources;

public class HostResourcesGateTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Measures_cpu_memory_and_disk_of_this_host_within_bounds()
    {
        var report = await ReleaseGate.CreateBuilder()
            .AddHostResources("host", o => o.CpuSampleWindow = TimeSpan.FromMilliseconds(200))
            .EvaluateAsync(Ct);
        var gate = report.Gates[0];
        Assert.Equal(GateStatus.Passed, gate.Status);   // no thresholds: evidence only
        foreach (var name in new[] { "cpu", "memory", "disk" })
        {
            var m = gate.Measurements.Single(x => x.Name == name);
            Assert.InRange(m.Value, 0, 1);
            Assert.Equal(MetricUnit.Ratio, m.Unit);
        }
    }

    [Fact]
    public async Task Fails_when_a_resource_is_at_or_above_its_maximum()
    {
        // Any disk this checkout lives on is more than 0.1 % used.
        var report = await ReleaseGate.CreateBuilder()
            .AddHostResources("host", o => { o.CpuSampleWindow = TimeSpan.FromMilliseconds(100); o.MaximumDiskUtilization = 0.001; o.MaximumCpuUtilization = 1; })
            .EvaluateAsync(Ct);
        var disk = report.Gates[0].Measurements.Single(m => m.Name == "disk");
        Assert.Equal(GateStatus.Failed, disk.Status);
        Assert.Equal("disk < 0.1%", disk.Condition!.ToString());
    }

    [Theory]
    [InlineData(0.69, GateStatus.Passed)]
    [InlineData(0.70, GateStatus.Warning)]
    [InlineData(0.80, GateStatus.Failed)]
    public void Thresholds_hold_on_both_sides(double utilization, GateStatus expected)
        => Assert.Equal(expected, HostResourcesGate.Judge("cpu", utilization, 0.8, 0.7, "test").Status);

    [Fact]
    public void Invalid_thresholds_are_listed()
    {
        var ex = Assert.Throws<ReleaseGatesConfigurationException>(() => ReleaseGate.CreateBuilder()
            .AddHostResources("h", o => { o.MaximumCpuUtilization = 70; o.WarningMemoryUtilization = 0.9; o.MaximumMemoryUtilization = 0.8; o.CpuSampleWindow = TimeSpan.Zero; }));
        Assert.Equal(3, ex.Problems.Count);
    }

    [Fact]
    public async Task Disk_usage_agrees_with_df()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "df -P is read on Linux here");
        var start = new System.Diagnostics.ProcessStartInfo("df", ["-P", "-B1", "."]) { RedirectStandardOutput = true, WorkingDirectory = Environment.CurrentDirectory };
        using var df = System.Diagnostics.Process.Start(start)!;
        var output = await df.StandardOutput.ReadToEndAsync(Ct);
        await df.WaitForExitAsync(Ct);
        var fields = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        double used = long.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture), available = long.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture);

        var report = await ReleaseGate.CreateBuilder()
            .AddHostResources("host", o => { o.CpuSampleWindow = TimeSpan.FromMilliseconds(100); o.DiskPath = Environment.CurrentDirectory; })
            .EvaluateAsync(Ct);
        var disk = report.Gates[0].Measurements.Single(m => m.Name == "disk");

        // The same formula as df's Use% (which rounds up); a busy disk may move by a fraction between the two reads.
        Assert.Equal(used / (used + available), disk.Value, 0.005);
    }
}
