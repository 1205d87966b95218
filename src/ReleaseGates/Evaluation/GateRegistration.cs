namespace ReleaseGates;

/// <summary>A gate as registered: its name, its options (category, importance, weight, timeout, tags) and how to create it.</summary>
public sealed class GateRegistration
{
    /// <summary>Creates a registration and validates its options.</summary>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="options">Its registration options; validated now.</param>
    /// <param name="factory">Creates the gate for one evaluation.</param>
    /// <exception cref="ReleaseGatesConfigurationException">The options are invalid; every problem is listed.</exception>
    public GateRegistration(string name, GateOptions options, Func<IServiceProvider, IReleaseGate> factory)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(factory);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Add("The gate name must not be empty.");
        }

        options.Validate(problems);
        if (problems.Count > 0)
        {
            throw new ReleaseGatesConfigurationException($"Gate '{name}' is misconfigured", problems);
        }

        Name = name;
        Options = options;
        Factory = factory;

        // Frozen as validated: what the caller does to the options object afterwards never reaches a report.
        Metadata = new GateMetadata(
            options.Category,
            options.Importance,
            options.Weight,
            options.ReportOnly,
            options.Timeout,
            [.. options.Tags.Order(StringComparer.Ordinal)],
            new HashSet<string>(options.Tags, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>The registration values the evaluator uses, copied when the gate was registered and validated.</summary>
    internal GateMetadata Metadata { get; }

    /// <summary>The gate's unique name.</summary>
    public string Name { get; }

    /// <summary>
    /// The registration options as given. Category, importance, weight, report-only, timeout and tags are copied when the
    /// gate is registered: changing them on this object afterwards has no effect on any evaluation or report.
    /// </summary>
    public GateOptions Options { get; }

    /// <summary>Creates the gate for one evaluation.</summary>
    public Func<IServiceProvider, IReleaseGate> Factory { get; }
}

/// <summary>A gate's registration values as they were validated: category, importance, weight, report-only, timeout and tags.</summary>
internal sealed record GateMetadata(
    string Category,
    GateImportance Importance,
    double Weight,
    bool ReportOnly,
    TimeSpan? Timeout,
    IReadOnlyList<string> Tags,
    IReadOnlySet<string> TagSet);
