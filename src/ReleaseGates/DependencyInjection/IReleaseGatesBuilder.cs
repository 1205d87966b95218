using Microsoft.Extensions.DependencyInjection;

namespace ReleaseGates;

/// <summary>
/// Collects gate registrations and evaluation settings. Returned by <c>services.AddReleaseGates()</c> and by
/// <see cref="ReleaseGate.CreateBuilder"/>; every gate adds itself through an <c>AddXxx</c> extension method on it.
/// </summary>
public interface IReleaseGatesBuilder
{
    /// <summary>Adds a gate registration. Duplicate names are reported, all at once, when the evaluator is built.</summary>
    /// <param name="registration">The registration.</param>
    void AddRegistration(GateRegistration registration);

    /// <summary>Adds a change to the evaluation settings; changes apply in the order added.</summary>
    /// <param name="configure">The change.</param>
    void AddConfiguration(Action<ReleaseGatesOptions> configure);

    /// <summary>
    /// The application's services, where a gate package registers what its gate needs (as a health-check package does
    /// through <c>IHealthChecksBuilder.Services</c>); <see langword="null"/> for <see cref="ReleaseGate.CreateBuilder"/>,
    /// which has no container (give it one with <c>UseServices</c>).
    /// </summary>
    IServiceCollection? Services => null;
}
