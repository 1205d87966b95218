using System.Globalization;
using System.Runtime.InteropServices;

namespace ReleaseGates;

/// <summary>
/// The machine an evaluation ran on, recorded with it in a history so that performance-like measurements are compared
/// only with baselines from a compatible machine (<see cref="FingerprintFields"/>).
/// </summary>
public sealed record EnvironmentFingerprint
{
    /// <summary>The operating system, such as <c>Debian GNU/Linux 13 (trixie)</c> or <c>Microsoft Windows 10.0.26100</c>.</summary>
    public string OperatingSystem { get; init; } = "";

    /// <summary>The CPU model, such as <c>AMD EPYC 9R14 96-Core Processor</c>; the architecture when the model cannot be read.</summary>
    public string CpuModel { get; init; } = "";

    /// <summary>The number of logical processors the process may use.</summary>
    public int CoreCount { get; init; }

    /// <summary>The memory available to the process (its container limit where there is one), in bytes.</summary>
    public long MemoryBytes { get; init; }

    /// <summary>The .NET runtime version, such as <c>10.0.1</c>.</summary>
    public string RuntimeVersion { get; init; } = "";

    /// <summary>A label the user gives the runner, such as <c>ci-large</c>; <see langword="null"/> when none was given.</summary>
    public string? RunnerLabel { get; init; }

    /// <summary>The machine this process runs on.</summary>
    /// <param name="runnerLabel">A label for the runner, such as <c>ci-large</c>; <see langword="null"/> for none.</param>
    /// <returns>The fingerprint.</returns>
    public static EnvironmentFingerprint Current(string? runnerLabel = null) => new()
    {
        OperatingSystem = RuntimeInformation.OSDescription.Trim(),
        CpuModel = ReadCpuModel() ?? RuntimeInformation.ProcessArchitecture.ToString(),
        CoreCount = Environment.ProcessorCount,
        MemoryBytes = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
        RuntimeVersion = Environment.Version.ToString(),
        RunnerLabel = string.IsNullOrWhiteSpace(runnerLabel) ? null : runnerLabel.Trim(),
    };

    /// <summary>
    /// What differs between this fingerprint and <paramref name="other"/> in the <paramref name="fields"/> that must match,
    /// one readable line per field (<c>CPU model 'X' vs 'Y'</c>); empty when they are compatible.
    /// </summary>
    /// <param name="other">The fingerprint to compare with.</param>
    /// <param name="fields">The fields that must match.</param>
    /// <returns>The differences.</returns>
    public IReadOnlyList<string> Differences(EnvironmentFingerprint other, FingerprintFields fields)
    {
        ArgumentNullException.ThrowIfNull(other);
        var differences = new List<string>();
        void Compare(FingerprintFields field, string label, string? mine, string? theirs)
        {
            if ((fields & field) != 0 && !string.Equals(mine ?? "", theirs ?? "", StringComparison.Ordinal))
            {
                differences.Add($"{label} '{theirs}' vs '{mine}'");
            }
        }

        Compare(FingerprintFields.OperatingSystem, "operating system", OperatingSystem, other.OperatingSystem);
        Compare(FingerprintFields.CpuModel, "CPU model", CpuModel, other.CpuModel);
        Compare(FingerprintFields.CoreCount, "core count", CoreCount.ToString(CultureInfo.InvariantCulture),
            other.CoreCount.ToString(CultureInfo.InvariantCulture));
        Compare(FingerprintFields.RuntimeMajorVersion, "runtime major version", Major(RuntimeVersion), Major(other.RuntimeVersion));
        Compare(FingerprintFields.RunnerLabel, "runner label", RunnerLabel, other.RunnerLabel);
        if ((fields & FingerprintFields.Memory) != 0 && !WithinTenPercent(MemoryBytes, other.MemoryBytes))
        {
            differences.Add($"memory {Gib(other.MemoryBytes)} vs {Gib(MemoryBytes)}");
        }

        return differences;
    }

    /// <summary>The fingerprint in one line: <c>AMD EPYC 9R14 ×2, 23.4 GiB, .NET 10.0.1, Debian GNU/Linux 13, runner ci-large</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
        => $"{CpuModel} ×{CoreCount.ToString(CultureInfo.InvariantCulture)}, {Gib(MemoryBytes)}, .NET {RuntimeVersion}, {OperatingSystem}"
           + (RunnerLabel is null ? "" : $", runner {RunnerLabel}");

    private static string Major(string version)
    {
        var dot = version.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? version : version[..dot];
    }

    private static bool WithinTenPercent(long a, long b) => Math.Abs(a - b) <= Math.Max(a, b) / 10;

    private static string Gib(long bytes) => (bytes / (1024.0 * 1024 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " GiB";

    /// <summary>The CPU model from <c>/proc/cpuinfo</c> (Linux) or <c>PROCESSOR_IDENTIFIER</c> (Windows); <see langword="null"/> elsewhere.</summary>
    private static string? ReadCpuModel()
    {
        try
        {
            if (System.OperatingSystem.IsLinux() && File.Exists("/proc/cpuinfo"))
            {
                foreach (var line in File.ReadLines("/proc/cpuinfo"))
                {
                    // x86 says "model name", ARM says "Model" or only "CPU part"; the first named model is the machine's.
                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    if (colon > 0 && line[..colon].Trim() is "model name" or "Model" or "Hardware" && line[(colon + 1)..].Trim() is { Length: > 0 } model)
                    {
                        return model;
                    }
                }
            }

            return Environment.GetEnvironmentVariable("PROCESSOR_IDENTIFIER") is { Length: > 0 } identifier ? identifier.Trim() : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
