namespace ReleaseGates;

/// <summary>Adds the migration-integrity gate.</summary>
public static class MigrationIntegrityReleaseGatesBuilderExtensions
{
    /// <summary>
    /// Adds a gate that reads a database, read-only, and checks its applied migration history against local migrations
    /// (classified the way Flyway's <c>validate</c> does, with Flyway checksums or a content-hash manifest), the live
    /// schema, and data invariants.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="configure">Sets the connection factory, journal and expectations.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AddMigrationIntegrity<TBuilder>(this TBuilder builder, string name, Action<MigrationIntegrityGateOptions> configure)
        where TBuilder : IReleaseGatesBuilder
        => builder.AddBuiltInGate<TBuilder, MigrationIntegrityGateOptions>(name, configure, options => new MigrationIntegrityGate(options));

    /// <summary>
    /// Adds a gate that reads a database, read-only, and checks its applied migration history against local migrations
    /// (classified the way Flyway's <c>validate</c> does, with Flyway checksums or a content-hash manifest), the live
    /// schema, and data invariants, from an options instance (bound once, as a configuration file does); the instance
    /// is copied and validated now.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="options">The options; copied, so later changes to the instance do nothing.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The options are invalid; every problem is listed.</exception>
    public static TBuilder AddMigrationIntegrity<TBuilder>(this TBuilder builder, string name, MigrationIntegrityGateOptions options)
        where TBuilder : IReleaseGatesBuilder
        => builder.AddBuiltInGate(name, options, o => new MigrationIntegrityGate(o));
}
