namespace ReleaseGates;

/// <summary>Diff coverage (SonarQube's "coverage on new code"): only lines a change added or modified count.</summary>
public sealed class DiffCoverageOptions
{
    /// <summary>A unified diff file (<c>git diff base...HEAD &gt; change.diff</c>). Set this or <see cref="GitBase"/>.</summary>
    public string? DiffFile { get; set; }

    /// <summary>A git ref: the gate runs <c>git diff --unified=0 &lt;base&gt;...HEAD</c> in <see cref="RepositoryDirectory"/>.</summary>
    public string? GitBase { get; set; }

    /// <summary>Where to run git. Default: the gate's base directory.</summary>
    public string? RepositoryDirectory { get; set; }

    /// <summary>The lowest line rate (0–1) of changed coverable lines. Default: 0.8.</summary>
    public double MinimumLineRate { get; set; } = 0.8;

    /// <summary>How many uncovered changed line ranges are listed as findings. Default: 20.</summary>
    public int RangesListed { get; set; } = 20;

    /// <summary>A copy that shares no mutable state with these options.</summary>
    internal DiffCoverageOptions Copy()
    {
        var copy = (DiffCoverageOptions)MemberwiseClone();
        return copy;
    }
}
