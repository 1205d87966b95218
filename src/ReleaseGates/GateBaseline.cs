namespace ReleaseGates;

/// <summary>
/// What a gate measured in an earlier release, for relative conditions such as <c>p(95) &lt;= +10% baseline</c>: the
/// measurements of the gate of the same name in the baseline report. A gate reads it from <see cref="GateContext.Baseline"/>.
/// </summary>
public sealed class GateBaseline
{
    /// <summary>Creates a baseline from earlier measurements.</summary>
    /// <param name="measurements">The gate's measurements in the earlier release; copied.</param>
    public GateBaseline(IEnumerable<Measurement> measurements)
    {
        ArgumentNullException.ThrowIfNull(measurements);
        Measurements = [.. measurements];
        foreach (var m in Measurements)
        {
            ArgumentNullException.ThrowIfNull(m, nameof(measurements));
        }
    }

    /// <summary>The earlier measurements, in the order the gate reported them.</summary>
    public IReadOnlyList<Measurement> Measurements { get; }

    /// <summary>The first earlier measurement with this name (ordinal), whatever it measured.</summary>
    /// <param name="name">The measurement name, such as <c>p(95)</c>.</param>
    /// <returns>The measurement, or <see langword="null"/>.</returns>
    public Measurement? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Measurements.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.Ordinal));
    }

    /// <summary>The earlier measurement with this name of this target (both ordinal; a <see langword="null"/> target is the gate as a whole).</summary>
    /// <param name="name">The measurement name, such as <c>line</c>.</param>
    /// <param name="target">What was measured, such as an assembly or a file.</param>
    /// <returns>The measurement, or <see langword="null"/>.</returns>
    public Measurement? Find(string name, string? target)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Measurements.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.Ordinal) && string.Equals(m.Target, target,
            StringComparison.Ordinal));
    }
}
