namespace ReleaseGates;

/// <summary>How per-module rates combine into the rate a threshold is held to (coverlet's <c>ThresholdStat</c>).</summary>
public enum CoverageStatistic
{
    /// <summary>Covered ÷ coverable over everything (files merged across reports).</summary>
    Total,

    /// <summary>Every module (assembly, package) on its own must meet the threshold: the lowest module rate counts (coverlet's default).</summary>
    Minimum,

    /// <summary>The mean of the module rates.</summary>
    Average,
}
