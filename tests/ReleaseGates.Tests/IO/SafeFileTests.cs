using System.Diagnostics;
using ReleaseGates.IO;
using ReleaseGates.Tests.Support;

namespace ReleaseGates.Tests.IO;

public class SafeFileTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_named_pipe_with_no_writer_is_an_error_not_a_hang()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "named pipes and statx are Linux here");
        using var folder = Fixtures.CreateTempFolder();
        var fifo = Path.Combine(folder.Path, "coverage.cobertura.xml");
        using (var mkfifo = Process.Start("mkfifo", fifo))
        {
            await mkfifo.WaitForExitAsync(Ct);
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var gate = await CoverageOf(fifo);
        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.Contains("a named pipe (FIFO), not a regular file", gate.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_device_is_an_error_not_an_endless_read()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "/dev/zero is Linux here");
        var gate = await CoverageOf("/dev/zero");
        Assert.Equal(GateStatus.Error, gate.Status);
        Assert.Contains("/dev/zero: is a character device", gate.Summary, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ReportFormatException>(() => SafeFile.ReadAllBytesAsync("/dev/zero", 1024, Ct));
    }

    [Fact]
    public async Task A_file_over_the_cap_is_an_error_naming_its_size()
    {
        using var folder = Fixtures.CreateTempFolder();
        var path = folder.Write("big.json", new string(' ', 5000));
        var error = await Assert.ThrowsAsync<ReportFormatException>(() => SafeFile.ReadAllBytesAsync(path, 4096, Ct));
        Assert.Contains("5,000 bytes, larger than the 4,096", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_is_an_error()
    {
        using var folder = Fixtures.CreateTempFolder();
        var error = Assert.Throws<ReportFormatException>(() => SafeFile.EnsureRegularFile(folder.Path));
        Assert.Contains("is a folder, not a file", error.Message, StringComparison.Ordinal);
    }

    private static async Task<GateReport> CoverageOf(string path)
    {
        var report = await ReleaseGate.CreateBuilder()
            .AddCoverage("coverage", o => o.Files.Add(path))
            .EvaluateAsync(Ct)
            .WaitAsync(TimeSpan.FromSeconds(60), Ct);
        return report.Gates[0];
    }
}
