using Microsoft.Extensions.Logging;

namespace ReleaseGates;

/// <summary>Entry point for test projects and tools that use no dependency-injection container.</summary>
public static class ReleaseGate
{
    /// <summary>Creates a builder that needs no container: add gates, then <see cref="ReleaseGatesBuilder.Build"/> an evaluator.</summary>
    /// <returns>A new builder.</returns>
    public static ReleaseGatesBuilder CreateBuilder() => new();
}
