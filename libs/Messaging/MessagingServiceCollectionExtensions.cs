using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
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
        services.TryAddSingleton<MessagingMetrics>();

        var mode = configuration.GetSection(MessagingOptions.Section).Get<MessagingOptions>()?.Mode ?? MessagingMode.Dapr;
        if (mode == MessagingMode.Dapr)
        {
            // The sidecar's address comes from DAPR_GRPC_PORT / DAPR_HTTP_PORT, which daprd sets for its app.
            services.AddDaprClient(dapr => dapr.UseJsonSerializationOptions(ContractsJson.Options));
            services.TryAddSingleton<IEventPublisher, DaprEventPublisher>();
            services.TryAddSingleton<IStateStore, DaprStateStore>();
            if (AppApiToken(configuration) is { } token)
            {
                // Dapr.AspNetCore's handler compares the dapr-api-token header with the token.
                services.AddAuthentication().AddDapr(dapr => dapr.Token = token);
                services.AddAuthorization(authorization => authorization.AddDapr());
            }
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

    /// <summary><c>Messaging:AppApiToken</c>, else <c>APP_API_TOKEN</c>; null when neither is set.</summary>
    public static string? AppApiToken(IConfiguration configuration)
    {
        var token = configuration[$"{MessagingOptions.Section}:{nameof(MessagingOptions.AppApiToken)}"];
        token = string.IsNullOrEmpty(token) ? configuration["APP_API_TOKEN"] : token;
        return string.IsNullOrEmpty(token) ? null : token;
    }

    /// <summary>Whether <c>Messaging:Mode</c> selects Dapr.</summary>
    public static bool UsesDapr(this IConfiguration configuration) =>
        (configuration.GetSection(MessagingOptions.Section).Get<MessagingOptions>()?.Mode ?? MessagingMode.Dapr) == MessagingMode.Dapr;
}
