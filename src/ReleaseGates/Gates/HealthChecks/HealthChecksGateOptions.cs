using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ReleaseGates;

/// <summary>Options of the health-checks gate (<c>AddHealthChecks</c>). See <c>docs/gates/health-checks.md</c>.</summary>
public sealed class HealthChecksGateOptions : GateOptions
{
    /// <summary>Creates the options with the gate's defaults: category <see cref="GateCategories.Operations"/>.</summary>
    public HealthChecksGateOptions() => Category = GateCategories.Operations;

    /// <summary>Run only health checks registered with at least one of these tags. Default: empty, meaning all.</summary>
    public ISet<string> HealthCheckTags { get; private set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Run only health checks this predicate accepts (applied after <see cref="HealthCheckTags"/>). Default: all.</summary>
    public Func<HealthCheckRegistration, bool>? Predicate { get; set; }

    /// <inheritdoc />
    protected internal override GateOptions Clone()
    {
        var copy = (HealthChecksGateOptions)base.Clone();
        copy.HealthCheckTags = new HashSet<string>(HealthCheckTags, StringComparer.OrdinalIgnoreCase);
        return copy;
    }
}
