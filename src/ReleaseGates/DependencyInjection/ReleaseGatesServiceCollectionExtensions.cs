using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ReleaseGates;

/// <summary>Registers release gates in an <see cref="IServiceCollection"/>.</summary>
public static class ReleaseGatesServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="IReleaseGateEvaluator"/> and returns a builder to add gates to. Calling it again returns a
    /// builder over the same registrations (like <c>AddHealthChecks</c>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The builder.</returns>
    public static IReleaseGatesBuilder AddReleaseGates(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var registry = services.FirstOrDefault(d => d.ServiceType == typeof(ReleaseGatesRegistry)
            && d.ImplementationInstance is not null)?.ImplementationInstance as ReleaseGatesRegistry;
        if (registry is null)
        {
            registry = new ReleaseGatesRegistry();
            services.AddSingleton(registry);
        }

        services.TryAddSingleton<IReleaseGateEvaluator>(sp =>
        {
            var r = sp.GetRequiredService<ReleaseGatesRegistry>();
            var options = new ReleaseGatesOptions();
            foreach (var configure in r.Configurations)
            {
                configure(options);
            }

            return new ReleaseGateEvaluator(r.Registrations, options, sp, sp.GetService<TimeProvider>(), sp.GetService<ILoggerFactory>());
        });
        return new ServiceCollectionBuilder(services, registry);
    }

    /// <summary>Registers the <see cref="IReleaseGateEvaluator"/> and adds gates with <paramref name="configure"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Adds gates and settings.</param>
    /// <returns>The builder.</returns>
    public static IReleaseGatesBuilder AddReleaseGates(this IServiceCollection services, Action<IReleaseGatesBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = services.AddReleaseGates();
        configure(builder);
        return builder;
    }

    /// <summary>The builder <c>AddReleaseGates</c> returns: the shared registry, with the service collection for gate packages.</summary>
    private sealed class ServiceCollectionBuilder(IServiceCollection services, ReleaseGatesRegistry registry) : IReleaseGatesBuilder
    {
        public IServiceCollection Services => services;

        public void AddRegistration(GateRegistration registration) => registry.AddRegistration(registration);

        public void AddConfiguration(Action<ReleaseGatesOptions> configure) => registry.AddConfiguration(configure);
    }

    private sealed class ReleaseGatesRegistry : IReleaseGatesBuilder
    {
        public List<GateRegistration> Registrations { get; } = [];

        public List<Action<ReleaseGatesOptions>> Configurations { get; } = [];

        public void AddRegistration(GateRegistration registration)
        {
            ArgumentNullException.ThrowIfNull(registration);
            Registrations.Add(registration);
        }

        public void AddConfiguration(Action<ReleaseGatesOptions> configure)
        {
            ArgumentNullException.ThrowIfNull(configure);
            Configurations.Add(configure);
        }
    }
}
