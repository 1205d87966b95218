namespace ReleaseGates.Cli;

/// <summary>
/// What an Azure Pipelines run shows when <c>TF_BUILD</c> is set: a <c>##vso[task.logissue]</c> error or warning for each
/// shortfall (at its file and line when the finding has them), the Markdown report as the build's summary tab
/// (<c>##vso[task.uploadsummary]</c>, from a file) and the task's result (<c>##vso[task.complete]</c>): Succeeded for GO,
/// SucceededWithIssues for GO WITH WARNINGS, Failed for NO-GO.
/// </summary>
internal static class AzurePipelines
{
    public static async Task WriteAsync(ReleaseReport report, Func<string, string?> environment, string? summaryFile, bool failOnWarnings,
        TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (environment("TF_BUILD") is not { Length: > 0 })
        {
            return;
        }

        var root = environment("BUILD_SOURCESDIRECTORY");
        foreach (var a in GitHubActions.Annotations(report, root).Take(GitHubActions.MaximumAnnotations))
        {
            var location = a.File is null ? "" : $";sourcepath={Escape(a.File, property: true)}{(a.Line is { } l ? $";linenumber={l}" : "")}";
            await CiLogWriter.WriteCommandAsync(output, $"##vso[task.logissue type={a.Level}{location}]{Escape($"{a.Title}: {a.Message}", property: false)}");
        }

        // The summary tab shows a Markdown file: the one --out wrote, or one written for it into the agent's temporary folder.
        if (summaryFile is null && (environment("AGENT_TEMPDIRECTORY") is { Length: > 0 } temp ? temp : null) is { } folder)
        {
            try
            {
                summaryFile = Path.Combine(folder, $"release-gates-{Guid.NewGuid():N}.md");
                await File.WriteAllTextAsync(summaryFile, report.ToMarkdown(), cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await CiLogWriter.WriteCommandAsync(error, $"##vso[task.logissue type=warning]{Escape($"release-gates: the summary could not be written: {e.Message}", property: false)}");
                summaryFile = null;
            }
        }

        if (summaryFile is not null)
        {
            await CiLogWriter.WriteCommandAsync(output, $"##vso[task.uploadsummary]{Escape(Path.GetFullPath(summaryFile), property: false)}");
        }

        var result = report.Decision switch
        {
            ReleaseDecision.Go => "Succeeded",
            ReleaseDecision.GoWithWarnings => failOnWarnings ? "Failed" : "SucceededWithIssues",
            _ => "Failed",
        };
        await CiLogWriter.WriteCommandAsync(output, $"##vso[task.complete result={result};]{Escape($"Release decision: {report}", property: false)}");
    }

    /// <summary>
    /// Escapes a logging-command value as the agent reads it back: <c>%</c> as <c>%AZP25</c>, CR and LF as <c>%0D</c> and
    /// <c>%0A</c>; in a property also <c>;</c> and <c>]</c>, which would end it.
    /// </summary>
    internal static string Escape(string value, bool property)
    {
        // A command marker inside a value (evidence quoting "##vso[") is broken too: one command per line, ours.
        var escaped = CiLogWriter.Neutralize(value).Replace("%", "%AZP25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);
        return property ? escaped.Replace(";", "%3B", StringComparison.Ordinal).Replace("]", "%5D", StringComparison.Ordinal) : escaped;
    }
}
