namespace ReleaseGates;

/// <summary>Adds the checklist gate.</summary>
public static class ChecklistReleaseGatesBuilderExtensions
{
    /// <summary>
    /// Adds a gate over Markdown checklists (<c>- [x] done</c>, <c>- [ ] open</c>, and table rows with a status mark such
    /// as ✅ or ❌): every item done by default; a share per heading (<c>*Tier 2*</c> at 85 %), required items, and
    /// sign-offs that must be present, fresh and backed by evidence through the options. Every open item is a finding
    /// with its file and line.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="configure">Sets the files, groups and rules.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The options are invalid; every problem is listed.</exception>
    public static TBuilder AddChecklist<TBuilder>(this TBuilder builder, string name, Action<ChecklistGateOptions> configure)
        where TBuilder : IReleaseGatesBuilder
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddBuiltInGate<TBuilder, ChecklistGateOptions>(name, configure, options => new ChecklistGate(options));
    }

    /// <summary>
    /// Adds a gate over Markdown checklists (<c>- [x] done</c>, <c>- [ ] open</c>, and table rows with a status mark
    /// such as ✅ or ❌): every item done by default; a share per heading (<c>*Tier 2*</c> at 85 %), required items, and
    /// sign-offs that must be present, fresh and backed by evidence through the options. Every open item is a finding
    /// with its file and line, from an options instance (bound once, as a configuration file does); the instance is
    /// copied and validated now.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="options">The options; copied, so later changes to the instance do nothing.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The options are invalid; every problem is listed.</exception>
    public static TBuilder AddChecklist<TBuilder>(this TBuilder builder, string name, ChecklistGateOptions options)
        where TBuilder : IReleaseGatesBuilder
        => builder.AddBuiltInGate(name, options, o => new ChecklistGate(o));
}
