using System.Globalization;

namespace ReleaseGates.Cli;

/// <summary>
/// Prints each gate's start, its long runs' progress (a load probe's request count) and its end as lines on standard
/// error, so standard output keeps only the report (and <c>--json</c> stays parseable).
/// </summary>
internal sealed class ConsoleProgress(TextWriter error) : IProgress<GateProgress>
{
    private readonly Lock _lock = new();

    /// <summary>Whether progress is shown: <c>always</c>, <c>never</c>, or <c>auto</c> (only when standard error is a terminal).</summary>
    public static bool Shows(string mode, bool errorIsTerminal) => mode switch
    {
        "always" => true,
        "never" => false,
        _ => errorIsTerminal,
    };

    public void Report(GateProgress value)
    {
        var line = value.Kind switch
        {
            GateProgressKind.Started => $"release-gates: {value.Gate} started",
            GateProgressKind.Running => $"release-gates: {value.Gate} running {Seconds(value.Elapsed)}{(value.Detail is null ? "" : ", " + value.Detail)}",
            _ => $"release-gates: {value.Gate} {Status(value.Status)} in {Seconds(value.Elapsed)}",
        };
        lock (_lock)
        {
            error.WriteLine(line);
        }
    }

    private static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    private static string Status(GateStatus? status) => status switch
    {
        GateStatus.Passed => "passed",
        GateStatus.Warning => "warned",
        GateStatus.Failed => "failed",
        GateStatus.Error => "could not be evaluated",
        GateStatus.Skipped => "was skipped",
        _ => "ended",
    };
}
