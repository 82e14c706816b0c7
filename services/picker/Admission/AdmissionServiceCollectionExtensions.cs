using Suite.Contracts.Flow;
using Suite.Contracts.Messaging;
using Suite.Messaging;

namespace Suite.Picker.Admission;

internal static class AdmissionServiceCollectionExtensions
{
    /// <summary>The admission step and its queue client (which holds no channel when no queue is configured).</summary>
    public static IServiceCollection AddAdmission(this IServiceCollection services)
    {
        services.AddSingleton<IAdmissionQueueClient, GrpcAdmissionQueueClient>();
        services.AddEventSubscription<PoolPressureEvent, QueueBacklog>(SuiteTopics.PoolPressure);
        services.AddSingleton<AdmissionGate>();
        return services;
    }
}
