using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Suite.Contracts.Serialization;
using Suite.Messaging.Dapr;
using Suite.Messaging.InMemory;

namespace Suite.Messaging;

public static class MessagingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IEventPublisher"/> and <see cref="IStateStore"/> for the mode in <c>Messaging:Mode</c>:
    /// the Dapr adapters, or the in-process bus and store (registered with TryAdd, so a host running several
    /// services can share its own instances).
    /// </summary>
    public static IServiceCollection AddSuiteMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MessagingOptions>().BindConfiguration(MessagingOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MessagingOptions>, MessagingOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        var mode = configuration.GetSection(MessagingOptions.Section).Get<MessagingOptions>()?.Mode ?? MessagingMode.Dapr;
        if (mode == MessagingMode.Dapr)
        {
            // The sidecar's address comes from DAPR_GRPC_PORT / DAPR_HTTP_PORT, which daprd sets for its app.
            services.AddDaprClient(dapr => dapr.UseJsonSerializationOptions(ContractsJson.Options));
            services.TryAddSingleton<IEventPublisher, DaprEventPublisher>();
            services.TryAddSingleton<IStateStore, DaprStateStore>();
        }
        else
        {
            services.TryAddSingleton<InMemoryBus>();
            services.TryAddSingleton<IEventPublisher>(provider => provider.GetRequiredService<InMemoryBus>());
            services.TryAddSingleton<IStateStore, InMemoryStateStore>();
        }

        return services;
    }

    /// <summary>Subscribes <typeparamref name="THandler"/> to <paramref name="topic"/>; wired by <c>MapEventSubscriptions</c>.</summary>
    public static IServiceCollection AddEventSubscription<T, THandler>(this IServiceCollection services, string topic)
        where T : class
        where THandler : class, ITopicHandler<T>
    {
        services.TryAddSingleton<THandler>();
        services.AddSingleton<EventSubscription>(new EventSubscription<T, THandler>(topic));
        return services;
    }

    /// <summary>Whether <c>Messaging:Mode</c> selects Dapr.</summary>
    public static bool UsesDapr(this IConfiguration configuration) =>
        (configuration.GetSection(MessagingOptions.Section).Get<MessagingOptions>()?.Mode ?? MessagingMode.Dapr) == MessagingMode.Dapr;
}
