namespace ReleaseGates.Samples.ConsoleHost;

/// <summary>Console output with colour where the terminal supports it (and NO_COLOR is not set).</summary>
internal sealed class ConsoleWriter
{
    private readonly bool _colour = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;
    private readonly bool _interactive = !Console.IsOutputRedirected;

    private readonly TextWriter _out = Console.Out;

    public void Line(string text) => _out.WriteLine(text);

    public void Progress(int done, int total, TimeSpan elapsed)
    {
        var text = $"Load: {done}/{total} requests in {elapsed.TotalSeconds:0.0} s";
        if (_interactive)
        {
            Console.Write("\r" + text);
        }
        else if (done == total)
        {
            Console.WriteLine(text);
        }
    }

    public void EndProgress()
    {
        if (_interactive)
        {
            Console.WriteLine();
        }
    }

    public void Report(ReleaseReport report)
    {
        Console.WriteLine();
        foreach (var line in report.ToText().Split('\n'))
        {
            var colour = line.StartsWith("Release decision", StringComparison.Ordinal) ? DecisionColour(report.Decision)
                : line.Contains(" FAIL ", StringComparison.Ordinal) || line.Contains(" ERROR ", StringComparison.Ordinal) ? ConsoleColor.Red
                : line.Contains(" WARN ", StringComparison.Ordinal) ? ConsoleColor.Yellow
                : (ConsoleColor?)null;
            Write(line.TrimEnd('\r'), colour);
        }
    }

    private static ConsoleColor DecisionColour(ReleaseDecision decision) => decision switch
    {
        ReleaseDecision.Go => ConsoleColor.Green,
        ReleaseDecision.GoWithWarnings => ConsoleColor.Yellow,
        _ => ConsoleColor.Red,
    };

    private void Write(string line, ConsoleColor? colour)
    {
        if (_colour && colour is { } c)
        {
            Console.ForegroundColor = c;
            Console.WriteLine(line);
            Console.ResetColor();
        }
        else
        {
            Console.WriteLine(line);
        }
    }
}
