using System.CommandLine;
using System.Diagnostics.CodeAnalysis;

namespace ReleaseGates.Cli;

/// <summary><c>release-gates compare</c>: what regressed, improved, appeared and disappeared between two reports.</summary>
internal static class CompareCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var old = new Argument<FileInfo>("old") { Description = "The earlier report.json." };
        var @new = new Argument<FileInfo>("new") { Description = "The later report.json." };
        var json = new Option<bool>("--json") { Description = "Print the comparison as JSON instead of a table." };
        var failOnRegression = new Option<bool>("--fail-on-regression") { Description = "Exit 1 when a gate or measurement regressed or a gate disappeared." };
        var command = new Command("compare", "Shows what regressed, improved, appeared and disappeared between two reports.") { old, @new, json, failOnRegression };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var reports = new List<ReleaseReport>();
            foreach (var file in new[] { parse.GetValue(old)!, parse.GetValue(@new)! })
            {
                try
                {
                    reports.Add(await ReleaseReport.ReadJsonFileAsync(file.ToString(), cancellationToken));
                }
                catch (Exception e) when (e is ReleaseReportFormatException or IOException or UnauthorizedAccessException)
                {
                    await error.WriteLineAsync(e.Message);
                    return ReleaseExitCodes.InvalidConfiguration;
                }
            }

            var comparison = ReportComparison.Compare(reports[0], reports[1]);
            await output.WriteLineAsync(parse.GetValue(json) ? comparison.ToJson() : comparison.ToText());
            return parse.GetValue(failOnRegression) && comparison.HasRegressions ? ReleaseExitCodes.NoGo : ReleaseExitCodes.Go;
        });
        return command;
    }
}
