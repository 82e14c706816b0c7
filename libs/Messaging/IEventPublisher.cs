namespace Suite.Messaging;

/// <summary>Publishes an event to a topic; Dapr pub/sub or the in-process bus.</summary>
public interface IEventPublisher
{
    /// <remarks><typeparamref name="T"/> must be in the contracts' source-generated JSON context.</remarks>
    Task PublishAsync<T>(string topic, T payload, CancellationToken cancellationToken)
        where T : class;
}
