namespace ReleaseGates;

/// <summary>Registers custom gates and evaluation settings on any <see cref="IReleaseGatesBuilder"/>.</summary>
public static class ReleaseGatesBuilderExtensions
{
    /// <summary>Adds a gate registration.</summary>
    /// <typeparam name="TBuilder">The builder type, kept so that calls chain.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="registration">The registration.</param>
    /// <returns>The builder.</returns>
    public static TBuilder Add<TBuilder>(this TBuilder builder, GateRegistration registration)
        where TBuilder : IReleaseGatesBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(registration);
        builder.AddRegistration(registration);
        return builder;
    }

    /// <summary>Changes the evaluation settings: subject, parallelism, default timeout, scoring, resilience.</summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">The change.</param>
    /// <returns>The builder.</returns>
    public static TBuilder Configure<TBuilder>(this TBuilder builder, Action<ReleaseGatesOptions> configure)
        where TBuilder : IReleaseGatesBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.AddConfiguration(configure);
        return builder;
    }

    /// <summary>
    /// Adds a waiver: one finding code or measurement of one gate counts as met until the waiver's last day, and the
    /// waiver is listed in every report. The same as <c>Configure(o =&gt; o.Waivers.Add(waiver))</c>; see <see cref="Waiver"/>.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="waiver">The waiver; checked, with the gate it names, when the evaluator is built.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AddWaiver<TBuilder>(this TBuilder builder, Waiver waiver)
        where TBuilder : IReleaseGatesBuilder
    {
        ArgumentNullException.ThrowIfNull(waiver);
        return builder.Configure(options => options.Waivers.Add(waiver));
    }

    /// <summary>Adds a custom gate instance.</summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="gate">The gate; shared by every evaluation.</param>
    /// <param name="configure">Sets category, importance, weight, timeout, tags.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AddGate<TBuilder>(this TBuilder builder, string name, IReleaseGate gate, Action<GateOptions>? configure = null)
        where TBuilder : IReleaseGatesBuilder
    {
        ArgumentNullException.ThrowIfNull(gate);
        return builder.AddGate(name, _ => gate, configure);
    }

    /// <summary>Adds a custom gate created per evaluation from the services (for example with <c>ActivatorUtilities</c>).</summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="factory">Creates the gate.</param>
    /// <param name="configure">Sets category, importance, weight, timeout, tags.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AddGate<TBuilder>(this TBuilder builder, string name, Func<IServiceProvider, IReleaseGate> factory,
        Action<GateOptions>? configure = null)
        where TBuilder : IReleaseGatesBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        var options = new GateOptions();
        configure?.Invoke(options);
        builder.AddRegistration(new GateRegistration(name, options, factory));
        return builder;
    }

    /// <summary>Adds a custom gate written as a delegate.</summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate's unique name.</param>
    /// <param name="evaluate">Evaluates the gate.</param>
    /// <param name="configure">Sets category, importance, weight, timeout, tags.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AddGate<TBuilder>(this TBuilder builder, string name, Func<GateContext, CancellationToken,
        ValueTask<GateResult>> evaluate, Action<GateOptions>? configure = null)
        where TBuilder : IReleaseGatesBuilder
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        var gate = new DelegateGate(evaluate);
        return builder.AddGate(name, _ => gate, configure);
    }

    /// <summary>
    /// Adds a gate with an options type of its own, exactly as the built-in gates add themselves: the options are
    /// configured, validated at once (every problem in one <see cref="ReleaseGatesConfigurationException"/>, through your
    /// <see cref="GateOptions.Validate"/> override), then copied (<see cref="GateOptions.Clone"/>): the gate is created
    /// once, on first use, from that validated copy and the application's services, so nothing done to the options
    /// object after registration reaches it. The way a gate package writes its
    /// <c>AddXxx</c> extension.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <typeparam name="TOptions">The gate's options, derived from <see cref="GateOptions"/>.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate name, unique in the evaluation.</param>
    /// <param name="configure">Sets the options.</param>
    /// <param name="create">Creates the gate from its validated options and the services (resolve dependencies here).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The options are invalid; the message lists every problem.</exception>
    public static TBuilder AddGate<TBuilder, TOptions>(this TBuilder builder, string name, Action<TOptions>? configure,
        Func<TOptions, IServiceProvider, IReleaseGate> create)
        where TBuilder : IReleaseGatesBuilder
        where TOptions : GateOptions, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(create);
        var options = new TOptions();
        configure?.Invoke(options);
        return builder.AddGate(name, options, create);
    }

    /// <summary>
    /// Adds a gate from an options instance, as Polly's <c>AddX(options)</c> does: the registration copies and validates
    /// <paramref name="options"/> now, and the gate is created once, on first use, from that copy, so nothing done to the
    /// instance afterwards reaches it. What a configuration loader uses, having bound the options once.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type.</typeparam>
    /// <typeparam name="TOptions">The gate's options, derived from <see cref="GateOptions"/>.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The gate name, unique in the evaluation.</param>
    /// <param name="options">The options; copied.</param>
    /// <param name="create">Creates the gate from its validated options and the services (resolve dependencies here).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ReleaseGatesConfigurationException">The options are invalid; the message lists every problem.</exception>
    public static TBuilder AddGate<TBuilder, TOptions>(this TBuilder builder, string name, TOptions options,
        Func<TOptions, IServiceProvider, IReleaseGate> create)
        where TBuilder : IReleaseGatesBuilder
        where TOptions : GateOptions
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(create);
        var gateLock = new object();
        IReleaseGate? gate = null;

        // The registration copies and validates the options; the gate is created, once, from that copy only.
        builder.AddRegistration(new GateRegistration(name, options, (frozen, services) =>
        {
            lock (gateLock)
            {
                return gate ??= create((TOptions)frozen, services) ?? throw new InvalidOperationException($"The factory of gate '{name}' returned null.");
            }
        }));
        return builder;
    }

    internal static TBuilder AddBuiltInGate<TBuilder, TOptions>(this TBuilder builder, string name, Action<TOptions>? configure,
        Func<TOptions, IReleaseGate> create)
        where TBuilder : IReleaseGatesBuilder
        where TOptions : GateOptions, new()
    {
        ArgumentNullException.ThrowIfNull(create);
        return builder.AddGate<TBuilder, TOptions>(name, configure, (options, _) => create(options));
    }

    internal static TBuilder AddBuiltInGate<TBuilder, TOptions>(this TBuilder builder, string name, TOptions options, Func<TOptions, IReleaseGate> create)
        where TBuilder : IReleaseGatesBuilder
        where TOptions : GateOptions
    {
        ArgumentNullException.ThrowIfNull(create);
        return builder.AddGate(name, options, (TOptions frozen, IServiceProvider _) => create(frozen));
    }

    private sealed class DelegateGate(Func<GateContext, CancellationToken, ValueTask<GateResult>> evaluate) : IReleaseGate
    {
        public ValueTask<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken) => evaluate(context, cancellationToken);
    }
}
