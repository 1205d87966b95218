namespace ReleaseGates;

/// <summary>Options of the coverage gate (<c>AddCoverage</c>). See <c>docs/gates/coverage.md</c>.</summary>
public sealed class CoverageGateOptions : GateOptions
{
    /// <summary>Creates the options with the gate's defaults: category <see cref="GateCategories.Quality"/>.</summary>
    public CoverageGateOptions() => Category = GateCategories.Quality;

    /// <summary>Report files: paths or globs (<c>TestResults/**/coverage.cobertura.xml</c>). Several reports are merged. Required.</summary>
    public IList<string> Files { get; private set; } = [];

    /// <summary>The folder relative paths start from. Default: the current directory.</summary>
    public string? BaseDirectory { get; set; }

    /// <summary>The report format. Default: <see cref="CoverageFormat.Auto"/>.</summary>
    public CoverageFormat Format { get; set; } = CoverageFormat.Auto;

    /// <summary>The lowest line rate (0–1) that passes. Default: <see langword="null"/> (no line condition unless another is set; then 0).</summary>
    public double? MinimumLineRate { get; set; }

    /// <summary>The line rate below which the gate warns. Default: none.</summary>
    public double? WarningLineRate { get; set; }

    /// <summary>The lowest branch rate (0–1) that passes. Default: none.</summary>
    public double? MinimumBranchRate { get; set; }

    /// <summary>The branch rate below which the gate warns. Default: none.</summary>
    public double? WarningBranchRate { get; set; }

    /// <summary>The lowest method rate (0–1) that passes. Default: none.</summary>
    public double? MinimumMethodRate { get; set; }

    /// <summary>The method rate below which the gate warns. Default: none.</summary>
    public double? WarningMethodRate { get; set; }

    /// <summary>How module rates combine. Default: <see cref="CoverageStatistic.Total"/>.</summary>
    public CoverageStatistic Statistic { get; set; } = CoverageStatistic.Total;

    /// <summary>
    /// Truncate rates to two decimals of a percent before comparing, as coverlet does (0.85999 → 85.99 %). Default:
    /// <see langword="true"/>, so the gate agrees with <c>/p:Threshold</c> on the same report.
    /// </summary>
    public bool CoverletTruncation { get; set; } = true;

    /// <summary>The lowest line rate every single module must reach. Default: none.</summary>
    public double? MinimumModuleLineRate { get; set; }

    /// <summary>The lowest line rate every single file must reach (files with fewer coverable lines than <see cref="MinimumCoverableLines"/> are exempt). Default: none.</summary>
    public double? MinimumFileLineRate { get; set; }

    /// <summary>
    /// The fewest coverable lines needed to judge the release (SonarQube's rule for small changes). Fewer is inconclusive
    /// (<see cref="GateStatus.Skipped"/>), never a pass. Default: 20.
    /// </summary>
    public int MinimumCoverableLines { get; set; } = 20;

    /// <summary>Modules (assemblies, packages) to include, as globs. Default: all.</summary>
    public IList<string> IncludeModules { get; private set; } = [];

    /// <summary>Modules to exclude, as globs (<c>*.Tests</c>).</summary>
    public IList<string> ExcludeModules { get; private set; } = [];

    /// <summary>Source files to include, as globs on the path the report writes (<c>src/**</c>). Default: all.</summary>
    public IList<string> IncludeFiles { get; private set; } = [];

    /// <summary>Source files to exclude, as globs on the path the report writes (<c>**/Migrations/**</c>).</summary>
    public IList<string> ExcludeFiles { get; private set; } = [];

    /// <summary>Classes to include, as globs on the full class name (<c>MyApp.Domain.*</c>). Applies where the format names classes. Default: all.</summary>
    public IList<string> IncludeClasses { get; private set; } = [];

    /// <summary>Classes to exclude, as globs on the full class name (<c>*.Generated.*</c>). Applies where the format names classes.</summary>
    public IList<string> ExcludeClasses { get; private set; } = [];

    /// <summary>
    /// More conditions in text form over <c>line</c>, <c>branch</c> and <c>method</c>, including relative ones against the
    /// baseline report (<c>line >= -0.005</c>: at most half a point lower than the baseline). Default: none.
    /// </summary>
    public IList<string> Conditions { get; private set; } = [];

    /// <summary>How many of the least-covered files are listed as findings. Default: 5.</summary>
    public int WorstFilesListed { get; set; } = 5;

    /// <summary>Diff coverage: coverage of added or changed lines only. Default: off.</summary>
    public DiffCoverageOptions? Diff { get; set; }

    internal static readonly string[] Metrics = ["line", "branch", "method", "statement"];

    /// <inheritdoc />
    protected internal override void Validate(ICollection<string> problems)
    {
        base.Validate(problems);
        if (Files.Count == 0 || Files.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add($"{nameof(Files)} must list at least one path or glob, and no empty ones.");
        }

        void Rate(double? value, string name)
        {
            if (value is { } v && !(v >= 0 && v <= 1))
            {
                problems.Add($"{name} is a ratio from 0 to 1 (0.85 for 85 %), but was {v}.");
            }
        }

        Rate(MinimumLineRate, nameof(MinimumLineRate));
        Rate(WarningLineRate, nameof(WarningLineRate));
        Rate(MinimumBranchRate, nameof(MinimumBranchRate));
        Rate(WarningBranchRate, nameof(WarningBranchRate));
        Rate(MinimumMethodRate, nameof(MinimumMethodRate));
        Rate(WarningMethodRate, nameof(WarningMethodRate));
        Rate(MinimumModuleLineRate, nameof(MinimumModuleLineRate));
        Rate(MinimumFileLineRate, nameof(MinimumFileLineRate));
        Rate(Diff?.MinimumLineRate, "Diff.MinimumLineRate");
        if (WarningLineRate < MinimumLineRate || WarningBranchRate < MinimumBranchRate || WarningMethodRate < MinimumMethodRate)
        {
            problems.Add("A warning rate must not be below its minimum rate: the warning tier lies between the two.");
        }

        if (!Enum.IsDefined(Format) || !Enum.IsDefined(Statistic))
        {
            problems.Add($"{nameof(Format)} or {nameof(Statistic)} has an unknown value.");
        }

        if (MinimumCoverableLines < 0 || WorstFilesListed < 0)
        {
            problems.Add($"{nameof(MinimumCoverableLines)} and {nameof(WorstFilesListed)} must not be negative.");
        }

        if (Diff is { } diff && (diff.DiffFile is null) == (diff.GitBase is null))
        {
            problems.Add("Diff: set exactly one of DiffFile (a unified diff) and GitBase (a ref for 'git diff <base>...HEAD').");
        }

        ConditionList.Validate(Conditions, m => Metrics.Contains(m, StringComparer.Ordinal) ? MetricUnit.Ratio : null,
            "line, branch, method and statement (dotCover)", problems);
    }

    /// <inheritdoc />
    protected internal override GateOptions Clone()
    {
        var copy = (CoverageGateOptions)base.Clone();
        copy.Files = [.. Files];
        copy.IncludeModules = [.. IncludeModules];
        copy.ExcludeModules = [.. ExcludeModules];
        copy.IncludeFiles = [.. IncludeFiles];
        copy.ExcludeFiles = [.. ExcludeFiles];
        copy.IncludeClasses = [.. IncludeClasses];
        copy.ExcludeClasses = [.. ExcludeClasses];
        copy.Conditions = [.. Conditions];
        copy.Diff = Diff?.Copy();
        return copy;
    }
}
