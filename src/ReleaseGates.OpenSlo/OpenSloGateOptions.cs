namespace ReleaseGates;

/// <summary>
/// Options of a gate read from an OpenSLO v1 file (<c>AddOpenSlo</c>, <c>"type": "openslo"</c>): one objective of one SLO
/// of the file becomes the SLO gate, counted over Prometheus. See <c>docs/gates/slo.md#openslo</c>.
/// </summary>
public sealed class OpenSloGateOptions : GateOptions
{
    /// <summary>Creates the options with the gate's defaults: category <see cref="GateCategories.Performance"/>.</summary>
    public OpenSloGateOptions() => Category = GateCategories.Performance;

    /// <summary>The OpenSLO YAML file (one or more objects separated by <c>---</c>). Required.</summary>
    public string? File { get; set; }

    /// <summary>The <c>metadata.name</c> of the SLO to gate on; needed when the file holds several. Default: the file's only SLO.</summary>
    public string? Slo { get; set; }

    /// <summary>
    /// The objective to gate on, by its <c>displayName</c>; needed when the SLO has several (an internal objective and an
    /// SLA). Default: the SLO's only objective.
    /// </summary>
    public string? Objective { get; set; }

    /// <summary>
    /// The Prometheus server and its credentials. Its <see cref="PrometheusConnection.BaseAddress"/> may be left unset when
    /// the file's <c>DataSource</c> gives <c>connectionDetails.url</c>; a set address wins over the file's. Credentials are
    /// given here only, never in the SLO file. Default: the file's address, without credentials.
    /// </summary>
    public PrometheusConnection? Prometheus { get; set; }

    /// <summary>
    /// The length of each window read from Prometheus: whole seconds, dividing the time slice and the burn-rate windows.
    /// Default: 1 minute.
    /// </summary>
    public TimeSpan Step { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The least share of the error budget that must be left, 0 to 1. Default: 0.</summary>
    public double MinimumBudgetRemaining { get; set; }

    /// <summary>The share of the budget left below which the gate warns. Default: none.</summary>
    public double? WarningBudgetRemaining { get; set; }

    /// <summary>The multiwindow burn-rate rules. Default: the SRE workbook's three (<see cref="SloBurnRateRule.WorkbookDefaults"/>).</summary>
    public IList<SloBurnRateRule> BurnRates { get; private set; } = SloBurnRateRule.WorkbookDefaults();

    /// <summary>Further conditions on <c>sli</c>, <c>budget-remaining</c> and the burn rates, as <see cref="SloGateOptions.Conditions"/>.</summary>
    public IList<string> Conditions { get; private set; } = [];

    /// <summary>The fewest events the window and each burn-rate window need; fewer is inconclusive. Default: 1.</summary>
    public long MinimumRequests { get; set; } = 1;

    /// <inheritdoc />
    protected override void Validate(ICollection<string> problems)
    {
        base.Validate(problems);
        if (string.IsNullOrWhiteSpace(File))
        {
            problems.Add($"{nameof(File)} is required: the OpenSLO v1 YAML file that defines the SLO.");
        }

        if (Step < TimeSpan.FromSeconds(1) || Step.TotalMilliseconds % 1000 != 0)
        {
            problems.Add($"{nameof(Step)} must be whole seconds, at least 1, but was {Step}.");
        }
    }

    /// <inheritdoc />
    protected override GateOptions Clone()
    {
        var copy = (OpenSloGateOptions)base.Clone();
        copy.BurnRates = [.. BurnRates];
        copy.Conditions = [.. Conditions];
        return copy;
    }

    /// <summary>The problems of these options as set, before the file is read.</summary>
    internal List<string> Problems()
    {
        var problems = new List<string>();
        Validate(problems);
        return problems;
    }
}
