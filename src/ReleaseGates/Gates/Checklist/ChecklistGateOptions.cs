namespace ReleaseGates;

/// <summary>Options of the checklist gate (<c>AddChecklist</c>). See <c>docs/gates/checklist.md</c>.</summary>
public sealed class ChecklistGateOptions : GateOptions
{
    /// <summary>Creates the options with the gate's defaults: category <see cref="GateCategories.Operations"/>.</summary>
    public ChecklistGateOptions() => Category = GateCategories.Operations;

    /// <summary>The Markdown files: paths or globs (<c>docs/RELEASE_CHECKLIST.md</c>, <c>release/*.md</c>), relative to <see cref="BaseDirectory"/>. Required.</summary>
    public IList<string> Files { get; private set; } = [];

    /// <summary>The folder relative paths start from. Default: the current directory.</summary>
    public string? BaseDirectory { get; set; }

    /// <summary>
    /// The lowest share of all items that must be done, 0 to 1. Default: <see langword="null"/>, which means every item (1)
    /// when <see cref="Groups"/> is empty, and no condition on the whole when groups are listed (they decide).
    /// </summary>
    public double? MinimumDone { get; set; }

    /// <summary>
    /// Groups by heading: a glob over the heading's text (case-insensitive; <c>*Tier 1*</c>, <c>Phase 3*</c>) and the
    /// lowest share of its items (those under it, sub-headings included) that must be done, 0 to 1. Every group must
    /// match at least one heading holding at least one item; each matching heading is judged on its own. Default: none.
    /// </summary>
    public IDictionary<string, double> Groups { get; private set; } = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Globs over item text (case-insensitive) that must each match at least one item, every one of them done. Default: none.</summary>
    public IList<string> RequiredItems { get; private set; } = [];

    /// <summary>Whether a ticked item needs a sign-off (<c>@name</c> and an ISO date such as <c>2026-11-30</c> in its text) to count as done. Default: <see langword="false"/>.</summary>
    public bool RequireSignOff { get; set; }

    /// <summary>Whether a ticked item needs an evidence link (a Markdown link or a URL in its text) to count as done. Default: <see langword="false"/>.</summary>
    public bool RequireEvidence { get; set; }

    /// <summary>
    /// How old a sign-off may be: a ticked item whose date is older counts as open (stale). Items without a date are not
    /// stale (use <see cref="RequireSignOff"/> to require one). Default: <see langword="null"/> (no limit).
    /// </summary>
    public TimeSpan? MaximumSignOffAge { get; set; }

    /// <summary>
    /// More conditions in text form over the metrics <c>total</c>, <c>done</c>, <c>open</c> and <c>done-ratio</c> of
    /// all items, for example <c>open &lt;= 2</c>. Default: none.
    /// </summary>
    public IList<string> Conditions { get; private set; } = [];

    /// <summary>How many open items are listed as findings. Default: 20.</summary>
    public int MaximumOpenListed { get; set; } = 20;

    internal static readonly string[] Metrics = ["total", "done", "open", "done-ratio"];

    /// <inheritdoc />
    protected internal override void Validate(ICollection<string> problems)
    {
        base.Validate(problems);
        if (Files.Count == 0 || Files.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add($"{nameof(Files)} must list at least one path or glob, and no empty ones.");
        }

        if (MinimumDone is { } ratio && !(ratio >= 0 && ratio <= 1))
        {
            problems.Add($"{nameof(MinimumDone)} is a ratio from 0 to 1 (0.85 for 85 %), but was {ratio}.");
        }

        foreach (var (heading, share) in Groups)
        {
            if (string.IsNullOrWhiteSpace(heading))
            {
                problems.Add($"{nameof(Groups)} has an empty heading.");
            }
            else if (!(share >= 0 && share <= 1))
            {
                problems.Add($"{nameof(Groups)}['{heading}'] is a ratio from 0 to 1 (0.85 for 85 %), but was {share}.");
            }
        }

        if (RequiredItems.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add($"{nameof(RequiredItems)} must not hold an empty glob.");
        }

        if (MaximumSignOffAge is { } age && (age <= TimeSpan.Zero || age > TimeSpan.FromDays(36_500)))
        {
            problems.Add($"{nameof(MaximumSignOffAge)} must be positive and at most 100 years, but was {age}.");
        }

        if (MaximumOpenListed < 0)
        {
            problems.Add($"{nameof(MaximumOpenListed)} must not be negative, but was {MaximumOpenListed}.");
        }

        ConditionList.Validate(
            Conditions,
            m => m == "done-ratio" ? MetricUnit.Ratio : Metrics.Contains(m, StringComparer.Ordinal) ? MetricUnit.Count : null,
            string.Join(", ", Metrics),
            problems);
    }

    /// <inheritdoc />
    protected internal override GateOptions Clone()
    {
        var copy = (ChecklistGateOptions)base.Clone();
        copy.Files = [.. Files];
        copy.Groups = new Dictionary<string, double>(Groups, StringComparer.OrdinalIgnoreCase);
        copy.RequiredItems = [.. RequiredItems];
        copy.Conditions = [.. Conditions];
        return copy;
    }
}
