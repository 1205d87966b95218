namespace ReleaseGates;

/// <summary>Adds a gate read from an OpenSLO v1 file.</summary>
public static class OpenSloReleaseGatesBuilderExtensions
{
    /// <summary>
    /// Adds the SLO gate for one objective of one SLO of an OpenSLO v1 file: a <c>ratioMetric</c> SLI over Prometheus,
    /// its window (rolling or calendar), its budgeting method and target. The file is read now; everything it says is read
    /// or refused, every refusal at <c>file:line:column</c>.
    /// </summary>
    /// <typeparam name="TBuilder">The builder.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's name.</param>
    /// <param name="configure">Sets the file and the gate's options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The options or the file hold problems; all are listed.</exception>
    public static TBuilder AddOpenSlo<TBuilder>(this TBuilder builder, string name, Action<OpenSloGateOptions> configure)
        where TBuilder : IReleaseGatesBuilder
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new OpenSloGateOptions();
        configure(options);
        return builder.AddOpenSlo(name, options);
    }

    /// <summary>Adds the SLO gate of an OpenSLO v1 file with options made beforehand (the form <c>releasegates.json</c> uses).</summary>
    /// <typeparam name="TBuilder">The builder.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's name.</param>
    /// <param name="options">The file and the gate's options; read now, later changes have no effect.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The options or the file hold problems; all are listed.</exception>
    public static TBuilder AddOpenSlo<TBuilder>(this TBuilder builder, string name, OpenSloGateOptions options)
        where TBuilder : IReleaseGatesBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems();
        if (problems.Count > 0)
        {
            throw new ReleaseGatesConfigurationException($"Gate '{name}'", problems);
        }

        return builder.AddSlo(name, OpenSloGates.ToSloOptions(options));
    }
}
