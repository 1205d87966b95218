using System.Globalization;

namespace ReleaseGates;

/// <summary>
/// Chooses a baseline from a history by a <see cref="BaselineRule"/>: the candidates of the same service and environment
/// (and branch) that were not invalidated, the rule's pick among them, and each measurement combined over the picked
/// evaluations. Performance-like measurements come only from evaluations whose fingerprint is compatible.
/// </summary>
internal static class BaselineResolver
{
    /// <summary>How many of the newest matching evaluations are considered: enough for any count once other machines' are set aside.</summary>
    internal const int CandidateLimit = 200;

    // readReport: reads a recorded report (the evaluation passes one that keeps what it read for its trends); null for the store's own.
    public static async Task<ResolvedBaseline> ResolveAsync(IReleaseHistory history, BaselineRule rule, ReleaseSubject subject,
        EnvironmentFingerprint fingerprint, CancellationToken cancellationToken, Func<long, CancellationToken, Task<ReleaseReport?>>? readReport = null)
    {
        readReport ??= history.ReadReportAsync;
        var notes = new List<string>();
        var (general, performance) = await PickAsync(history, rule, subject, fingerprint, notes, cancellationToken).ConfigureAwait(false);
        var reports = new List<(HistoryEntry Entry, ReleaseReport Report, BaselineUse Use)>();
        foreach (var entry in general.Union(performance).OrderByDescending(e => e.Id))
        {
            var report = await readReport(entry.Id, cancellationToken).ConfigureAwait(false)
                ?? throw new ReleaseHistoryException($"{history.Description}: evaluation #{entry.Id} was listed but its report is gone (pruned meanwhile?).");
            var use = !performance.Contains(entry) ? BaselineUse.AllButPerformance : general.Contains(entry) ? BaselineUse.All : BaselineUse.PerformanceOnly;
            reports.Add((entry, report, use));
        }

        var aggregate = rule.Kind switch
        {
            BaselineRuleKind.Median => "median",
            BaselineRuleKind.Mean => "mean",
            _ => "single",
        };
        var historyReport = new HistoryReport
        {
            Status = reports.Count == 0 ? GateStatus.Skipped : GateStatus.Passed,
            Store = history.Description,
            Fingerprint = fingerprint,
            BaselineRule = rule.ToString(),
            FingerprintFields = rule.Fingerprint,
            Aggregate = reports.Count == 0 ? null : aggregate,
            Baseline = [.. reports.Select(r => new BaselineSource
            {
                Id = r.Entry.Id,
                Subject = r.Entry.Subject,
                StartedAt = r.Entry.StartedAt,
                Decision = r.Entry.Decision,
                Use = r.Use,
            })],
            Notes = notes,
        };
        return new ResolvedBaseline(Combine(reports, rule.Kind == BaselineRuleKind.Mean), historyReport, reports.Count > 0 ? reports[0].Entry.Subject : null);
    }

    /// <summary>Whether a measurement in this unit depends on the machine: durations under a minute and rates per second.</summary>
    public static bool IsPerformanceLike(MetricUnit unit)
        => unit is MetricUnit.Nanoseconds or MetricUnit.Microseconds or MetricUnit.Milliseconds or MetricUnit.Seconds or MetricUnit.PerSecond;

    /// <summary>
    /// The evaluations the rule picks, newest first: those whose measurements other than durations and rates are used, and
    /// those whose durations and rates are (the picks that ran on a compatible machine).
    /// </summary>
    private static async Task<(List<HistoryEntry> General, List<HistoryEntry> Performance)> PickAsync(IReleaseHistory history, BaselineRule rule,
        ReleaseSubject subject, EnvironmentFingerprint fingerprint, List<string> notes, CancellationToken cancellationToken)
    {
        var query = new HistoryQuery
        {
            Service = subject.Service ?? "",
            Environment = subject.Environment ?? "",
            Branch = rule.SameBranch ? subject.Branch ?? "" : null,
            IncludeInvalidated = false,
            Limit = CandidateLimit,
        };
        var scope = $"service '{subject.Service}', environment '{subject.Environment}'" + (rule.SameBranch ? $", branch '{subject.Branch}'" : "");
        bool Compatible(HistoryEntry e) => fingerprint.Differences(e.Fingerprint, rule.Fingerprint).Count == 0;
        List<HistoryEntry> general;
        List<HistoryEntry> perf;
        if (rule.Kind is BaselineRuleKind.Pinned or BaselineRuleKind.Blessed)
        {
            var single = await PickMarkedAsync(history, rule, query, scope, notes, cancellationToken).ConfigureAwait(false);
            general = single is null ? [] : [single];
            perf = [.. general.Where(Compatible)];
        }
        else
        {
            query.ByBaselineDecision = true;
            query.Decisions.Add(ReleaseDecision.Go);
            if (rule.IncludeWarnings)
            {
                query.Decisions.Add(ReleaseDecision.GoWithWarnings);
            }

            var candidates = await history.ListAsync(query, cancellationToken).ConfigureAwait(false);
            var count = rule.Kind == BaselineRuleKind.LastPassing ? 1 : rule.Count;
            general = [.. candidates.Take(count)];
            perf = [.. candidates.Where(Compatible).Take(count)];
            if (candidates.Count == 0)
            {
                notes.Add($"No passing evaluation of {scope} is recorded yet (invalidated ones are never used): relative conditions are inconclusive.");
            }
            else if (general.Count < count)
            {
                notes.Add($"Only {general.Count.ToString(CultureInfo.InvariantCulture)} passing evaluation(s) of {scope} are recorded, "
                    + $"fewer than the rule's {count.ToString(CultureInfo.InvariantCulture)}: the baseline combines those.");
            }
        }

        var others = general.Where(e => !perf.Contains(e)).ToList();
        if (others.Count > 0)
        {
            var differences = fingerprint.Differences(others[0].Fingerprint, rule.Fingerprint);
            notes.Add(perf.Count == 0
                ? $"{Describe(others)} ran on another machine ({string.Join(", ", differences)}): "
                    + "durations and rates are not compared with it (inconclusive); other measurements are."
                : $"{Describe(others)} ran on another machine ({string.Join(", ", differences)}): "
                    + "its durations and rates are left out of the baseline; its other measurements are used.");
        }

        return (general, perf);
    }

    private static async Task<HistoryEntry?> PickMarkedAsync(IReleaseHistory history, BaselineRule rule, HistoryQuery query, string scope,
        List<string> notes, CancellationToken cancellationToken)
    {
        if (rule.Kind == BaselineRuleKind.Pinned && rule.Pin is { } pin)
        {
            HistoryEntry? found;
            if (pin.StartsWith('#'))
            {
                var id = long.Parse(pin.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture);
                found = await history.FindAsync(id, cancellationToken).ConfigureAwait(false);
                if (found is not null && (found.IsInvalidated || !Same(found.Subject.Service,
                    query.Service) || !Same(found.Subject.Environment, query.Environment)))
                {
                    notes.Add(found.IsInvalidated
                        ? $"The pinned evaluation {pin} was invalidated, so it is not a baseline: relative conditions are inconclusive."
                        : $"The pinned evaluation {pin} is of service '{found.Subject.Service}', environment "
                            + $"'{found.Subject.Environment}', not {scope}: relative conditions are inconclusive.");
                    return null;
                }
            }
            else
            {
                query.Version = pin;
                query.Limit = 1;
                var listed = await history.ListAsync(query, cancellationToken).ConfigureAwait(false);
                found = listed.Count > 0 ? listed[0] : null;
            }

            if (found is null)
            {
                var what = pin.StartsWith('#') ? pin : "of version " + pin;
                notes.Add($"No evaluation {what} of {scope} is recorded (or it was invalidated): relative conditions are inconclusive.");
            }

            return found;
        }

        var kind = rule.Kind == BaselineRuleKind.Pinned ? HistoryMarkKind.Pinned : HistoryMarkKind.Blessed;
        query.MarkedAs = kind;
        var marked = await history.ListAsync(query, cancellationToken).ConfigureAwait(false);
        var latest = marked.OrderByDescending(e => e.LastMarked(kind)).ThenByDescending(e => e.Id).FirstOrDefault();
        if (latest is null)
        {
            notes.Add($"No evaluation of {scope} is "
                + $"{(kind == HistoryMarkKind.Pinned ? "pinned" : "blessed")} (or the marked ones were invalidated): relative conditions are inconclusive.");
        }

        return latest;
    }

    private static bool Same(string? stored, string? wanted) => string.Equals(stored ?? "", wanted ?? "", StringComparison.Ordinal);

    private static string Describe(List<HistoryEntry> entries) => entries.Count == 1
        ? $"Evaluation #{entries[0].Id.ToString(CultureInfo.InvariantCulture)}"
        : $"Evaluations {string.Join(", ", entries.Select(e => "#" + e.Id.ToString(CultureInfo.InvariantCulture)))}";

    /// <summary>Each gate's measurements combined over the picked reports, by name and target, in the newest report's unit.</summary>
    private static Dictionary<string, GateBaseline> Combine(List<(HistoryEntry Entry, ReleaseReport Report, BaselineUse Use)> reports, bool mean)
    {
        var series = new Dictionary<(string Gate, string Name, string? Target), (MetricUnit Unit, List<double> Values)>();
        var gateNames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (_, report, use) in reports)
        {
            foreach (var gate in report.Gates)
            {
                gateNames.TryAdd(gate.Name, gate.Name);
                var name = gateNames[gate.Name];
                foreach (var m in gate.Measurements)
                {
                    var performanceLike = IsPerformanceLike(m.Unit);
                    if (!double.IsFinite(m.Value) || (performanceLike ? use == BaselineUse.AllButPerformance : use == BaselineUse.PerformanceOnly))
                    {
                        continue;
                    }

                    var key = (name, m.Name, m.Target);
                    if (!series.TryGetValue(key, out var values))
                    {
                        series[key] = values = (m.Unit, []);
                    }

                    if (values.Unit == m.Unit)
                    {
                        values.Values.Add(m.Value);
                    }
                }
            }
        }

        return series.GroupBy(s => s.Key.Gate, StringComparer.OrdinalIgnoreCase).ToDictionary(
            g => g.Key,
            g => new GateBaseline(g.Select(s => new Measurement(s.Key.Name, mean ? s.Value.Values.Average() : Median(s.Value.Values), s.Value.Unit)
            {
                Target = s.Key.Target,
            })),
            StringComparer.OrdinalIgnoreCase);
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
