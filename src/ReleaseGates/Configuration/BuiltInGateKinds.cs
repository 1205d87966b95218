namespace ReleaseGates;

/// <summary>The gate types <c>releasegates.json</c> knows without a gate package: one kind from each gate folder.</summary>
internal static class BuiltInGateKinds
{
    /// <summary>Every built-in kind, in the order the schema lists them.</summary>
    public static IReadOnlyList<GateKind> All { get; } =
    [
        new CoverageGateKind(),
        new TestResultsGateKind(),
        new ChecklistGateKind(),
        new LatencyGateKind(),
        new ErrorRateGateKind(),
        new SloGateKind(),
        new SecurityHeadersGateKind(),
        new SmokeTestsGateKind(),
        new HealthChecksGateKind(),
        new MetricGateKind(),
        new CanaryGateKind(),
        new TlsGateKind(),
        new WebSocketGateKind(),
        new HostResourcesGateKind(),
        new MigrationIntegrityGateKind(),
    ];

    /// <summary>
    /// The built-in kinds and <paramref name="packages"/>' by type (compared without regard to case); a package's kind may
    /// not take a type already taken.
    /// </summary>
    /// <exception cref="ArgumentException">Two kinds have the same type.</exception>
    public static Dictionary<string, GateKind> With(IEnumerable<GateKind>? packages)
    {
        var kinds = All.ToDictionary(k => k.Type, StringComparer.OrdinalIgnoreCase);
        foreach (var kind in packages ?? [])
        {
            ArgumentNullException.ThrowIfNull(kind, nameof(packages));
            if (kinds.TryGetValue(kind.Type, out var taken) && taken.GetType() != kind.GetType())
            {
                throw new ArgumentException(
                    $"The gate type '{kind.Type}' of {kind.GetType().FullName} is already taken by {(All.Contains(taken) ? "a built-in gate" : taken.GetType().FullName)}.",
                    nameof(packages));
            }

            kinds[kind.Type] = kind;
        }

        return kinds;
    }
}
