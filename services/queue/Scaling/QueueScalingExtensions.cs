using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Suite.Queue.Scaling;

public static class QueueScalingExtensions
{
    /// <summary>
    /// Registers the KEDA external scaler (gRPC service <c>externalscaler.ExternalScaler</c>). It reads the host's
    /// <see cref="Pressure.IPoolPressureSource"/>, which the host registers.
    /// </summary>
    public static IServiceCollection AddQueueScaling(this IServiceCollection services)
    {
        services.AddGrpc();
        services.TryAddSingleton<QueueExternalScaler>();
        return services;
    }

    /// <summary>Maps the KEDA external scaler; KEDA reaches it at the trigger's <c>scalerAddress</c> over h2c (the queue's gRPC port).</summary>
    public static IEndpointRouteBuilder MapQueueScaling(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<QueueExternalScaler>();
        return endpoints;
    }
}
