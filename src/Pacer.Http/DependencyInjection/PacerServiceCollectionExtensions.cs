using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Pacer;
using Pacer.Http;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a <see cref="PacerEngine"/> in a service collection.</summary>
public static class PacerServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="PacerEngine"/> as a singleton, built on first use from
    /// <paramref name="configure"/>: <c>services.AddPacer(o => o.AddLane("openai", lane => lane.MaxConcurrency = 8))</c>.
    /// Calling it again adds more configuration to the same engine. The container disposes the
    /// engine when it is disposed asynchronously (as a host does).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adds lanes and sets engine-wide options.</param>
    /// <returns>The service collection, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is null.</exception>
    public static IServiceCollection AddPacer(this IServiceCollection services, Action<PacerServiceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.Configure(configure);
        services.TryAddSingleton(static provider =>
            provider.GetRequiredService<IOptions<PacerServiceOptions>>().Value.CreateEngine(provider.GetService<TimeProvider>()));
        return services;
    }
}
