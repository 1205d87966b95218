using System.Globalization;
using ReleaseGates.IO;

namespace ReleaseGates;

/// <summary>
/// Holds the Markdown checklists a team already writes to how much of them is done, overall, per heading and for named
/// items; ticked items can be required to carry a fresh sign-off and evidence. Every open item is a finding with its
/// file and line. No items, or a group that matches no heading, are never a pass.
/// </summary>
internal sealed class ChecklistGate(ChecklistGateOptions options) : IReleaseGate
{
    public async ValueTask<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        var baseDirectory = options.BaseDirectory ?? Directory.GetCurrentDirectory();
        var (files, none) = EvidenceFiles.Expand(options.Files, baseDirectory, "checklist files");
        if (none is not null)
        {
            return none;
        }

        var items = new List<ChecklistItem>();
        var unreadable = await EvidenceFiles.ReadEachAsync(files, async file =>
        {
            await using var stream = SafeFile.OpenRead(file);
            using var reader = new StreamReader(stream, detectEncodingFromByteOrderMarks: true);
            var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);

            // Relative to the base directory (the repository, in a pipeline), so code scanning places the finding; a file
            // outside it keeps its full path.
            var relative = Path.GetRelativePath(baseDirectory, file);
            var shown = relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? file : relative.Replace('\\', '/');
            items.AddRange(MarkdownChecklist.Read(new StringReader(text), shown));
        }).ConfigureAwait(false);
        if (unreadable is not null)
        {
            return unreadable;
        }

        var today = DateOnly.FromDateTime(context.TimeProvider.GetUtcNow().UtcDateTime);
        return Judge(items, today, FileGlob.Describe(files, baseDirectory), options);
    }

    /// <summary>The verdict as a pure function of the items read, the day, and the options.</summary>
    internal static GateResult Judge(IReadOnlyList<ChecklistItem> items, DateOnly today, string files, ChecklistGateOptions options)
    {
        var findings = new List<Finding>();
        if (items.Count == 0)
        {
            findings.Add(new Finding(ChecklistGateConstants.Empty, FindingSeverity.Error,
                $"{files} holds no checklist item (no '- [ ]' or '- [x]' line, and no table row with a status mark such as ✅ or ❌)."));
            return GateResult.FromEvidence($"No checklist items in {files}", [new Measurement("total", 0, MetricUnit.Count)], findings);
        }

        var reasons = OpenReasons(items, today, options);
        var measurements = new List<Measurement>();
        var done = reasons.Count(r => r is null);
        var values = new Dictionary<string, (double Value, MetricUnit Unit)>(StringComparer.Ordinal)
        {
            ["total"] = (items.Count, MetricUnit.Count),
            ["done"] = (done, MetricUnit.Count),
            ["open"] = (items.Count - done, MetricUnit.Count),
            ["done-ratio"] = ((double)done / items.Count, MetricUnit.Ratio),
        };

        var conditions = new List<GateCondition>();
        if ((options.MinimumDone ?? (options.Groups.Count == 0 ? 1 : null)) is { } minimum)
        {
            conditions.Add(GateCondition.AtLeast("done-ratio", MetricUnitFormat.RatioToPercent(minimum), MetricUnit.Percent));
        }

        conditions.AddRange(options.Conditions.Select(GateCondition.Parse));
        measurements.AddRange(conditions.Select(c => Measurement.Evaluate(c.Metric, values[c.Metric].Value, values[c.Metric].Unit, c)));
        measurements.AddRange(ChecklistGateOptions.Metrics.Where(m => !conditions.Any(c => c.Metric == m)).Select(m => new Measurement(m,
            values[m].Value, values[m].Unit)));

        var groupSummaries = JudgeGroups(items, reasons, options, measurements, findings);
        JudgeRequiredItems(items, reasons, options, findings);
        ListOpenItems(items, reasons, options, findings);

        var summary = $"{done} of {items.Count} checklist items done ({(double)done / items.Count:P1}) in {files}"
            + (groupSummaries.Count == 0 ? "" : "; " + string.Join("; ", groupSummaries));
        return GateResult.FromEvidence(summary, measurements, findings);
    }

    /// <summary>
    /// Why each item does not count as done, or <see langword="null"/> when it does: not ticked, no sign-off or evidence
    /// where required, a stale or future sign-off, or (for a ticked item) an open item nested under it.
    /// </summary>
    internal static string?[] OpenReasons(IReadOnlyList<ChecklistItem> items, DateOnly today, ChecklistGateOptions options)
    {
        var reasons = new string?[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            reasons[i] = !item.Checked ? ChecklistGateConstants.Open
                : options.RequireSignOff && (item.SignedBy is null || item.SignedOn is null) ? ChecklistGateConstants.Unsigned
                : options.RequireEvidence && item.Evidence is null ? ChecklistGateConstants.NoEvidence
                : item.SignedOn is { } on && on > today.AddDays(1) ? ChecklistGateConstants.FutureSignOff
                : item.SignedOn is { } signed && options.MaximumSignOffAge is { } age
                    && signed < today.AddDays(-(int)Math.Floor(age.TotalDays)) ? ChecklistGateConstants.Stale
                : null;
        }

        // Children come after their parents, so walking backwards carries an open item up through every level.
        for (var i = items.Count - 1; i >= 0; i--)
        {
            if (reasons[i] is not null && items[i].Parent is >= 0 and var parent && reasons[parent] is null)
            {
                reasons[parent] = ChecklistGateConstants.OpenChildren;
            }
        }

        return reasons;
    }

    private static List<string> JudgeGroups(IReadOnlyList<ChecklistItem> items, string?[] reasons, ChecklistGateOptions options,
        List<Measurement> measurements, List<Finding> findings)
    {
        var summaries = new List<string>();
        var severalFiles = items.Select(i => i.File).Distinct(StringComparer.Ordinal).Skip(1).Any();
        foreach (var (pattern, share) in options.Groups)
        {
            var glob = TextGlob.Create(pattern);
            var headings = items.SelectMany(i => i.Headings.Select(h => (i.File, Heading: h)))
                .Where(x => glob.IsMatch(x.Heading.Text))
                .Distinct()
                .ToList();
            if (headings.Count == 0)
            {
                findings.Add(new Finding(ChecklistGateConstants.GroupMissing, FindingSeverity.Error,
                    $"No heading matching '{pattern}' holds a checklist item, so its {share:P0} cannot be shown."));
                continue;
            }

            var condition = GateCondition.AtLeast("done-ratio", MetricUnitFormat.RatioToPercent(share), MetricUnit.Percent);
            foreach (var (file, heading) in headings)
            {
                var members = Enumerable.Range(0, items.Count).Where(i => items[i].File == file && items[i].Headings.Contains(heading)).ToList();
                var groupDone = members.Count(i => reasons[i] is null);
                var target = severalFiles ? $"{file}: {heading.Text}" : heading.Text;
                measurements.Add(Measurement.Evaluate("done-ratio", (double)groupDone / members.Count, MetricUnit.Ratio, condition) with { Target = target });
                summaries.Add($"{heading.Text}: {groupDone} of {members.Count}");
            }
        }

        return summaries;
    }

    private static void JudgeRequiredItems(IReadOnlyList<ChecklistItem> items, string?[] reasons, ChecklistGateOptions options, List<Finding> findings)
    {
        foreach (var pattern in options.RequiredItems)
        {
            var glob = TextGlob.Create(pattern);
            var matches = Enumerable.Range(0, items.Count).Where(i => glob.IsMatch(items[i].Text)).ToList();
            if (matches.Count == 0)
            {
                findings.Add(new Finding(ChecklistGateConstants.RequiredMissing, FindingSeverity.Error,
                    $"No checklist item matches the required '{pattern}'."));
            }

            foreach (var i in matches.Where(i => reasons[i] is not null))
            {
                findings.Add(new Finding(ChecklistGateConstants.RequiredOpen, FindingSeverity.Error,
                    $"The required item '{items[i].Text}' is not done ({Describe(reasons[i]!, items[i], options)}).") { Target = items[i].File,
                    Line = items[i].Line });
            }
        }
    }

    private static void ListOpenItems(IReadOnlyList<ChecklistItem> items, string?[] reasons, ChecklistGateOptions options, List<Finding> findings)
    {
        var open = Enumerable.Range(0, items.Count).Where(i => reasons[i] is not null).ToList();
        foreach (var i in open.Take(options.MaximumOpenListed))
        {
            var item = items[i];
            var under = item.Headings.Count == 0 ? "" : $" (under '{item.Headings[^1].Text}')";
            findings.Add(new Finding(reasons[i]!, FindingSeverity.Info,
                $"'{item.Text}'{under}: {Describe(reasons[i]!, item, options)}.") { Target = item.File, Line = item.Line });
        }

        if (open.Count > options.MaximumOpenListed)
        {
            findings.Add(new Finding(ChecklistGateConstants.MoreOpen, FindingSeverity.Info,
                $"{open.Count - options.MaximumOpenListed} more open items are not listed."));
        }
    }

    private static string Describe(string reason, ChecklistItem item, ChecklistGateOptions options) => reason switch
    {
        ChecklistGateConstants.Open => "not ticked",
        ChecklistGateConstants.Unsigned => "ticked without a sign-off (@name and a date such as 2026-11-30)",
        ChecklistGateConstants.NoEvidence => "ticked without an evidence link",
        ChecklistGateConstants.FutureSignOff => $"signed off on {item.SignedOn:yyyy-MM-dd}, a day still to come",
        ChecklistGateConstants.Stale =>
            $"signed off on {item.SignedOn:yyyy-MM-dd}, more than {options.MaximumSignOffAge!.Value.TotalDays.ToString("0.##", CultureInfo.InvariantCulture)} days ago",
        _ => "ticked, but an item under it is open",
    };
}
