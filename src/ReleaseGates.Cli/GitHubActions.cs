namespace ReleaseGates.Cli;

/// <summary>
/// What a GitHub Actions run shows: the Markdown report in the job summary (<c>$GITHUB_STEP_SUMMARY</c>), an
/// <c>::error</c> or <c>::warning</c> annotation at the file and line of each finding that fell short and has them, and
/// one per gate for the rest of what fell short.
/// </summary>
internal static class GitHubActions
{
    /// <summary>The most annotations written for one run; GitHub shows only the first few of each kind per step anyway.</summary>
    internal const int MaximumAnnotations = 50;

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
                await CiLogWriter.WriteCommandAsync(error, $"::warning title=release-gates::The job summary could not be written: {Escape(e.Message, property: false)}");
            }
        }

        var workspace = environment("GITHUB_WORKSPACE");
        foreach (var a in Annotations(report, workspace).Take(MaximumAnnotations))
        {
            var location = a.File is null ? "" : $"file={Escape(a.File, property: true)},{(a.Line is { } l ? $"line={l}," : "")}";
            await CiLogWriter.WriteCommandAsync(output, $"::{a.Level} {location}title={Escape(a.Title, property: true)}::{Escape(a.Message, property: false)}");
        }
    }

    /// <summary>One annotation per located finding that fell short, and one per gate for the rest, worst first.</summary>
    internal static IEnumerable<CiAnnotation> Annotations(ReleaseReport report, string? root)
    {
        var result = new List<CiAnnotation>();
        foreach (var gate in report.Gates.Where(g => !g.ReportOnly && g.Status is GateStatus.Failed or GateStatus.Error or GateStatus.Warning))
        {
            var gateLevel = gate.Status == GateStatus.Warning ? "warning" : "error";
            var located = 0;
            foreach (var f in gate.Findings.Where(f => f.Severity != FindingSeverity.Info && f.WaivedBy is null))
            {
                if (RepositoryPath(f.Target, root) is { } file)
                {
                    located++;
                    result.Add(new CiAnnotation(f.Severity == FindingSeverity.Error ? "error" : "warning", file, f.Line,
                        $"Release gate {gate.Name}: {f.Code}", Describe(f)));
                }
            }

            // The gate itself, unless every one of its shortfalls was a located finding.
            var unlocated = gate.Measurements.Any(m => m.Status != GateStatus.Passed && m.WaivedBy is null)
                || gate.Findings.Count(f => f.Severity != FindingSeverity.Info && f.WaivedBy is null) > located
                || located == 0;
            if (unlocated)
            {
                result.Add(new CiAnnotation(gateLevel, null, null, $"Release gate {gate.Name}", $"{gate.Status}: {gate.Summary}"));
            }
        }

        return result.OrderBy(a => a.Level == "error" ? 0 : 1);
    }

    /// <summary>
    /// A finding's target as a path in the repository (relative to <paramref name="root"/>, forward slashes), when it is a
    /// file there; <see langword="null"/> for a URL, an endpoint or a file outside the repository.
    /// </summary>
    internal static string? RepositoryPath(string? target, string? root)
    {
        if (string.IsNullOrWhiteSpace(target) || target.Contains("://", StringComparison.Ordinal))
        {
            return null;
        }

        var baseDirectory = string.IsNullOrEmpty(root) ? Environment.CurrentDirectory : root;
        string full;
        try
        {
            full = Path.GetFullPath(target, baseDirectory);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return null;
        }

        var relative = Path.GetRelativePath(baseDirectory, full);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) || !File.Exists(full) ? null : relative.Replace('\\', '/');
    }

    /// <summary>A finding's message with what was seen and the fix, as the reports show it.</summary>
    internal static string Describe(Finding f)
        => f.Message + (f.Observed is null ? "" : $" Seen: {f.Observed}.") + (f.Remediation is null ? "" : $" Fix: {f.Remediation}");

    /// <summary>Escapes a workflow-command value as the runner expects (%, CR, LF; and : and , in properties).</summary>
    internal static string Escape(string value, bool property)
    {
        // A command marker inside a value (evidence quoting "##vso[") is broken too: one command per line, ours.
        var escaped = CiLogWriter.Neutralize(value).Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);
        return property ? escaped.Replace(":", "%3A", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal) : escaped;
    }
}

/// <summary>An annotation for a CI system: its level (<c>error</c> or <c>warning</c>), where (a repository path and line, or none), a title and the message.</summary>
internal sealed record CiAnnotation(string Level, string? File, int? Line, string Title, string Message);
