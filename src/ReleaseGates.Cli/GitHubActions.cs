namespace ReleaseGates.Cli;

/// <summary>
/// What a GitHub Actions run shows: the Markdown report in the job summary (<c>$GITHUB_STEP_SUMMARY</c>) and an
/// <c>::error</c> or <c>::warning</c> annotation for each gate that fell short.
/// </summary>
internal static class GitHubActions
{
    public static async Task WriteAsync(ReleaseReport report, Func<string, string?> environment, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (environment("GITHUB_ACTIONS") != "true")
        {
            return;
        }

        if (environment("GITHUB_STEP_SUMMARY") is { Length: > 0 } summary)
        {
            try
            {
                await File.AppendAllTextAsync(summary, report.ToMarkdown() + "\n", cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The decision stands: a job summary that cannot be written is a warning, not an evaluation error.
                await error.WriteLineAsync($"::warning title=release-gates::The job summary could not be written: {Escape(e.Message, property: false)}");
            }
        }

        foreach (var gate in report.Gates.Where(g => !g.ReportOnly))
        {
            var level = gate.Status switch
            {
                GateStatus.Failed or GateStatus.Error => "error",
                GateStatus.Warning => "warning",
                _ => null,
            };
            if (level is not null)
            {
                await output.WriteLineAsync($"::{level} title={Escape($"Release gate {gate.Name}", property: true)}::{Escape($"{gate.Status}: {gate.Summary}", property: false)}");
            }
        }
    }

    /// <summary>Escapes a workflow-command value as the runner expects (%, CR, LF; and : and , in properties).</summary>
    internal static string Escape(string value, bool property)
    {
        var escaped = value.Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);
        return property ? escaped.Replace(":", "%3A", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal) : escaped;
    }
}
