namespace ReleaseGates;

/// <summary>
/// Which parts of an <see cref="EnvironmentFingerprint"/> must match before performance-like measurements of one
/// evaluation are compared with another's. Default (<see cref="Default"/>): the CPU model, the core count and the runtime's
/// major version.
/// </summary>
[Flags]
public enum FingerprintFields
{
    /// <summary>Nothing has to match: every baseline is compatible.</summary>
    None = 0,

    /// <summary>The operating system's description.</summary>
    OperatingSystem = 1,

    /// <summary>The CPU model, such as <c>AMD EPYC 9R14</c>.</summary>
    CpuModel = 2,

    /// <summary>The number of logical processors the process may use.</summary>
    CoreCount = 4,

    /// <summary>The memory available to the process, within 10 %.</summary>
    Memory = 8,

    /// <summary>The major version of the .NET runtime.</summary>
    RuntimeMajorVersion = 16,

    /// <summary>The runner label the user set, such as <c>ci-large</c>.</summary>
    RunnerLabel = 32,

    /// <summary>The default: <see cref="CpuModel"/>, <see cref="CoreCount"/> and <see cref="RuntimeMajorVersion"/>.</summary>
    Default = CpuModel | CoreCount | RuntimeMajorVersion,
}
