namespace ReleaseGates.Tests.History;

public sealed class EnvironmentFingerprintTests
{
    private static readonly EnvironmentFingerprint Here = new()
    {
        OperatingSystem = "Debian GNU/Linux 13", CpuModel = "AMD EPYC 9R14", CoreCount = 2, MemoryBytes = 24L << 30, RuntimeVersion = "10.0.1",
        RunnerLabel = "ci-small",
    };

    [Fact]
    public void The_default_fields_are_the_cpu_model_the_core_count_and_the_runtime_major_version()
    {
        var patched = Here with { RuntimeVersion = "10.0.7", OperatingSystem = "Ubuntu 24.04", MemoryBytes = 8L << 30, RunnerLabel = "other" };
        var newer = Here with { RuntimeVersion = "11.0.0", CoreCount = 4 };

        Assert.Empty(Here.Differences(patched, FingerprintFields.Default));
        Assert.Equal(["core count '4' vs '2'", "runtime major version '11' vs '10'"], Here.Differences(newer, FingerprintFields.Default));
    }

    [Fact]
    public void Memory_matches_within_ten_percent_and_the_runner_label_only_when_asked()
    {
        Assert.Empty(Here.Differences(Here with { MemoryBytes = (long)((24L << 30) * 0.95) }, FingerprintFields.Memory));
        Assert.Single(Here.Differences(Here with { MemoryBytes = 16L << 30 }, FingerprintFields.Memory));
        Assert.Equal(["runner label 'ci-large' vs 'ci-small'"], Here.Differences(Here with { RunnerLabel = "ci-large" }, FingerprintFields.RunnerLabel));
        Assert.Empty(Here.Differences(Here with { CpuModel = "x", RunnerLabel = null }, FingerprintFields.None));
    }

    [Fact]
    public void The_current_machine_has_a_cpu_model_cores_memory_and_the_runtime_and_keeps_the_label()
    {
        var current = EnvironmentFingerprint.Current("  ci-large ");

        Assert.NotEmpty(current.CpuModel);
        Assert.Equal(Environment.ProcessorCount, current.CoreCount);
        Assert.True(current.MemoryBytes > 0);
        Assert.Equal(Environment.Version.ToString(), current.RuntimeVersion);
        Assert.Equal("ci-large", current.RunnerLabel);
        Assert.Null(EnvironmentFingerprint.Current(" ").RunnerLabel);
    }
}
