using System.Globalization;

namespace ReleaseGates;

/// <summary>
/// What every writer shows of a report, as rows and labels: the shortfalls, the notes, the watch's rounds, a measurement's
/// threshold as it was really held, a finding's description, the subject line. The text, Markdown, JUnit and SARIF
/// writers lay these out each in its own format; none of them computes them.
/// </summary>
internal static class ReportView
{
    private static readonly string[] ShortfallHeader = ["Gate", "Status", "What", "Actual", "Threshold"];

    private static readonly string[] NoteHeader = ["Gate", "Finding", "Detail"];

    private static readonly string[] WatchHeader = ["Round", "Started", "Decision", "Counts as", "What fell short"];

    /// <summary>A watch's rounds as table rows, the header first; empty when the report is not a watch's.</summary>
    internal static List<string[]> WatchRows(ReleaseReport report)
    {
        if (report.Watch is not { } watch)
        {
            return [];
        }

        var rows = new List<string[]> { WatchHeader.ToArray() };
        rows.AddRange(watch.Rounds.Select(r => new[]
        {
            r.Number.ToString(CultureInfo.InvariantCulture), r.StartedAt.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
            ReportFormat.Decision(r.Decision), r.Outcome.ToString(), r.FellShort.Count == 0 ? "" : string.Join("; ", r.FellShort),
        }));
        return rows;
    }

    /// <summary>A header row plus one row per informational finding: the weaknesses that cost no status, with what was seen and the fix.</summary>
    internal static List<string[]> Notes(ReleaseReport report, Func<GateReport, bool>? which = null)
    {
        var rows = new List<string[]> { NoteHeader.ToArray() };
        foreach (var gate in report.Gates.Where(which ?? (_ => true)))
        {
            foreach (var f in gate.Findings.Where(f => f.Severity == FindingSeverity.Info))
            {
                rows.Add([gate.Name, f.Code + (f.Location is null ? "" : $" [{f.Location}]"), Describe(f)]);
            }
        }

        return rows;
    }

    /// <summary>A finding's message with what was seen and the fix, as every writer shows it.</summary>
    internal static string Describe(Finding f) =>
        f.Message + (f.Observed is null ? "" : $" Seen: {f.Observed}.") + (f.Remediation is null ? "" : $" Fix: {f.Remediation}");

    /// <summary>A header row plus one row per measurement or finding that did not pass, and one per errored or skipped gate.</summary>
    internal static List<string[]> Shortfalls(ReleaseReport report)
    {
        var rows = new List<string[]> { ShortfallHeader.ToArray() };
        foreach (var gate in report.Gates.Where(g => g.Status != GateStatus.Passed))
        {
            var before = rows.Count;
            foreach (var m in gate.Measurements.Where(m => m.Status != GateStatus.Passed && m.WaivedBy is null))
            {
                rows.Add([gate.Name, StatusLabel(m.Status), m.Target is null ? m.Name : $"{m.Name} [{m.Target}]",
                    MetricUnitFormat.Format(m.Value, m.Unit), Threshold(m, report.BaselineSubject)]);
            }

            foreach (var f in gate.Findings.Where(f => f.Severity != FindingSeverity.Info && f.WaivedBy is null))
            {
                rows.Add([gate.Name, StatusLabel(f.ImpliedStatus), f.Code + (f.Location is null ? "" : $" [{f.Location}]"), Describe(f), ""]);
            }

            if (rows.Count == before)
            {
                rows.Add([gate.Name, StatusLabel(gate.Status), "gate", gate.Summary, ""]);
            }
        }

        return rows;
    }

    /// <summary>
    /// The condition, and for a relative one what it resolved to: <c>p(95) &lt;= +10% floor 50ms (limit 110 ms; baseline
    /// 100 ms, checkout 2.3.0)</c>, so that a reader sees the number the value was really held to.
    /// </summary>
    internal static string Threshold(Measurement m, ReleaseSubject? baseline)
    {
        if (m.Condition is not { } condition)
        {
            return "";
        }

        if (!condition.IsRelative)
        {
            return condition.ToString();
        }

        if (m.Baseline is not { } b)
        {
            return $"{condition} (no baseline)";
        }

        var outcome = condition.Evaluate(m.Value, m.Unit, b);
        var limit = outcome.Limit is { } l ? $"limit {MetricUnitFormat.Format(l, m.Unit)}; " : "";
        var from = baseline is null ? "" : SubjectLine(baseline) is { Length: > 0 } line ? ", " + line : "";
        return $"{condition} ({limit}baseline {MetricUnitFormat.Format(b, m.Unit)}{from})";
    }

    /// <summary>
    /// What the history did, one line each: where the baseline came from (the rule, each evaluation used), its notes, the
    /// id this evaluation was recorded under, and what went wrong. Empty when no history was used.
    /// </summary>
    internal static List<string> HistoryLines(ReleaseReport report)
    {
        var lines = new List<string>();
        if (report.History is not { } history)
        {
            return lines;
        }

        if (history.BaselineRule is { } rule && history.Baseline.Count > 0)
        {
            var sources = string.Join(", ", history.Baseline.Select(b =>
                $"#{b.Id.ToString(CultureInfo.InvariantCulture)} {b.Subject.Version ?? "(no version)"} of "
                + $"{b.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC"
                + (b.Use switch { BaselineUse.AllButPerformance => " (no durations or rates: another machine)",
                    BaselineUse.PerformanceOnly => " (durations and rates only)", _ => "" })));
            lines.Add($"Baseline ({rule}, {history.Aggregate}) from {history.Store}: {sources}");
        }
        else if (history.BaselineRule is { } none)
        {
            lines.Add($"Baseline ({none}) from {history.Store}: none");
        }

        lines.AddRange(history.Notes);
        if (history.BaselineError is { } error)
        {
            lines.Add("History error: " + error);
        }

        lines.AddRange(history.Problems.Select(p => "History error: " + p));
        if (history.RecordedId is { } id)
        {
            lines.Add($"Recorded in {history.Store} as #{id.ToString(CultureInfo.InvariantCulture)}");
        }

        return lines;
    }

    private static readonly string[] ChangeHeader = ["Gate", "Measurement", "Now", "Previous", "Change"];

    /// <summary>The most rows <see cref="Changes"/> lists; the rest are counted in a last row.</summary>
    private const int MaximumChangeRows = 25;

    /// <summary>
    /// A header row plus, for each measurement held to a condition that was also measured in the previous recorded
    /// evaluation, its value now and then and the change; empty (the header only) without a history.
    /// </summary>
    internal static List<string[]> Changes(ReleaseReport report)
    {
        var rows = new List<string[]> { ChangeHeader.ToArray() };
        if (report.History is not { Trends.Count: > 0 } history)
        {
            return rows;
        }

        var judged = report.Gates.SelectMany(g => g.Measurements.Where(m => m.Condition is not null).Select(m => (Gate: g.Name, m.Name, m.Target, m.Value)))
            .DistinctBy(m => (m.Gate, m.Name, m.Target)).ToList();
        var extra = 0;
        foreach (var (gate, name, target, value) in judged)
        {
            var trend = history.Trends.FirstOrDefault(t => t.Gate == gate && t.Measurement == name && t.Target == target);
            if (trend is not { Points: [{ Value: { } previous } point, ..] })
            {
                continue;
            }

            if (rows.Count > MaximumChangeRows)
            {
                extra++;
                continue;
            }

            var change = previous == 0
                ? (value == 0 ? "0%" : "new")
                : ((value - previous) / Math.Abs(previous)).ToString("+0.0%;-0.0%;0.0%", CultureInfo.InvariantCulture);
            rows.Add([gate, target is null ? name : $"{name} [{target}]", MetricUnitFormat.Format(value, trend.Unit),
                $"{MetricUnitFormat.Format(previous, trend.Unit)} (#{point.EvaluationId.ToString(CultureInfo.InvariantCulture)} {point.Version})", change]);
        }

        if (extra > 0)
        {
            rows.Add(["", $"and {extra.ToString(CultureInfo.InvariantCulture)} more", "", "", ""]);
        }

        return rows;
    }

    internal static string StatusLabel(GateStatus status) => status switch
    {
        GateStatus.Passed => "PASS",
        GateStatus.Warning => "WARN",
        GateStatus.Failed => "FAIL",
        GateStatus.Error => "ERROR",
        GateStatus.Skipped => "SKIP",
        _ => status.ToString(),
    };

    internal static string FormatDuration(TimeSpan t) => t.TotalSeconds >= 1
        ? t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"
        : t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";

    internal static string SubjectLine(ReleaseSubject subject)
    {
        var parts = new List<string>();
        if (subject.Service is { } s)
        {
            parts.Add(s);
        }

        if (subject.Version is { } v)
        {
            parts.Add("version " + v);
        }

        if (subject.Commit is { } c)
        {
            parts.Add("commit " + (c.Length > 12 ? c[..12] : c));
        }

        if (subject.Environment is { } e)
        {
            parts.Add("to " + e);
        }

        return string.Join(", ", parts);
    }
}
