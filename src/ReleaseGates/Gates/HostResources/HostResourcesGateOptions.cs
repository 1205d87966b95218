namespace ReleaseGates;

/// <summary>Options of the host-resources gate (<c>AddHostResources</c>). See <c>docs/gates/host-resources.md</c>.</summary>
public sealed class HostResourcesGateOptions : GateOptions
{
    /// <summary>Creates the options with the gate's defaults: category <see cref="GateCategories.Operations"/>.</summary>
    public HostResourcesGateOptions() => Category = GateCategories.Operations;

    /// <summary>The CPU utilisation (0–1, all cores) at or above which the gate fails. Default: none (measured, not judged).</summary>
    public double? MaximumCpuUtilization { get; set; }

    /// <summary>The CPU utilisation at or above which the gate warns. Default: none.</summary>
    public double? WarningCpuUtilization { get; set; }

    /// <summary>How long CPU time is sampled. Default: 1 second; 100 ms to 1 minute.</summary>
    public TimeSpan CpuSampleWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The share of physical memory in use (0–1) at or above which the gate fails. Default: none.</summary>
    public double? MaximumMemoryUtilization { get; set; }

    /// <summary>The memory share at or above which the gate warns. Default: none.</summary>
    public double? WarningMemoryUtilization { get; set; }

    /// <summary>The path whose disk is measured. Default: the current directory.</summary>
    public string? DiskPath { get; set; }

    /// <summary>The share of the disk in use (0–1) at or above which the gate fails. Default: none.</summary>
    public double? MaximumDiskUtilization { get; set; }

    /// <summary>The disk share at or above which the gate warns. Default: none.</summary>
    public double? WarningDiskUtilization { get; set; }

    /// <inheritdoc />
    protected internal override void Validate(ICollection<string> problems)
    {
        base.Validate(problems);
        foreach (var (maximum, warning, name) in new[]
                 {
                     (MaximumCpuUtilization, WarningCpuUtilization, "Cpu"),
                     (MaximumMemoryUtilization, WarningMemoryUtilization, "Memory"),
                     (MaximumDiskUtilization, WarningDiskUtilization, "Disk"),
                 })
        {
            if (maximum is { } m && !(m > 0 && m <= 1) || warning is { } w && !(w > 0 && w <= 1))
            {
                problems.Add($"Maximum{name}Utilization and Warning{name}Utilization are ratios above 0 and at most 1 (0.7 for 70 %).");
            }

            if (warning > maximum)
            {
                problems.Add($"Warning{name}Utilization must not exceed Maximum{name}Utilization.");
            }
        }

        if (CpuSampleWindow < TimeSpan.FromMilliseconds(100) || CpuSampleWindow > TimeSpan.FromMinutes(1))
        {
            problems.Add($"{nameof(CpuSampleWindow)} must be 100 ms to 1 minute, but was {CpuSampleWindow}.");
        }
    }
}
