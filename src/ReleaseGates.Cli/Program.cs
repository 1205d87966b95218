using System.Runtime.InteropServices;
using ReleaseGates;
using ReleaseGates.Cli;

// SIGINT and SIGTERM cancel the run instead of ending the process: evaluate stops its gates, watch writes the rounds it
// has (decided NO-GO), and the exit code is 4 (cancelled). A second signal, or a run still going 30 s after the first,
// ends the process at once, still with 4.
using var cancellation = new CancellationTokenSource();
var signalled = 0;
void OnSignal(PosixSignalContext context)
{
    context.Cancel = true;
    if (Interlocked.Increment(ref signalled) > 1)
    {
        Console.Error.WriteLine($"release-gates: {context.Signal} again: stopping at once.");
        Environment.Exit(ReleaseExitCodes.EvaluationError);
    }

    Console.Error.WriteLine($"release-gates: {context.Signal}: cancelling the run.");
    cancellation.Cancel();
    _ = Task.Delay(TimeSpan.FromSeconds(30), CancellationToken.None).ContinueWith(
        _ =>
        {
            Console.Error.WriteLine("release-gates: the run did not stop within 30 s of the signal: stopping at once.");
            Environment.Exit(ReleaseExitCodes.EvaluationError);
        },
        TaskScheduler.Default);
}

using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
return await CommandLine.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable, !Console.IsErrorRedirected, cancellation.Token);
