namespace ReleaseGates;

/// <summary>A gate as registered: its name, its options (category, importance, weight, timeout, tags) and how to create it.</summary>
public sealed class GateRegistration
{
    /// <summary>Creates a registration from a copy of <paramref name="options"/>, validated now.</summary>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="options">Its registration options; copied (<see cref="GateOptions.Clone"/>) and the copy validated,
    /// so later changes to this object have no effect.</param>
    /// <param name="factory">Creates the gate for one evaluation.</param>
    /// <exception cref="ReleaseGatesConfigurationException">The options are invalid; every problem is listed.</exception>
    public GateRegistration(string name, GateOptions options, Func<IServiceProvider, IReleaseGate> factory)
        : this(name, options, Wrap(factory))
    {
    }

    /// <summary>Creates a registration whose factory is given the validated copy of the options.</summary>
    internal GateRegistration(string name, GateOptions options, Func<GateOptions, IServiceProvider, IReleaseGate> create)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(create);
        var frozen = options.Clone();
        if (frozen is null || frozen.GetType() != options.GetType() || ReferenceEquals(frozen, options))
        {
            throw new InvalidOperationException(
                $"{options.GetType().Name}.{nameof(GateOptions.Clone)} must return a new {options.GetType().Name} (override it by calling base.Clone() and copying your collections).");
        }

        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Add("The gate name must not be empty.");
        }

        frozen.Validate(problems);
        if (problems.Count > 0)
        {
            throw new ReleaseGatesConfigurationException($"Gate '{name}' is misconfigured", problems);
        }

        Name = name;
        Category = frozen.Category;
        Importance = frozen.Importance;
        Weight = frozen.Weight;
        ReportOnly = frozen.ReportOnly;
        Timeout = frozen.Timeout;
        Tags = [.. frozen.Tags.Order(StringComparer.Ordinal)];
        TagSet = new HashSet<string>(frozen.Tags, StringComparer.OrdinalIgnoreCase);
        ConfigureResilience = frozen.ConfigureResilience;
        Secrets = [.. frozen.Secrets.Where(s => s is not null).Select(s => s!)];
        Factory = services => create(frozen, services);
    }

    /// <summary>The credentials the gate's options send; the evaluator masks them wherever they appear in a report.</summary>
    internal IReadOnlyList<string> Secrets { get; } = [];

    /// <summary>The gate's unique name.</summary>
    public string Name { get; }

    /// <summary>The category it scores in.</summary>
    public string Category { get; }

    /// <summary>Its importance.</summary>
    public GateImportance Importance { get; }

    /// <summary>Its weight within its category and in the overall score.</summary>
    public double Weight { get; }

    /// <summary>Whether it is report-only (shown, never deciding).</summary>
    public bool ReportOnly { get; }

    /// <summary>Its timeout, or <see langword="null"/> for <see cref="ReleaseGatesOptions.DefaultTimeout"/>.</summary>
    public TimeSpan? Timeout { get; }

    /// <summary>Its tags, sorted (ordinal).</summary>
    public IReadOnlyList<string> Tags { get; }

    /// <summary>Creates the gate for one evaluation.</summary>
    public Func<IServiceProvider, IReleaseGate> Factory { get; }

    internal IReadOnlySet<string> TagSet { get; }

    internal Action<Polly.ResiliencePipelineBuilder<GateResult>>? ConfigureResilience { get; }

    private static Func<GateOptions, IServiceProvider, IReleaseGate> Wrap(Func<IServiceProvider, IReleaseGate> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return (_, services) => factory(services);
    }
}
