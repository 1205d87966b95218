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
}
