using Microsoft.Extensions.Logging;

namespace ReleaseGates;

/// <summary>What a gate is given when it runs.</summary>
public sealed class GateContext
{
    /// <summary>Creates a context. Hosts and tests that call a gate directly use this; the evaluator creates one per gate.</summary>
    /// <param name="gateName">The registered name of the gate.</param>
    /// <param name="services">Services for the gate to resolve dependencies from.</param>
    /// <param name="timeProvider">The clock; gates never read <c>DateTime.Now</c>.</param>
    /// <param name="logger">The gate's logger.</param>
    /// <param name="baseline">What this gate measured in an earlier release, to compare against, if a baseline was given.</param>
    public GateContext(string gateName, IServiceProvider services, TimeProvider timeProvider, ILogger logger, GateBaseline? baseline = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(gateName);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        GateName = gateName;
        Services = services;
        TimeProvider = timeProvider;
        Logger = logger;
        Baseline = baseline;
    }

    /// <summary>The registered name of the gate.</summary>
    public string GateName { get; }

    /// <summary>Services for the gate to resolve dependencies from.</summary>
    public IServiceProvider Services { get; }

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The gate's logger.</summary>
    public ILogger Logger { get; }

    /// <summary>
    /// What this gate measured in the baseline release (its entry in the baseline report, matched by name), or
    /// <see langword="null"/> when no baseline was given or it has no gate of this name.
    /// </summary>
    public GateBaseline? Baseline { get; }
}
