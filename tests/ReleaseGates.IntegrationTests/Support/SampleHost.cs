using System.Diagnostics;
using ReleaseGates.Tests.Support;

namespace ReleaseGates.IntegrationTests.Support;

/// <summary>Runs the sample host as the README's first command does (its build beside this test assembly), at most 90 seconds.</summary>
public static class SampleHost
{
    public static async Task<(int Exit, string Output)> RunAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        // The sample is built beside this test assembly's configuration (Debug or Release), by the project reference.
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var dll = Path.Combine(Repository.Root, "samples/ReleaseGates.Samples.ConsoleHost/bin", configuration, "net10.0/ReleaseGates.Samples.ConsoleHost.dll");
        Assert.True(File.Exists(dll), $"The sample was not built: {dll}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
