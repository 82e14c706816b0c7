using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Suite.Queue.Pressure;

public static class PressureServiceCollectionExtensions
{
    /// <summary>
    /// Registers the pressure gauges (meter <c>Suite.Queue</c>: the host adds it to its OpenTelemetry metrics) and the
    /// <c>pool-pressure</c> publisher, paced by <see cref="PoolPressureOptions"/> (validated at start-up). Reads the
    /// host's <see cref="IPoolPressureSource"/> and publishes through its <see cref="Messaging.IEventPublisher"/>.
    /// </summary>
    public static IServiceCollection AddPoolPressureReporting(this IServiceCollection services)
    {
        services.AddOptions<PoolPressureOptions>().BindConfiguration(PoolPressureOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PoolPressureOptions>, PoolPressureOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);

        // The publisher depends on the metrics, so the gauges exist from start-up, before anyone resolves them.
        services.TryAddSingleton<PoolPressureMetrics>();
        services.AddHostedService<PoolPressurePublisher>();
        return services;
    }
}
