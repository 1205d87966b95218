using System.Diagnostics;

namespace ReleaseGates.Cli.Tests;

/// <summary>Runs the built tool as its own process, with a deadline, and returns what it printed and its exit code.</summary>
public static class ReleaseGatesTool
{
    /// <summary>release-gates.dll as built next to the tests (the project reference copies it with its runtime config).</summary>
    public static string Assembly { get; } = Path.Combine(AppContext.BaseDirectory, "release-gates.dll");

    /// <summary>
    /// The NativeAOT release-gates executable the tests run instead, when RELEASEGATES_NATIVE_TOOL names one (.ci/run's
    /// native pass); otherwise <see langword="null"/> and the tests run release-gates.dll with dotnet.
    /// </summary>
    public static string? Native { get; } =
        Environment.GetEnvironmentVariable("RELEASEGATES_NATIVE_TOOL") is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    /// <summary>The program to start and the arguments that come before the tool's own: the native executable, or dotnet and the dll.</summary>
    public static (string File, string[] Prefix) Command => Native is { } native ? (native, []) : ("dotnet", [Assembly]);

    /// <summary>A shell command line that runs the tool with the arguments <c>"$@"</c>, for shims.</summary>
    public static string ShellCommand => Native is { } native ? $"exec '{native}' \"$@\"" : $"exec dotnet '{Assembly}' \"$@\"";

    public static Task<(int ExitCode, string Output, string Error)> RunAsync(string workingDirectory, IDictionary<string, string?>? environment, params string[] args)
    {
        // A CI runner's own variables must not turn on the GitHub output of the tool under test.
        var variables = new Dictionary<string, string?> { ["GITHUB_ACTIONS"] = null, ["GITHUB_STEP_SUMMARY"] = null };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            variables[name] = value;
        }

        var (file, prefix) = Command;
        return RunProcessAsync(file, workingDirectory, variables, TimeSpan.FromSeconds(60), [.. prefix, .. args]);
    }

    /// <summary>Any program, with a deadline after which it is killed (with its children) and the test fails.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunProcessAsync(
        string file, string workingDirectory, IDictionary<string, string?> environment, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not end within {timeout.TotalSeconds} s.");
        }

        return (process.ExitCode, await output, await error);
    }

    public static Task<(int ExitCode, string Output, string Error)> RunAsync(string workingDirectory, params string[] args) => RunAsync(workingDirectory, null, args);
}
