using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Suite.Contracts.Serialization;
using Suite.Messaging.InMemory;

namespace Suite.Messaging;

/// <summary>A service's interest in a topic: the route Dapr posts to, and the handler both buses call.</summary>
/// <param name="Route">HTTP path the sidecar delivers CloudEvents to, e.g. <c>/events/pod-state</c>.</param>
public abstract record EventSubscription(string Topic, string Route)
{
    /// <summary>Reads one payload (the CloudEvent's <c>data</c>) and hands it to the handler; null payload → drop.</summary>
    internal abstract Task<DeliveryResult> DeliverJsonAsync(IServiceProvider services, Stream data, CancellationToken cancellationToken);

    internal abstract IDisposable SubscribeTo(InMemoryBus bus, IServiceProvider services);
}

internal sealed record EventSubscription<T, THandler>(string Topic)
    : EventSubscription(Topic, $"/events/{Topic}")
    where T : class
    where THandler : class, ITopicHandler<T>
{
    internal override async Task<DeliveryResult> DeliverJsonAsync(IServiceProvider services, Stream data, CancellationToken cancellationToken)
    {
        var typeInfo = ContractsJsonContext.Default.GetTypeInfo(typeof(T))
            ?? throw new InvalidOperationException($"{typeof(T).Name} is not in ContractsJsonContext.");
        var payload = (T?)await JsonSerializer.DeserializeAsync(data, typeInfo, cancellationToken);
        return payload is null
            ? DeliveryResult.Drop
            : await services.GetRequiredService<THandler>().HandleAsync(payload, cancellationToken);
    }

    internal override IDisposable SubscribeTo(InMemoryBus bus, IServiceProvider services) =>
        bus.Subscribe<T>(Topic, services.GetRequiredService<THandler>());
}
