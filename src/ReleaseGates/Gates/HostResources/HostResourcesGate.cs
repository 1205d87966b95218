namespace ReleaseGates;

/// <summary>Holds host CPU (sampled over a window), memory and disk utilisation to thresholds.</summary>
internal sealed class HostResourcesGate(HostResourcesGateOptions options) : IReleaseGate
{
    public async ValueTask<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        var measurements = new List<Measurement>();
        var (busy0, total0) = HostResources.CpuTimes();
        await Task.Delay(options.CpuSampleWindow, context.TimeProvider, cancellationToken).ConfigureAwait(false);
        var (busy1, total1) = HostResources.CpuTimes();
        var cpu = total1 > total0 ? (double)(busy1 - busy0) / (total1 - total0) : 0;
        measurements.Add(Judge("cpu", cpu, options.MaximumCpuUtilization, options.WarningCpuUtilization,
            $"{Environment.ProcessorCount} cores over {options.CpuSampleWindow.TotalSeconds:0.###} s"));

        var (used, total) = HostResources.Memory();
        measurements.Add(Judge("memory", total > 0 ? (double)used / total : 0, options.MaximumMemoryUtilization,
            options.WarningMemoryUtilization, $"{used / (1 << 20)} of {total / (1 << 20)} MiB"));

        var path = Path.GetFullPath(options.DiskPath ?? Directory.GetCurrentDirectory());
        if (!Path.Exists(path))
        {
            return GateResult.Error($"The disk path '{path}' does not exist.");
        }

        var drive = new DriveInfo(path);
        // df's convention: used = total − free; use% = used / (used + available). Blocks reserved for root are neither
        // used nor available to the application, so they count on neither side.
        var diskUsed = drive.TotalSize - drive.TotalFreeSpace;
        var usable = diskUsed + drive.AvailableFreeSpace;
        measurements.Add(Judge("disk", usable > 0 ? (double)diskUsed / usable : 0, options.MaximumDiskUtilization,
            options.WarningDiskUtilization,
            $"{drive.RootDirectory.FullName}: {diskUsed / (1L << 30)} GiB used, {drive.AvailableFreeSpace / (1L << 30)} GiB available"));

        var summary = string.Join(", ", measurements.Select(m => $"{m.Name} {m.Value:P0}"));
        return GateResult.FromEvidence(summary, measurements);
    }

    /// <summary>A utilisation measurement, held to <c>&lt; maximum warn warning</c> when thresholds are set.</summary>
    internal static Measurement Judge(string name, double utilization, double? maximum, double? warning, string target)
    {
        if (maximum is null && warning is null)
        {
            return new Measurement(name, utilization, MetricUnit.Ratio) { Target = target };
        }

        var condition = GateCondition.LessThan(name, MetricUnitFormat.RatioToPercent(maximum ?? 1), MetricUnit.Percent);
        if (warning is { } w)
        {
            condition = condition.WithWarning(MetricUnitFormat.RatioToPercent(w), MetricUnit.Percent);
        }

        return Measurement.Evaluate(name, utilization, MetricUnit.Ratio, condition) with { Target = target };
    }
}
