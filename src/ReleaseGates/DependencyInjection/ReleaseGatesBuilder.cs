using Microsoft.Extensions.Logging;

namespace ReleaseGates;

/// <summary>A gate builder without a dependency-injection container. Create one with <see cref="ReleaseGate.CreateBuilder"/>.</summary>
public sealed class ReleaseGatesBuilder : IReleaseGatesBuilder
{
    private readonly List<GateRegistration> _registrations = [];
    private readonly List<Action<ReleaseGatesOptions>> _configurations = [];
    private IServiceProvider? _services;
    private TimeProvider? _timeProvider;
    private ILoggerFactory? _loggerFactory;

    internal ReleaseGatesBuilder()
    {
    }

    /// <inheritdoc />
    public void AddRegistration(GateRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        _registrations.Add(registration);
    }

    /// <inheritdoc />
    public void AddConfiguration(Action<ReleaseGatesOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _configurations.Add(configure);
    }

    /// <summary>Gives gates a service provider to resolve from. Default: an empty one.</summary>
    /// <param name="services">The services.</param>
    /// <returns>This builder.</returns>
    public ReleaseGatesBuilder UseServices(IServiceProvider services)
    {
        _services = services ?? throw new ArgumentNullException(nameof(services));
        return this;
    }

    /// <summary>Sets the clock. Default: <see cref="TimeProvider.System"/>.</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>This builder.</returns>
    public ReleaseGatesBuilder UseTimeProvider(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        return this;
    }

    /// <summary>Sets the logger factory. Default: none (no logging).</summary>
    /// <param name="loggerFactory">The logger factory.</param>
    /// <returns>This builder.</returns>
    public ReleaseGatesBuilder UseLoggerFactory(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory));
        return this;
    }

    /// <summary>
    /// Builds the evaluator: the registrations are validated (every problem at once) and frozen, so the evaluator can be
    /// kept and evaluated again, and changing options objects afterwards has no effect.
    /// </summary>
    /// <returns>The evaluator.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">Duplicate gate names or invalid settings; every problem is listed.</exception>
    public IReleaseGateEvaluator Build()
    {
        var options = new ReleaseGatesOptions();
        foreach (var configure in _configurations)
        {
            configure(options);
        }

        return new ReleaseGateEvaluator(_registrations, options, _services ?? EmptyServiceProvider.Instance, _timeProvider, _loggerFactory);
    }

    /// <summary>Builds the evaluator and evaluates every gate.</summary>
    /// <param name="cancellationToken">Cancels the evaluation.</param>
    /// <returns>The report.</returns>
    public Task<ReleaseReport> EvaluateAsync(CancellationToken cancellationToken = default) => Build().EvaluateAsync(null, cancellationToken);

    /// <summary>Builds the evaluator and evaluates the gates the request selects, against its baseline.</summary>
    /// <param name="request">The tags that select gates and the baseline report for relative conditions.</param>
    /// <param name="cancellationToken">Cancels the evaluation.</param>
    /// <returns>The report.</returns>
    public Task<ReleaseReport> EvaluateAsync(EvaluationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Build().EvaluateAsync(request, cancellationToken);
    }

    private sealed class EmptyServiceProvider : IServiceProvider
    {
        public static readonly EmptyServiceProvider Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}
