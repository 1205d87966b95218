using System.Diagnostics;

namespace ReleaseGates.Cli.Tests;

/// <summary>Runs the built tool as its own process, with a deadline, and returns what it printed and its exit code.</summary>
public static class ReleaseGatesTool
{
    /// <summary>release-gates.dll as built next to the tests (the project reference copies it with its runtime config).</summary>
    public static string Assembly { get; } = Path.Combine(AppContext.BaseDirectory, "release-gates.dll");

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string workingDirectory, IDictionary<string, string?>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Assembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // A CI runner's own variables must not turn on the GitHub output of the tool under test.
        start.Environment.Remove("GITHUB_ACTIONS");
        start.Environment.Remove("GITHUB_STEP_SUMMARY");
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"release-gates {string.Join(' ', args)} did not end within 60 s.");
        }

        return (process.ExitCode, await output, await error);
    }

    public static Task<(int ExitCode, string Output, string Error)> RunAsync(string workingDirectory, params string[] args) => RunAsync(workingDirectory, null, args);
}
