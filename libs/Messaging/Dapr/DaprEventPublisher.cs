using Dapr.Client;
using Microsoft.Extensions.Options;

namespace Suite.Messaging.Dapr;

/// <summary>Publishes through the sidecar, which wraps the payload in a CloudEvent for the pub/sub component.</summary>
internal sealed class DaprEventPublisher(DaprClient dapr, IOptions<MessagingOptions> options) : IEventPublisher
{
    public Task PublishAsync<T>(string topic, T payload, CancellationToken cancellationToken)
        where T : class =>
        dapr.PublishEventAsync(options.Value.PubSubName, topic, payload, cancellationToken);
}
