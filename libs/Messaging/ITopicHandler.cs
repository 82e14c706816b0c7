namespace Suite.Messaging;

/// <summary>What a subscriber tells the bus about one delivery (Dapr's <c>SUCCESS</c>, <c>RETRY</c>, <c>DROP</c>).</summary>
public enum DeliveryResult
{
    Success,
    Retry,
    Drop,
}

/// <summary>Receives a topic's events, whichever bus delivers them.</summary>
public interface ITopicHandler<in T>
    where T : class
{
    Task<DeliveryResult> HandleAsync(T payload, CancellationToken cancellationToken);
}
