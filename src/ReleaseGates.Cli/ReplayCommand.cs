using System.CommandLine;
using System.Diagnostics.CodeAnalysis;

namespace ReleaseGates.Cli;

/// <summary><c>release-gates replay</c>: a saved report decided again, under its own or other scoring.</summary>
internal static class ReplayCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var report = new Argument<FileInfo>("report") { Description = "A report.json written by an evaluation." };
        var passScore = new Option<double?>("--pass-score") { Description = "Re-decide with this pass mark." };
        var warningScore = new Option<double?>("--warning-score") { Description = "Re-decide with this warning mark." };
        var failOnWarnings = new Option<bool>("--fail-on-warnings") { Description = "Exit 2 on GO WITH WARNINGS instead of 0." };
        var command = new Command("replay", "Re-decides the saved evidence of a report, under its own or other scoring.") { report, passScore, warningScore, failOnWarnings };
        command.SetAction(async (parse, cancellationToken) =>
        {
            ReleaseReport saved;
            try
            {
                saved = await ReleaseReport.ReadJsonFileAsync(parse.GetValue(report)!.ToString(), cancellationToken);
            }
            catch (Exception e) when (e is ReleaseReportFormatException or IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync(e.Message);
                return ReleaseExitCodes.InvalidConfiguration;
            }

            var scoring = new ScoringOptions
            {
                PassScore = parse.GetValue(passScore) ?? saved.Scoring.PassScore,
                WarningScore = parse.GetValue(warningScore) ?? saved.Scoring.WarningScore,
                WarningGateScore = saved.Scoring.WarningGateScore,
            };
            foreach (var (category, weight) in saved.Scoring.CategoryWeights)
            {
                scoring.CategoryWeights[category] = weight;
            }

            ReleaseReport replayed;
            try
            {
                replayed = saved.Replay(scoring);
            }
            catch (ReleaseGatesConfigurationException e)
            {
                await error.WriteLineAsync(e.Message);
                return ReleaseExitCodes.InvalidConfiguration;
            }

            await output.WriteLineAsync(replayed.ToText());
            return replayed.GetExitCode(parse.GetValue(failOnWarnings));
        });
        return command;
    }
}
